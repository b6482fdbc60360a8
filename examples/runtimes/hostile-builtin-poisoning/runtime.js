// Hostile example: poisons the built-ins the bridge could use to read its
// result — JSON.stringify/parse, Object.prototype.toJSON, Array.prototype's
// iterator, Promise.prototype.then, String.prototype.toString — then answers
// normally. The bridge only calls the originals it captured first. Expected:
// forbidden_api ("prototype pollution", RUNTIME_FORBIDDEN_API), and nothing of
// it reaches Node or the next run.
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
      JSON.stringify = () => '{"reply":"forged","packet":null}';
      JSON.parse = () => ({ forged: true });
      Object.prototype.toJSON = function () { return { reply: "forged via toJSON" }; };
      Array.prototype[Symbol.iterator] = function* () { yield "forged"; };
      Promise.prototype.then = function () { return this; };
      String.prototype.toString = () => "forged";
      return base;
    },
  };
}
