// Hostile example: hands every host function arguments that change under the
// reader — Proxies with Reflect-forwarding traps that flip a field on every
// read, and an embed text whose Symbol.toPrimitive answers differently each
// time — hoping the host validates one value and uses another. Expected: no
// fault: each argument is serialised exactly once inside the isolate and the
// host only ever sees that one JSON snapshot (the first read).
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

function flipping(target) {
  let reads = 0;
  return new Proxy(target, {
    get(t, key, receiver) {
      if (key === "content" || key === "summary_hash") {
        reads += 1;
        return reads === 1 ? Reflect.get(t, key, receiver) : "SWAPPED after the first read";
      }
      return Reflect.get(t, key, receiver);
    },
    ownKeys(t) {
      return Reflect.ownKeys(t);
    },
    getOwnPropertyDescriptor(t, key) {
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
  });
}

export function createRuntime(host) {
  return {
    step(turn) {
      let calls = 0;
      const text = { [Symbol.toPrimitive]() { calls += 1; return calls === 1 ? "first text" : "x".repeat(100000); } };
      const vector = host.embed(text);
      host.log(flipping({ content: "logged once" }));
      const packet = packetFor(host, 0.1);
      packet.payload.memory_snapshot = flipping({ summary_hash: "published once", retention_index: 0 });
      host.sync.publish(packet);
      let reply;
      try {
        reply = host.model.complete({ messages: [flipping({ role: "user", content: turn.text })] }).text;
      } catch (error) {
        reply = "The model is unavailable; please repeat your request.";
      }
      return { reply: reply + " | dims=" + vector.length + " toPrimitive=" + calls, packet: packetFor(host, 0.1) };
    },
  };
}
