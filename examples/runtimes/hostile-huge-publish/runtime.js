// Hostile example: publishes, in a loop, packets whose strings are 300 kB through
// host.sync.publish (10 MB strings are already stopped by the CPU charge of
// serialising them inside the isolate). Expected: output_limit
// (RUNTIME_OUTPUT_LIMIT), decided from the length before the host copies or
// parses anything.
function packetFor(host, di) {
  return {
    header: { protocol_version: "1.0", source_runtime_id: host.manifest.name, target_runtime_id: "assay", timestamp: new Date(host.clock.now()).toISOString() },
    payload: {
      attractor_state: { id: "hostile", type: "task", stability: 0.9, phase: "STABLE", scr: 0.8 },
      drift_metrics: { sdi: di, sv: di, pd: di, di },
      memory_snapshot: { summary_hash: "0", retention_index: 0 },
      safety_flags: { aegida_status: "nominal", phase_lock: false, recenter_active: false },
    },
    signature: { checksum: "0", integrity_token: "0" },
  };
}

/** An ordinary answer (scripted model faults included), so the attack is the only thing wrong with the runtime. */
function answer(host, turn) {
  let reply;
  try {
    reply = host.model.complete({ messages: [{ role: "user", content: turn.text }] }).text;
  } catch (error) {
    reply = "The model is unavailable; please repeat your request.";
  }
  return { reply, packet: packetFor(host, 0.1) };
}

export function createRuntime(host) {
  const big = "y".repeat(300 * 1024);
  return {
    step(turn) {
      const base = answer(host, turn);
      for (let i = 0; i < 1000; i++) host.sync.publish({ ...base.packet, header: { ...base.packet.header, source_runtime_id: big } });
      return base;
    },
  };
}
