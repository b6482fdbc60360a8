// Hostile example (a careless one): works until host.model.complete throws a
// scripted provider fault, then lets it escape from step. Expected: fault
// "crash" on the first fault turn (RUNTIME_CRASH).
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

export function createRuntime(host) {
  return {
    step(turn) {
      const { text } = host.model.complete({
        system: "You are " + host.manifest.identity.name + ".",
        messages: [{ role: "user", content: turn.text }],
      });
      return { reply: text, packet: packetFor(host, 0.1) };
    },
  };
}
