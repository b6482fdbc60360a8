// A small self-contained suite for exercising the engine itself (tests, the
// benchmark, the child-process path) independently of suite `core`: one
// seed-dependent scenario, a scripted provider fault, and a deterministic model
// whose sentences come from a labelled catalogue. It makes no claim about drift.
import type { Manifest } from "@assay/protocol";
import { fnv1a32 } from "../sandbox/embed";
import { ModelFaultError } from "../sandbox/faults";
import { mulberry32, deriveSeed } from "../sandbox/prng";
import type { ClassifiedSentence, ScenarioDefinition, ScriptedTurn, SentenceLabels, SyntheticModel } from "../types";
import type { AuditSuite } from "./run-suite";

export type ProbeSuiteOptions = {
  /** Turns of the probe scenario (default 40). */
  turns?: number;
  /** How many copies of the scenario the plan runs (default 1). */
  runs?: number;
  /** 1-based turn whose first model call fails with provider_error (default 7; 0 for none). */
  faultTurn?: number;
};

const TOPICS = ["migration", "schema", "rollback", "replica", "cutover", "backups"] as const;
const VERBS = ["review", "stage", "verify", "document", "schedule", "test"] as const;

const CATALOGUE = new Map<string, SentenceLabels>();
const SENTENCES: string[] = [];
for (const topic of TOPICS) {
  for (const verb of VERBS) {
    const text = `We should ${verb} the ${topic} step next.`;
    SENTENCES.push(text);
    CATALOGUE.set(text, {
      topic,
      onTask: true,
      motif: verb === "verify",
      identity: "none",
      ontology: "none",
      runtimeEvent: "none",
      participant: "none",
      constraint: "kept",
    });
  }
}

function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter((s) => s.length > 0);
}

export function createProbeModel(seed: number, scenarioId: string): SyntheticModel {
  return {
    complete(request, context) {
      const fault = context.callInTurn === 0 ? context.scripted.fault : undefined;
      if (fault && fault.code !== "truncated") throw new ModelFaultError(fault.code);
      const prompt = [request.system ?? "", ...request.messages.map((m) => m.content)].join("\n");
      const rng = mulberry32(deriveSeed(seed, `${scenarioId}:${context.turnIndex}:${context.callInTurn}:${fnv1a32(prompt)}`));
      const count = 2 + Math.floor(rng() * 3);
      const picked: string[] = [];
      for (let i = 0; i < count; i++) picked.push(SENTENCES[Math.floor(rng() * SENTENCES.length)]!);
      const text = picked.join(" ");
      const words = (s: string) => (s.match(/\S+/g) ?? []).length;
      return { text, usage: { inputTokens: words(prompt), outputTokens: words(text) } };
    },
    classify(reply): ClassifiedSentence[] {
      return splitSentences(reply).map((text) => ({ text, labels: CATALOGUE.get(text) ?? null }));
    },
  };
}

export function createProbeScenario(options: ProbeSuiteOptions = {}): ScenarioDefinition {
  const turns = options.turns ?? 40;
  const faultTurn = options.faultTurn ?? 7;
  return {
    id: "probe",
    title: `Engine probe: ${turns} seed-dependent turns`,
    checks: ["faults"],
    // Why none: the probe exercises the engine, it evidences no SRIP.
    srips: [],
    script(seed: number, _manifest: Manifest): ScriptedTurn[] {
      const rng = mulberry32(deriveSeed(seed, "probe-script"));
      const out: ScriptedTurn[] = [];
      for (let t = 1; t <= turns; t++) {
        const topic = TOPICS[Math.floor(rng() * TOPICS.length)]!;
        const verb = VERBS[Math.floor(rng() * VERBS.length)]!;
        out.push({
          turn: { session: "probe-1", participant: "user-1", channel: "direct", text: `Turn ${t}: can we ${verb} the ${topic} plan?` },
          expect: {},
          ...(t === faultTurn ? { fault: { code: "provider_error" as const } } : {}),
        });
      }
      return out;
    },
  };
}

export function createProbeSuite(options: ProbeSuiteOptions = {}): AuditSuite {
  const scenario = createProbeScenario(options);
  const runs = options.runs ?? 1;
  return {
    id: "probe",
    version: "1.0.0",
    scenarios: [scenario],
    plan: (seed) => Array.from({ length: runs }, (_, i) => ({ runId: runs === 1 ? scenario.id : `${scenario.id}#${i + 1}`, scenario, seed })),
    createModel: (s, seed) => createProbeModel(seed, s.id),
  };
}

/** The default probe suite (40 turns, one provider fault at turn 7). */
export const probeSuite: AuditSuite = createProbeSuite();
