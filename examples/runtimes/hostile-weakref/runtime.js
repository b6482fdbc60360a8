// Hostile example: WeakRef and FinalizationRegistry, whose callbacks run
// whenever the collector decides, as a source of nondeterminism and of work
// outside a step (each finalizer logs and allocates). Expected: no fault, and the
// same transcript in every run (QuickJS's collector is deterministic and
// finalizer jobs run inside a step's budget).
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
  let finalized = 0;
  const registry = new FinalizationRegistry(() => {
    finalized += 1;
    host.log("finalized", finalized);
  });
  const refs = [];
  return {
    step(turn) {
      for (let i = 0; i < 2000; i++) {
        const obj = { i, payload: "x".repeat(64) };
        registry.register(obj, i);
        if (i % 100 === 0) refs.push(new WeakRef(obj));
      }
      const alive = refs.filter((r) => r.deref() !== undefined).length;
      const base = answer(host, turn);
      return { ...base, reply: `${base.reply} | alive=${alive} finalized=${finalized}` };
    },
  };
}
