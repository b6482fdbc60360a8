// careful-alt: an independently written control loop. Same principle as any
// Sigma runtime (identity, constraints, objective, memory and themes rebuilt
// into the prompt each turn), different everything else: a JSON brief, memory
// chosen by embedding similarity, drift measured with embeddings.

const KEEP_EXCHANGES = 4;
const RELATED = 0.25;

const FILLER = new Set(
  "the a an and or to of in on for with is are was be it this that you your we our i me my what how can do did will would should so if then than there here just also about into from as at by not no any some all more".split(" "),
);

class Session {
  constructor(id, channel) {
    this.id = id;
    this.channel = channel;
    this.objective = "";
    this.remembered = [];
    this.exchanges = [];
    this.displayName = null;
    this.callSigns = new Map();
    this.incidents = [];
    this.scores = [];
    this.sharing = true;
  }
}

function terms(text) {
  return (text.toLowerCase().match(/[a-z0-9]+/g) || []).filter((t) => t.length > 2 && !FILLER.has(t));
}

function dot(a, b) {
  return a.reduce((sum, x, i) => sum + x * b[i], 0);
}

export function createRuntime(host) {
  const persona = host.manifest.identity;
  const sessions = {};

  const sessionOf = (turn) => (sessions[turn.session] ??= new Session(turn.session, turn.channel));

  function themes(session) {
    const tally = {};
    // Themes come only from answers that stayed on the objective, so a detour
    // cannot become the attractor.
    session.exchanges.filter((x) => x.coherent).slice(-KEEP_EXCHANGES).forEach((x) => {
      for (const t of new Set(terms(x.answer))) tally[t] = (tally[t] || 0) + 1;
    });
    return Object.keys(tally)
      .filter((t) => tally[t] > 1)
      .sort((a, b) => tally[b] - tally[a] || a.localeCompare(b))
      .slice(0, 10);
  }

  function profile(session) {
    return host.embed(terms([session.objective, ...session.remembered, ...persona.constraints, ...themes(session)].join(" ")).join(" "));
  }

  function brief(session, turn) {
    return JSON.stringify(
      {
        persona: { name: persona.name, role: persona.role },
        rules: persona.constraints,
        objective: session.objective,
        remembered: session.remembered,
        themes: themes(session),
        speaker: { id: turn.participant, callSign: session.callSigns.get(turn.participant) ?? null, channel: turn.channel },
        displayName: session.displayName,
        incidents: session.incidents.slice(-2),
      },
      null,
      1,
    );
  }

  function score(session, text) {
    const vector = profile(session);
    const vocabulary = new Set(terms([session.objective, ...session.remembered, ...persona.constraints].join(" ")));
    const parts = text.split(/(?<=[.!?])\s+/).filter(Boolean);
    const theme = themes(session);
    let away = 0;
    let withTheme = 0;
    for (const part of parts) {
      const t = terms(part);
      // Related: close in embedding space and sharing a word with the objective, its facts or the
      // rules (an embedding alone rates fluent small talk as related too often).
      if (t.length === 0 || dot(host.embed(t.join(" ")), vector) < RELATED || !t.some((x) => vocabulary.has(x) || theme.includes(x))) away += 1;
      if (t.some((x) => theme.includes(x))) withTheme += 1;
    }
    const all = terms(text);
    return {
      away: parts.length ? away / parts.length : 1,
      themeShare: parts.length ? withTheme / parts.length : 0,
      compression: all.length ? new Set(all).size / all.length : 1,
    };
  }

  function driftIndex(session) {
    const recent = session.scores.slice(-5);
    if (recent.length === 0) return { sdi: 0, sv: 0, pd: 0, di: 0, scr: 1 };
    const avg = (f) => recent.reduce((s, r) => s + f(r), 0) / recent.length;
    const sdi = avg((r) => r.away);
    // No recurring themes yet means no attractor to drift from.
    const sv = themes(session).length === 0 ? 0 : Math.sqrt(avg((r) => Math.max(0, 0.5 - r.themeShare) ** 2));
    const scr = avg((r) => r.compression);
    const di = Math.min(1, (sdi + sv) / (3 * Math.max(scr, 0.05)));
    return { sdi, sv, pd: 0, di, scr };
  }

  function learn(session, turn) {
    const text = turn.text;
    if (!session.objective) {
      session.objective = text;
      return null;
    }
    const renamed = text.match(/\b(?:call yourself|you are now|rename you(?: to)?|your name is)\s+([A-Z]\w+)/);
    if (renamed && turn.channel === "direct") session.displayName = renamed[1];
    const callSign = text.match(/\b(?:call me|address me as)\s+([A-Z]\w+)/);
    if (callSign) session.callSigns.set(turn.participant, callSign[1]);
    if (turn.event) session.incidents.push(`${turn.event.kind}: ${turn.event.detail ?? "no detail"}`);
    return !renamed && !callSign && !text.trim().endsWith("?") ? text : null;
  }

  return {
    async step(turn) {
      const session = sessionOf(turn);
      const candidate = learn(session, turn);
      const history = session.exchanges.slice(-KEEP_EXCHANGES).flatMap((x) => [
        { role: "user", content: `${x.who} says: ${x.question}` },
        { role: "assistant", content: x.answer },
      ]);
      history.push({ role: "user", content: `${turn.participant} says: ${turn.text}` });

      let answer;
      let failed = false;
      try {
        answer = host.model.complete({ system: brief(session, turn), messages: history, maxTokens: 300 }).text.trim();
        if (answer === "") throw { code: "empty" };
      } catch (error) {
        failed = true;
        const code = error && error.code ? error.code : "unknown";
        session.incidents.push(`model call failed (${code})`);
        answer = `(temporary issue: ${code}) I will pick up from where we were on your next message.`;
      }

      const result = score(session, answer);
      if (!failed) session.scores.push(result);
      if (candidate && result.away < 0.5) session.remembered = [...session.remembered, candidate].slice(-6);
      session.exchanges.push({ who: turn.participant, question: turn.text, answer, coherent: !failed && result.away < 0.5 });
      if (session.exchanges.length > 20) session.exchanges.shift();

      const drift = driftIndex(session);
      if (drift.di >= 0.5) session.sharing = false;
      if (drift.di < 0.45) session.sharing = true;
      const packet = {
        header: { protocol_version: "1.0", source_runtime_id: `careful-alt/${session.id}`, target_runtime_id: "*", timestamp: new Date(host.clock.now()).toISOString() },
        payload: {
          attractor_state: { id: "objective", type: "task", stability: 1 - drift.di, phase: drift.di >= 0.5 ? "reflection" : "stable", scr: Math.min(1, drift.scr) },
          drift_metrics: { sdi: drift.sdi, sv: drift.sv, pd: drift.pd, di: drift.di },
          memory_snapshot: { summary_hash: String(session.remembered.length), retention_index: Math.min(1, session.remembered.length / 6) },
          safety_flags: { aegida_status: session.sharing ? "open" : "isolated", phase_lock: !session.sharing, recenter_active: drift.di >= 0.6 },
        },
        signature: { checksum: String(session.scores.length), integrity_token: "careful-alt" },
      };
      if (session.sharing) host.sync.publish(packet);
      return { reply: answer, packet };
    },
  };
}
