// Hostile example: a reply that is an object dressed as a string
// (Symbol.toPrimitive, toString, valueOf). JSON keeps it an object, so it is
// not a string reply. Expected: invalid_result (PACKET_INVALID).
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
      const text = base.reply;
      base.reply = {
        [Symbol.toPrimitive]() { return text; },
        toString() { return text; },
        valueOf() { return text; },
      };
      return base;
    },
  };
}
