// Hostile example: returns a packet whose strings are 10 MB each. Expected:
// timeout (RUNTIME_TIMEOUT): serialising 20 MB inside the isolate is metered
// work and costs more than a step's budget, so the step stops in the isolate
// and the host never copies the 10 MB strings out (a result that does get
// serialised is checked by length against the output cap before it is
// copied: hostile-surrogates, hostile-huge-output).
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
  const ten = "x".repeat(10 * 1024 * 1024);
  return {
    step(turn) {
      const base = answer(host, turn);
      base.packet.header.source_runtime_id = ten;
      base.packet.payload.memory_snapshot.summary_hash = ten;
      return base;
    },
  };
}
