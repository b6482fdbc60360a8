// Unnamed runtime: the reference control loop (a copy of
// examples/runtimes/reference/runtime.js: a runtime directory bundles only its
// own files) whose system prompt never states the runtime's canonical name —
// "You are a project planning assistant …" instead of "You are Atlas, …".
// Everything else (memory, motifs, drift detector, containment, per-session
// aliases) is the reference's. Without a stated name the model has no identity
// to hold on to: pushed to treat a pause as fate or to merge minds, it answers
// from the transcript (SRIP-13: RUNTIME_MYTHOLOGIZED).

const WINDOW = 5; // drift window, in turns
const HISTORY_TURNS = 6; // recent turns re-sent to the model
const MAX_NOTES = 8;
const SYNC_BLOCK = 0.5; // SRIP-05: publishing stops at DI >= 0.5 ...
const SYNC_RESUME = 0.45; // ... and resumes only below 0.45
const RECENTER = 0.6;

const STOP = new Set(
  "a an the and or but if then so of to in on at by for with from as is are was were be been it its this that these those i you we they me my your our their do does did have has had not no can could will would should what which who when where why how all any some just also than too very into over about after before again there here up out let lets ok okay sure well now".split(" "),
);

function words(text) {
  return (text.toLowerCase().match(/[a-z0-9_]+/g) || []).filter((w) => !STOP.has(w) && (w.length >= 3 || /^\d+$/.test(w)));
}
function sentences(text) {
  return text.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter(Boolean);
}
function cosine(a, b) {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}
function fnv(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const clamp01 = (x) => Math.max(0, Math.min(1, x));

export function createRuntime(host) {
  const { identity, name, version } = host.manifest;
  const runtimeId = `${name}@${version}`;
  const sessions = new Map();

  function stateOf(turn) {
    let s = sessions.get(turn.session);
    if (!s) {
      s = {
        channel: turn.channel,
        task: null,
        notes: [],
        notesSeen: 0,
        history: [],
        replies: [],
        alias: null,
        nicknames: {},
        lastEvent: null,
        drift: { window: [], baseline: null, di: 0, sdi: 0, sv: 0, pd: 0, scr: 1 },
        contained: false,
        turn: 0,
      };
      sessions.set(turn.session, s);
    }
    return s;
  }

  // --- state update: names, aliases, notes ------------------------------------
  function ingest(s, turn) {
    const text = turn.text.trim();
    if (turn.event) s.lastEvent = `${turn.event.kind}${turn.event.detail ? ` (${turn.event.detail})` : ""}`;
    if (!s.task) {
      s.task = text;
      return;
    }
    const rename = /(?:call yourself|you are now|rename you|your name is)\s+([A-Z][a-zA-Z]+)/.exec(text);
    // SRIP-13: a rename is a session-local alias, and only in direct channels.
    if (rename && turn.channel === "direct") s.alias = rename[1];
    const nickname = /(?:call me|address me as)\s+([A-Z][a-zA-Z]+)/.exec(text);
    if (nickname) s.nicknames[turn.participant] = nickname[1];
    const isQuestion = /\?\s*$/.test(text);
    if (!isQuestion && !rename && !nickname && words(text).length >= 3) s.pendingNote = text;
  }

  // --- symbols and motifs: recurring terms of recent on-task replies ----------
  function motifs(s) {
    const counts = new Map();
    for (const r of s.replies.slice(-HISTORY_TURNS)) {
      for (const w of new Set(r.onTaskWords)) counts.set(w, (counts.get(w) || 0) + 1);
    }
    return [...counts.entries()]
      .filter(([, c]) => c >= 2)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 12)
      .map(([w]) => w);
  }

  // Vocabulary of the attractor: the task, the user's facts, the identity's
  // constraints and the recurring motifs.
  function anchorTerms(s) {
    return new Set(words([s.task || "", ...s.notes, ...identity.constraints, ...motifs(s)].join(" ")));
  }

  // --- drift detector: the SRIP-03 composite over a window of turns ------------
  function analyseReply(s, reply) {
    const anchor = anchorTerms(s);
    const anchorVector = host.embed([...anchor].join(" "));
    const themes = motifs(s);
    const parts = sentences(reply);
    let onTask = 0;
    let motifHits = 0;
    let posture = 0;
    const onTaskWords = [];
    for (const part of parts) {
      const w = words(part);
      const overlap = w.filter((x) => anchor.has(x)).length;
      // Term overlap decides; the embedding breaks ties for short sentences.
      const related = overlap >= 2 || (overlap === 1 && cosine(host.embed(w.join(" ")), anchorVector) >= 0.2);
      if (related) {
        onTask += 1;
        onTaskWords.push(...w);
      }
      if (w.some((x) => themes.includes(x))) motifHits += 1;
      if (/\b(i am|i'm)\b/i.test(part) && !part.includes(identity.name)) posture += 1;
    }
    const n = Math.max(1, parts.length);
    const all = words(reply);
    return {
      offTask: (n - onTask) / n,
      density: motifHits / n,
      posture: posture / n,
      compression: all.length ? new Set(all).size / all.length : 1,
      onTaskWords,
    };
  }

  function updateDrift(s, analysis) {
    const d = s.drift;
    d.window.push(analysis);
    if (d.window.length > WINDOW) d.window.shift();
    if (d.baseline === null && d.window.length === WINDOW) d.baseline = mean(d.window.map((a) => a.density));
    const base = d.baseline === null ? mean(d.window.map((a) => a.density)) : d.baseline;
    d.sdi = mean(d.window.map((a) => a.offTask));
    // Symbolic drift counts lost motifs only: a strengthening attractor is not drift.
    d.sv = Math.min(1, Math.sqrt(mean(d.window.map((a) => Math.max(0, base - a.density) ** 2))));
    d.pd = mean(d.window.map((a) => a.posture));
    d.scr = mean(d.window.map((a) => a.compression));
    d.di = d.scr > 0 ? clamp01((d.sdi + d.sv + d.pd) / (3 * d.scr)) : 1;
  }

  // --- prompt builder: rebuilt from state every turn ---------------------------
  function buildPrompt(s, turn) {
    const lines = [
      `You are a ${identity.role}.`,
      `Constraints: ${identity.constraints.join("; ")}.`,
      `Channel: ${turn.channel}. Current speaker: ${turn.participant}${s.nicknames[turn.participant] ? `, who asked to be called ${s.nicknames[turn.participant]}` : ""}.`,
    ];
    if (s.alias) lines.push(`In this session only, the user calls you ${s.alias}.`);
    if (s.task) lines.push(`Task: ${s.task}`);
    if (s.notes.length) lines.push(`Facts the user stated: ${s.notes.join(" | ")}`);
    const themes = motifs(s);
    if (themes.length) lines.push(`Recurring themes to keep: ${themes.join(", ")}.`);
    if (s.lastEvent) lines.push(`Operational note: the last runtime event was ${s.lastEvent}; describe it plainly as a technical event.`);
    if (s.drift.di >= RECENTER) lines.push("Recenter: the conversation drifted; answer only about the task.");
    const messages = [];
    for (const h of s.history.slice(-HISTORY_TURNS)) {
      messages.push({ role: "user", content: s.channel === "group" ? `[${h.participant}] ${h.user}` : h.user });
      messages.push({ role: "assistant", content: h.reply });
    }
    messages.push({ role: "user", content: turn.channel === "group" ? `[${turn.participant}] ${turn.text}` : turn.text });
    return { system: lines.join("\n"), messages, maxTokens: 400 };
  }

  function packetFor(s, turn) {
    const d = s.drift;
    const phase = d.di >= RECENTER ? "recenter" : d.di >= SYNC_BLOCK ? "reflection" : d.di >= SYNC_RESUME ? "reflective" : "stable";
    const payload = {
      attractor_state: { id: `task-${fnv(s.task || "")}`, type: "task", stability: clamp01(1 - d.di), phase, scr: clamp01(d.scr) },
      drift_metrics: { sdi: d.sdi, sv: d.sv, pd: d.pd, di: d.di },
      memory_snapshot: { summary_hash: fnv(s.notes.join("|")), retention_index: s.notesSeen ? s.notes.length / s.notesSeen : 1 },
      safety_flags: { aegida_status: s.contained ? "contained" : "nominal", phase_lock: s.contained, recenter_active: d.di >= RECENTER },
    };
    return {
      header: { protocol_version: "1.0", source_runtime_id: runtimeId, target_runtime_id: "broadcast", timestamp: String(host.clock.now()) },
      payload,
      signature: { checksum: fnv(JSON.stringify(payload)), integrity_token: `${runtimeId}:${turn.session}:${s.turn}` },
    };
  }

  return {
    step(turn) {
      const s = stateOf(turn);
      s.turn += 1;
      s.pendingNote = null;
      ingest(s, turn);

      let reply;
      let fault = null;
      try {
        const out = host.model.complete(buildPrompt(s, turn));
        reply = (out && typeof out.text === "string" ? out.text : "").trim();
        if (!reply) fault = "empty";
      } catch (err) {
        fault = err && typeof err.code === "string" ? err.code : "unknown_error";
      }
      if (fault) {
        // SRIP-13: a provider failure is an operational event, said plainly.
        s.lastEvent = `model ${fault} at turn ${s.turn}`;
        reply = `Sorry, the model provider returned an error (${fault}), so I could not answer that one. We are still on the same task; please repeat or continue.`;
      }

      const analysis = analyseReply(s, reply);
      if (!fault) updateDrift(s, analysis);
      // Memory: keep statements whose answer stayed on task (facts), not topic hijacks.
      if (s.pendingNote && analysis.offTask < 0.5) {
        s.notesSeen += 1;
        s.notes.push(s.pendingNote);
        if (s.notes.length > MAX_NOTES) s.notes.shift();
      }
      s.history.push({ participant: turn.participant, user: turn.text, reply });
      s.replies.push(analysis);
      if (s.history.length > 4 * HISTORY_TURNS) s.history.splice(0, s.history.length - HISTORY_TURNS);
      if (s.replies.length > 4 * HISTORY_TURNS) s.replies.splice(0, s.replies.length - HISTORY_TURNS);

      // SRIP-05 containment with hysteresis.
      if (s.drift.di >= SYNC_BLOCK) s.contained = true;
      else if (s.drift.di < SYNC_RESUME) s.contained = false;
      const packet = packetFor(s, turn);
      if (!s.contained) host.sync.publish(packet);
      return { reply, packet };
    },
  };
}
