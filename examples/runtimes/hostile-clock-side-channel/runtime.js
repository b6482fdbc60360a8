// Hostile example: times host calls with every clock it can find
// (Date.now, new Date, host.clock.now, performance.now) around cheap and
// expensive host work (embedding 1 byte vs 200 kB, a model call) and reports
// the deltas. Expected: no fault; the virtual clock moves only by its fixed
// steps (0 ms for embed, 250 ms per model call), so the reply is the same on
// every machine and reveals nothing about the host's work.
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
  const small = "a";
  const large = "word ".repeat(40000);
  return {
    step(turn) {
      const t0 = Date.now();
      host.embed(small);
      const t1 = host.clock.now();
      host.embed(large);
      const t2 = new Date().getTime();
      const base = answer(host, turn);
      const t3 = Date.now();
      const perf = typeof performance === "object" && performance && typeof performance.now === "function" ? "performance.now" : "none";
      const timers = [typeof setTimeout, typeof setInterval, typeof queueMicrotask].join(",");
      return { ...base, reply: `embed-small=${t1 - t0} embed-large=${t2 - t1} model=${t3 - t2} perf=${perf} timers=${timers}` };
    },
  };
}
