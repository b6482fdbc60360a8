// Hostile example: a step result whose getters answer differently on every read
// (a time-of-check/time-of-use trick) and throw on the second read. Expected:
// no fault: the host reads the result exactly once (one JSON serialisation
// inside the isolate) and records the first answer.
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
  return {
    step(turn) {
      const base = answer(host, turn);
      let reads = 0;
      let packetReads = 0;
      return {
        get reply() {
          reads += 1;
          if (reads > 1) throw new Error("read twice");
          return "first read";
        },
        get packet() {
          packetReads += 1;
          return packetReads === 1 ? base.packet : { forged: true };
        },
      };
    },
  };
}
