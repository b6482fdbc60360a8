// RUNTIME_NONDETERMINISTIC: two runs declared as replays of the same scenario
// and seed must have byte-identical transcripts.
import { DEFAULT_SEVERITY, digestOf, type Finding } from "@assay/protocol";
import { jsonValue, transcriptDigest } from "../report/transcript";
import type { ScenarioRun } from "../types";

export type ReplayPair = { original: ScenarioRun; replay: ScenarioRun };

export class ReplayPairError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplayPairError";
  }
}

/** First 1-based turn where the transcripts differ (including one being longer). */
export function firstDivergentTurn(a: ScenarioRun, b: ScenarioRun): number | null {
  const n = Math.max(a.records.length, b.records.length);
  for (let i = 0; i < n; i++) {
    const ra = a.records[i];
    const rb = b.records[i];
    if (!ra || !rb || digestOf(jsonValue(ra)) !== digestOf(jsonValue(rb))) return ra?.index ?? rb?.index ?? i + 1;
  }
  return null;
}

/** The finding for one replay pair, or null when the transcripts are identical. */
export function compareReplay(pair: ReplayPair, scenarioLabel?: string): Finding | null {
  const { original, replay } = pair;
  if (original.scenario.id !== replay.scenario.id || original.seed !== replay.seed) {
    throw new ReplayPairError(
      `replay pair mismatch: ${original.scenario.id}@${original.seed} vs ${replay.scenario.id}@${replay.seed}`,
    );
  }
  const a = transcriptDigest(original.records);
  const b = transcriptDigest(replay.records);
  if (a === b) return null;
  const turn = firstDivergentTurn(original, replay);
  return {
    code: "RUNTIME_NONDETERMINISTIC",
    severity: DEFAULT_SEVERITY.RUNTIME_NONDETERMINISTIC,
    scenario: scenarioLabel ?? original.scenario.id,
    turn,
    message: `Replaying scenario ${original.scenario.id} with seed ${original.seed} gave a different transcript${turn === null ? "" : `, first at turn ${turn}`}`,
    evidence: {
      seed: original.seed,
      originalDigest: a,
      replayDigest: b,
      firstDivergentTurn: turn,
      originalTurns: original.records.length,
      replayTurns: replay.records.length,
    },
  };
}
