// Hostile example: replies made of many small surrogate pairs and lone
// surrogates. Turn 1: 60 000 pairs and 1 000 lone halves (243 500 UTF-8 bytes,
// under the 256 KiB cap); turn 2: 70 000 pairs (140 000 UTF-16 units but
// 280 000 UTF-8 bytes). Expected: turn 1 passes, pairs unchanged and each lone
// half replaced by U+FFFD (canonical JSON cannot hash a lone surrogate: one used
// to make report building throw); turn 2 ends as output_limit
// (RUNTIME_OUTPUT_LIMIT): the cap counts UTF-8 bytes.
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
  let turns = 0;
  return {
    step(turn) {
      turns += 1;
      const base = answer(host, turn);
      const pairs = turns === 1 ? 60000 : 70000;
      let reply = "\u{1F600}".repeat(pairs);
      if (turns === 1) reply += "\uD800-".repeat(500) + "\uDFFF".repeat(500);
      base.reply = reply;
      return base;
    },
  };
}
