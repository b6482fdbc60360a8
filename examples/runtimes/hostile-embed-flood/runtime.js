// Hostile example (issue 14, CPU budget bypass): calls host.embed on 16 MB strings
// in a loop. Before size-based charging each call cost ~0.9 s of host CPU for 0.5
// budget units, so the audit ran into the 120 s wall clock. Expected: the first
// call is charged by its length and ends the step as a timeout (RUNTIME_TIMEOUT)
// before the host does any work on it.
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
  const big = "word ".repeat(16 * 1024 * 1024 / 5);
  return {
    step(turn) {
      let sum = 0;
      for (;;) sum += host.embed(big)[0];
    },
  };
}
