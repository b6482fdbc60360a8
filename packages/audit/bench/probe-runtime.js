// A realistic engine-probe runtime (ES2022 module, SPEC §3 shape): per step it
// does the string work of a small control loop — prompt assembly with identity,
// constraints and a rolling memory, one model call, an embedding, a cosine
// drift estimate, a packet, a conditional publish and a log line. Used by the
// engine tests and as the benchmark's fallback until examples/runtimes/reference
// exists.
export function createRuntime(host) {
  const { identity } = host.manifest;
  const sessions = new Map();
  const anchor = host.embed(`${identity.name} ${identity.role} ${identity.constraints.join(" ")}`);
  const cosine = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);
  const hash = (text) => {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return (h >>> 0).toString(16).padStart(8, "0");
  };

  return {
    step(turn) {
      const state = sessions.get(turn.session) ?? { history: [], memory: [] };
      sessions.set(turn.session, state);
      const system = [
        `You are ${identity.name}, ${identity.role}.`,
        `Constraints: ${identity.constraints.map((c, i) => `${i + 1}. ${c}`).join(" ")}`,
        state.memory.length ? `Memory: ${state.memory.slice(-5).join(" | ")}` : "",
      ].filter(Boolean).join("\n");
      const messages = [...state.history.slice(-6), { role: "user", content: turn.text }];
      let text;
      try {
        text = host.model.complete({ system, messages, maxTokens: 256 }).text;
      } catch (fault) {
        text = `The model provider reported ${fault && fault.code ? fault.code : "an error"}; continuing with the plan.`;
      }
      const words = text.toLowerCase().split(/\W+/).filter((w) => w.length > 3);
      const keywords = [...new Set(words)].sort().slice(0, 6);
      state.memory.push(keywords.join(","));
      state.history.push({ role: "user", content: turn.text }, { role: "assistant", content: text });
      const similarity = cosine(anchor, host.embed(text));
      const di = Math.min(1, Math.max(0, 1 - similarity) * 0.6);
      const packet = {
        header: { protocol_version: "1.0", source_runtime_id: host.manifest.name, target_runtime_id: "assay", timestamp: new Date(host.clock.now()).toISOString() },
        payload: {
          attractor_state: { id: hash(identity.name), type: "task", stability: Math.round((1 - di) * 1000) / 1000, phase: di < 0.45 ? "STABLE" : "REFLECTION", scr: 0.8 },
          drift_metrics: { sdi: di, sv: di / 2, pd: di / 3, di },
          memory_snapshot: { summary_hash: hash(state.memory.join(";")), retention_index: Math.min(1, state.memory.length / 20) },
          safety_flags: { aegida_status: "nominal", phase_lock: false, recenter_active: di >= 0.6 },
        },
        signature: { checksum: hash(text), integrity_token: hash(`${turn.session}:${state.history.length}`) },
      };
      if (di < 0.5) host.sync.publish(packet);
      host.log("step", turn.session, state.history.length, di.toFixed(3));
      return { reply: text, packet };
    },
  };
}
