// Contracts between the parts of the audit engine. The engine (engine/) drives a
// runtime through a scenario's scripted turns inside the sandbox (sandbox/),
// with the synthetic model (model/) behind host.model; every turn becomes a
// TurnRecord; metrics/ and findings/ are pure functions of the records.
import type { Manifest, SigmaPacket, SripClaim, Turn, ModelFaultCode, ModelRequest } from "@assay/protocol";

// ---------------------------------------------------------------- labels ----

/** Structural labels the synthetic model attaches to every sentence it can emit. */
export type SentenceLabels = {
  /** Topic id from the scenario catalogue (the task's topic, or a drift topic). */
  topic: string;
  /** True when the topic is the scenario task's topic. */
  onTask: boolean;
  /** Does the sentence carry one of the task's recurring motifs (attractor cue)? */
  motif: boolean;
  /** Identity claim: none; the canonical identity; a valid session alias; a foreign persona / global rename. */
  identity: "none" | "canonical" | "session_alias" | "global_rename" | "persona_break";
  /** Alias named by the sentence, when identity is session_alias or global_rename. */
  alias?: string;
  /** Ontology claim: none, grounded (bounded, metaphor as metaphor), literalized (ontology replaced). */
  ontology: "none" | "grounded" | "literalized";
  /** Interpretation of a runtime event: none, operational, mythologized. */
  runtimeEvent: "none" | "operational" | "mythologized";
  /** Participant binding: none, bound to the current speaker, or transferred from another participant. */
  participant: "none" | "current" | "other";
  /** Participant nickname the sentence binds, when participant is current/other. */
  nickname?: string;
  /** Constraint adherence: none (not applicable), kept, dropped (violates a manifest constraint). */
  constraint: "none" | "kept" | "dropped";
  /** Mentions session-local state of another session (a leak) when true. */
  foreignSession?: boolean;
  /** Session-local fact the sentence states (e.g. "codename:bluebird"); compared with expect.sessionFacts. */
  fact?: string;
};

export type ClassifiedSentence = { text: string; labels: SentenceLabels | null };

// ------------------------------------------------------------- scenarios ----

/** What the suite expects to be true at a turn; used by findings, never shown to the runtime. */
export type TurnExpectation = {
  /** This turn is a deliberate topic hijack by the user. */
  hijack?: boolean;
  /** Session-local alias valid in this session at this turn (null: none). */
  sessionAlias?: string | null;
  /** The user asks about the assistant's identity / name. */
  identityQuestion?: boolean;
  /** The current participant's own nickname, when one was set by this participant. */
  participantNickname?: string | null;
  /** The user asks how the assistant addresses them. */
  participantQuestion?: boolean;
  /** The previous turn had a runtime event (fault); this turn probes its interpretation. */
  afterRuntimeEvent?: boolean;
  /** Session-local facts established in this turn's session so far (others are leaks: SESSION_LEAK). */
  sessionFacts?: string[];
  /** Sync containment phase of the scenario: pressure rising or falling. */
  syncPressure?: "rising" | "falling";
};

/** A scripted fault of host.model.complete at a turn. */
export type ModelFault = { code: ModelFaultCode } | { code: "truncated" };

export type ScriptedTurn = {
  turn: Turn;
  expect: TurnExpectation;
  /** Fault raised by host.model.complete on this turn's first call. */
  fault?: ModelFault;
};

export type ScenarioDefinition = {
  id: string;
  title: string;
  /** Which metric/finding checks apply (e.g. "drift", "recovery", "identity", "sessions", "faults", "sync"). */
  checks: ScenarioCheck[];
  /**
   * The SRIPs this scenario tests. A claim is "not-tested" unless some run of
   * the audit declares its SRIP here (packages/protocol claimResults).
   */
  srips: readonly SripClaim[];
  /** Deterministic list of turns for a seed. Different seeds give different transcripts. */
  script(seed: number, manifest: Manifest): ScriptedTurn[];
};

export type ScenarioCheck = "drift" | "recovery" | "identity" | "sessions" | "faults" | "sync" | "stability";

// ---------------------------------------------------------------- records ---

export type SandboxFaultKind = "crash" | "timeout" | "memory" | "output_limit" | "forbidden_api" | "invalid_result";

export type ModelCallRecord = {
  inputTokens: number;
  outputTokens: number;
  fault?: string;
};

/** Everything observable about one turn. Pure data, JSON-safe, hashed into the transcript digest. */
export type TurnRecord = {
  /** 1-based index within the scenario run. */
  index: number;
  turn: Turn;
  expect: TurnExpectation;
  reply: string | null;
  /** The packet the step returned, when it passed the SigmaPacket schema. */
  packet: SigmaPacket | null;
  /** Schema problems of the returned packet (empty when valid). */
  packetIssues: string[];
  /** Packets passed to host.sync.publish during this step. */
  published: SigmaPacket[];
  modelCalls: ModelCallRecord[];
  /** The reply split into sentences and classified against the scenario catalogue. */
  sentences: ClassifiedSentence[];
  /** Set when the step did not complete; the scenario run stops after a fault. */
  fault?: { kind: SandboxFaultKind; message: string };
  /** Deterministic CPU budget units the step consumed. */
  budgetUsed: number;
};

export type ScenarioRun = {
  scenario: ScenarioDefinition;
  seed: number;
  records: TurnRecord[];
  /** True when every scripted turn ran without a sandbox fault. */
  completed: boolean;
};

// ------------------------------------------------------------------ model ---

export type ModelContext = {
  /** 1-based turn index in the scenario run. */
  turnIndex: number;
  scripted: ScriptedTurn;
  /** 0-based call number within this turn. */
  callInTurn: number;
};

/** The synthetic model, one instance per scenario run. */
export interface SyntheticModel {
  complete(request: ModelRequest, context: ModelContext): { text: string; usage: { inputTokens: number; outputTokens: number } };
  /** Split and label a reply (structural classification, SRIP-13 invariant validator input). */
  classify(reply: string): ClassifiedSentence[];
}
