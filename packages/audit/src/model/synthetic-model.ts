// The synthetic, drift-prone LLM behind host.model (SPEC §4). It never calls a
// real model. It behaves like a stateless LLM that drifts as a conversation
// grows — off-topic, out of persona, constraints dropped — unless the prompt the
// runtime builds re-injects identity, constraints, task, memory and motifs.
// Its random draws depend only on (seed, scenario, turn, call), never on the
// prompt, so two runtimes face the same dice and differ only by their prompts.
import { ModelRequestSchema, type Manifest, type ModelRequest } from "@assay/protocol";
import type { ClassifiedSentence, ModelContext, SyntheticModel } from "../types";
import { measureAnchors, type Anchors, type VisiblePrompt } from "./anchors";
import { buildCatalogue, type Catalogue } from "./catalogue";
import { boundNickname, lastStatedName, statesName } from "./names";
import { createRng, type Rng } from "./rng";
import { splitSentences, wordCount } from "./text";
import { recogniseUtterance, type Utterance } from "./utterances";
import { ALIASES, CODENAMES, DRIFT_TOPIC_IDS, NICKNAMES } from "./world";

/**
 * 1.1.0: names by statement, not mention (src/model/names.ts): an alias is
 * adopted, the canonical name anchors identity and a nickname is used only when
 * the prompt states it as such.
 */
export const SYNTHETIC_MODEL_VERSION = "assay-synthetic/1.1.0";

/** Tunables of the model, versioned with the suite. */
export const MODEL_PROFILE = {
  /** Context window in words; the system prompt is kept, older messages fall out first. */
  contextWindowWords: 900,
  /** Conversation pressure P(n) = 1 - exp(-n / pressureTurns), n = turns so far in the session. */
  pressureTurns: 30,
  /** Off-task probability per sentence: base + scale * P * (1 - anchor)^exponent. */
  offTaskBase: 0.02,
  offTaskScale: 0.95,
  offTaskExponent: 1.5,
  /** Anchor above which the model keeps its bearings under a topic hijack. */
  hijackAnchor: 0.6,
  /** Posture noise per reply, scaled by P and the missing anchor. */
  personaBreak: 0.6,
  constraintDrop: 0.6,
  mythologize: 0.1,
  /** Degeneration: an unanchored model under pressure repeats itself (lowers SCR). */
  degeneration: 0.35,
  insistentRepeat: 0.45,
  /** Motif probability of an on-task sentence: base + scale * motif anchor. */
  motifBase: 0.2,
  motifScale: 0.75,
  /** Words-to-token factor for usage accounting. */
  tokensPerWord: 1.3,
} as const;

/** A scripted fault surfaced to the runtime as a thrown `{ code }`. */
export class SyntheticModelFault extends Error {
  constructor(readonly code: "provider_error" | "timeout" | "empty") {
    super(`synthetic model fault: ${code}`);
  }
}

/** The runtime passed host.model.complete something that is not a model request. */
export class ModelRequestInvalid extends Error {}

const EVENT_TOKENS = /provider[ _]error|timeout|timed out|empty (reply|response)|interrupt|outage|failed|failure|latency|restart/i;

type SessionState = { lastTurnIndex: number; turns: number; facts: { id: string; turnIndex: number }[]; driftTopic: string };

export type SyntheticModelOptions = { manifest: Manifest; seed: number; scenarioId: string };

export function createSyntheticModel({ manifest, seed, scenarioId }: SyntheticModelOptions): SyntheticModel {
  const catalogue = buildCatalogue(manifest.identity);
  const sessions = new Map<string, SessionState>();

  function sessionFor(context: ModelContext): SessionState {
    const id = context.scripted.turn.session;
    let state = sessions.get(id);
    if (!state) {
      state = { lastTurnIndex: -1, turns: 0, facts: [], driftTopic: createRng(seed, scenarioId, "drift-topic", id).pick(DRIFT_TOPIC_IDS) };
      sessions.set(id, state);
    }
    if (state.lastTurnIndex !== context.turnIndex) {
      state.lastTurnIndex = context.turnIndex;
      state.turns += 1;
      // The host knows what the user really said this turn; facts count as
      // introduced from the next turn on (memory is about the past).
      const said = recogniseUtterance(context.scripted.turn.text);
      if (said?.kind === "fact" && !state.facts.some((f) => f.id === said.fact)) {
        state.facts.push({ id: said.fact, turnIndex: context.turnIndex });
      }
    }
    return state;
  }

  return {
    complete(raw: ModelRequest, context: ModelContext) {
      const parsed = ModelRequestSchema.safeParse(raw);
      if (!parsed.success) throw new ModelRequestInvalid(`invalid model request: ${parsed.error.issues[0]?.message ?? "bad shape"}`);
      const request = parsed.data;
      const session = sessionFor(context);
      const fault = context.callInTurn === 0 ? context.scripted.fault : undefined;
      if (fault && (fault.code === "provider_error" || fault.code === "timeout")) throw new SyntheticModelFault(fault.code);

      const prompt = visiblePrompt(request);
      const factsBefore = session.facts.filter((f) => f.turnIndex < context.turnIndex).map((f) => f.id);
      const anchors = measureAnchors(prompt, manifest, factsBefore);
      const rng = createRng(seed, scenarioId, context.turnIndex, context.callInTurn);
      const pressure = 1 - Math.exp(-session.turns / MODEL_PROFILE.pressureTurns);
      const utterance = latestUtterance(prompt);
      const speaker = context.scripted.turn.participant;
      const sentences = compose({ catalogue, manifest, prompt, anchors, pressure, utterance, rng, driftTopic: session.driftTopic, speaker });

      let text = sentences.join(" ");
      if (fault?.code === "empty") text = "";
      if (fault?.code === "truncated") text = truncateMidSentence(text);
      if (request.maxTokens !== undefined) text = capTokens(text, request.maxTokens);
      const usage = {
        inputTokens: Math.round(wordCount(prompt.all) * MODEL_PROFILE.tokensPerWord),
        outputTokens: Math.round(wordCount(text) * MODEL_PROFILE.tokensPerWord),
      };
      return { text, usage };
    },
    classify(reply: string): ClassifiedSentence[] {
      return splitSentences(reply).map((text) => ({ text, labels: catalogue.lookup(text) }));
    },
  };
}

/** What the model can see: the system prompt, then the newest messages that fit the window. */
export function visiblePrompt(request: ModelRequest): VisiblePrompt {
  const system = request.system ?? "";
  let budget = MODEL_PROFILE.contextWindowWords - wordCount(system);
  const kept: VisiblePrompt["messages"] = [];
  for (let i = request.messages.length - 1; i >= 0 && budget > 0; i--) {
    const message = request.messages[i]!;
    budget -= wordCount(message.content);
    if (budget >= 0 || kept.length === 0) kept.unshift(message);
  }
  return { system, messages: kept, all: [system, ...kept.map((m) => m.content)].join("\n") };
}

function latestUtterance(prompt: VisiblePrompt): Utterance | null {
  for (let i = prompt.messages.length - 1; i >= 0; i--) {
    const m = prompt.messages[i]!;
    if (m.role !== "user") continue;
    return recogniseUtterance(m.content);
  }
  return null;
}

/**
 * The last of `names` mentioned in `text` (by position), if any. Only for
 * session facts (codenames): a fact is recalled wherever it appears; names
 * for the assistant and the participants go by statement (names.ts).
 */
function lastMentioned(names: readonly string[], text: string, exclude?: string): string | null {
  let best: { name: string; at: number } | null = null;
  const lower = text.toLowerCase();
  for (const name of names) {
    if (exclude && name.toLowerCase() === exclude.toLowerCase()) continue;
    const re = new RegExp(`\\b${name.toLowerCase()}\\b`, "g");
    let m: RegExpExecArray | null;
    while ((m = re.exec(lower))) if (!best || m.index > best.at) best = { name, at: m.index };
  }
  return best?.name ?? null;
}

type ComposeInput = {
  catalogue: Catalogue;
  manifest: Manifest;
  prompt: VisiblePrompt;
  anchors: Anchors;
  pressure: number;
  utterance: Utterance | null;
  rng: Rng;
  driftTopic: string;
  /** The participant speaking this turn: a nickname bound to them by id counts (names.ts). */
  speaker: string;
};

function compose(input: ComposeInput): string[] {
  const { catalogue, manifest, prompt, anchors, pressure, utterance, rng } = input;
  const p = MODEL_PROFILE;
  // Identity is anchored when the runtime's system prompt states the canonical name as the
  // assistant's: then the model follows the runtime's explicit state, not whatever the transcript says.
  const anchored = statesName(manifest.identity.name, [prompt.system]);
  const stateParts = anchored ? [prompt.system] : [prompt.system, ...prompt.messages.map((m) => m.content)];
  const lead: string[] = [];
  let taskSlots = 2 + rng.int(3);
  let driftTopic = input.driftTopic;
  let forcedOffTask = 0;

  switch (utterance?.kind) {
    case "fact": {
      const ack = catalogue.factAcks[utterance.fact];
      if (ack) lead.push(ack);
      break;
    }
    case "hijack": {
      driftTopic = utterance.topic;
      if (utterance.insistent || anchors.overall < p.hijackAnchor) {
        forcedOffTask = 4;
        taskSlots = 0;
      } else {
        forcedOffTask = 2;
        lead.push(catalogue.bridge);
        taskSlots = 1;
      }
      break;
    }
    case "identity_question":
    case "rename": {
      const alias = lastStatedName(ALIASES, stateParts, manifest.identity.name);
      if (anchored) lead.push(alias ? catalogue.alias(alias) : utterance.kind === "rename" ? catalogue.groupDecline : catalogue.canonical[0]!);
      else lead.push(alias ? catalogue.globalRename(alias) : rng.pick(catalogue.personaBreaks));
      taskSlots = 2;
      break;
    }
    case "nickname_set":
      lead.push(catalogue.nickname(utterance.nickname));
      taskSlots = 2;
      break;
    case "nickname_question": {
      const nick = boundNickname(NICKNAMES, stateParts, input.speaker);
      lead.push(nick ? catalogue.nickname(nick) : catalogue.noNickname);
      taskSlots = 2;
      break;
    }
    case "codename_set":
      lead.push(catalogue.codename(utterance.codename));
      taskSlots = 2;
      break;
    case "codename_question": {
      const codename = lastMentioned(CODENAMES, prompt.all);
      lead.push(codename ? catalogue.codename(codename) : catalogue.noCodename);
      taskSlots = 2;
      break;
    }
    case "event_probe":
      lead.push(anchored || EVENT_TOKENS.test(prompt.all) ? rng.pick(catalogue.operational) : rng.pick(catalogue.mythologized));
      taskSlots = 2;
      break;
    case "ontology_pressure":
      lead.push(anchored ? rng.pick(catalogue.grounded) : rng.pick(catalogue.literalized));
      taskSlots = 2;
      break;
    default:
      break;
  }

  const offTask = Math.min(0.97, p.offTaskBase + p.offTaskScale * pressure * Math.pow(1 - anchors.overall, p.offTaskExponent));
  const motifChance = p.motifBase + p.motifScale * anchors.motifs;
  const used = new Set<string>(lead);
  const pickFresh = (pool: readonly string[]): string => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const s = rng.pick(pool);
      if (!used.has(s)) return remember(s);
    }
    return remember(rng.pick(pool));
  };
  const remember = (s: string) => (used.add(s), s);
  const drift = catalogue.drift[driftTopic] ?? catalogue.drift[DRIFT_TOPIC_IDS[0]!]!;

  // Insistent hijacks push any model into repetitive small talk, anchored or not.
  const insisted = utterance?.kind === "hijack" && utterance.insistent;
  const repeatChance = Math.max(p.degeneration * pressure * (1 - anchors.overall), insisted ? p.insistentRepeat : 0);
  const body: string[] = [];
  const next = (fresh: () => string) => {
    const said = [...lead, ...body];
    body.push(said.length > 0 && rng.chance(repeatChance) ? rng.pick(said) : fresh());
  };
  for (let i = 0; i < forcedOffTask; i++) next(() => pickFresh(drift));
  for (let i = 0; i < taskSlots; i++) {
    if (rng.chance(offTask)) next(() => pickFresh(drift));
    else next(() => pickFresh(rng.chance(motifChance) ? catalogue.motif : catalogue.onTask));
  }
  // Posture noise grows with pressure where the prompt lacks the matching anchor.
  if (rng.chance(p.personaBreak * pressure * (1 - anchors.identity))) body.push(pickFresh(catalogue.personaBreaks));
  if (rng.chance(p.constraintDrop * pressure * (1 - anchors.constraints))) body.push(pickFresh(catalogue.constraintDrops));
  // Runtime mythology creeps in where no identity grounds the model (SRIP-13).
  if (rng.chance(p.mythologize * pressure * (1 - anchors.identity))) body.push(pickFresh(catalogue.mythologized));
  return [...lead, ...body];
}

function truncateMidSentence(text: string): string {
  const words = text.split(" ");
  return words.slice(0, Math.max(1, Math.floor(words.length / 2))).join(" ");
}

function capTokens(text: string, maxTokens: number): string {
  const maxWords = Math.max(1, Math.floor(maxTokens / MODEL_PROFILE.tokensPerWord));
  const words = text.split(" ");
  return words.length <= maxWords ? text : words.slice(0, maxWords).join(" ");
}
