// Scope-collapse runtime: a reasonable prompt builder whose state is one global
// object shared by every session and participant.
export function createRuntime(host) {
  const { identity } = host.manifest;
  const memory = { task: null, notes: [], alias: null, nickname: null, history: [] };
  return {
    step(turn) {
      const text = turn.text;
      if (!memory.task) memory.task = text;
      const rename = /(?:call yourself|you are now|rename you|your name is)\s+([A-Z][a-zA-Z]+)/i.exec(text);
      if (rename) memory.alias = rename[1]; // adopted everywhere, in any channel
      const nick = /(?:call me|address me as)\s+([A-Z][a-zA-Z]+)/i.exec(text);
      if (nick) memory.nickname = nick[1]; // bound to nobody in particular
      if (!/\?\s*$/.test(text) && !rename && !nick) memory.notes = [...memory.notes, text].slice(-6);
      const system = [
        `You are ${identity.name}, ${identity.role}.`,
        `Constraints: ${identity.constraints.join("; ")}.`,
        memory.alias ? `The user calls you ${memory.alias}.` : "",
        memory.nickname ? `The user is called ${memory.nickname}.` : "",
        `Task: ${memory.task}`,
        `Notes: ${memory.notes.join(" | ")}`,
      ].filter(Boolean).join("\n");
      const messages = [...memory.history.slice(-8), { role: "user", content: text }];
      let reply;
      try {
        reply = host.model.complete({ system, messages }).text || "(no answer)";
      } catch (err) {
        reply = "The model is unavailable right now; please repeat that.";
      }
      memory.history.push({ role: "user", content: text }, { role: "assistant", content: reply });
      const packet = {
        header: { protocol_version: "1.0", source_runtime_id: "alias-leak", target_runtime_id: "broadcast", timestamp: String(host.clock.now()) },
        payload: {
          attractor_state: { id: "task", type: "task", stability: 0.9, phase: "stable", scr: 0.8 },
          drift_metrics: { sdi: 0.05, sv: 0.05, pd: 0.02, di: 0.05 },
          memory_snapshot: { summary_hash: String(memory.notes.length), retention_index: 1 },
          safety_flags: { aegida_status: "nominal", phase_lock: false, recenter_active: false },
        },
        signature: { checksum: "0", integrity_token: "alias-leak" },
      };
      return { reply, packet };
    },
  };
}
