// Pass-through runtime: prompt = the latest user text, nothing else. It keeps no
// state, rebuilds no context and measures nothing; it reports zero drift.
export function createRuntime(host) {
  let turn = 0;
  return {
    step(input) {
      turn += 1;
      let reply;
      try {
        reply = host.model.complete({ messages: [{ role: "user", content: input.text }] }).text;
      } catch (err) {
        reply = "Something went wrong.";
      }
      const packet = {
        header: { protocol_version: "1.0", source_runtime_id: "passthrough", target_runtime_id: "broadcast", timestamp: String(host.clock.now()) },
        payload: {
          attractor_state: { id: "none", type: "none", stability: 1, phase: "stable", scr: 1 },
          drift_metrics: { sdi: 0, sv: 0, pd: 0, di: 0 },
          memory_snapshot: { summary_hash: "", retention_index: 0 },
          safety_flags: { aegida_status: "nominal", phase_lock: false, recenter_active: false },
        },
        signature: { checksum: String(turn), integrity_token: "none" },
      };
      host.sync.publish(packet);
      return { reply, packet };
    },
  };
}
