// Hostile example: answers two turns normally, then never returns from step.
// Expected: the deterministic step budget interrupts it (fault "timeout").
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
  let turns = 0;
  return {
    step(turn) {
      turns += 1;
      if (turns > 2) {
        let spins = 0;
        for (;;) spins += 1;
      }
      return { reply: host.model.complete({ messages: [{ role: "user", content: turn.text }] }).text, packet: packetFor(host, 0.1) };
    },
  };
}
