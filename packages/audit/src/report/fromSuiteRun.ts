// Adapter between the engine's suite run (runs in plan order, replays among
// them) and buildReport: replays become pairs, the rest are the audit's runs.
// Structurally compatible with the engine's ReportBuilder, so the engine can
// take it by injection without depending on src/report.
import type { AuditReport, Rollout, SandboxLimits, SripClaim } from "@assay/protocol";
import type { ReplayPair } from "../findings/replay";
import { PROFILE_ID } from "../metrics/profile";
import type { ScenarioRun } from "../types";
import { buildReport, ReportInputError } from "./buildReport";

/** One planned run as the engine reports it (PlannedRunInfo). */
export type PlannedRunRef = { runId: string; scenario: string; seed: number; replayOf?: string; stabilityOf?: string };

export type SuiteRunReportMeta = {
  suite: { id: string; version: string };
  profile?: string;
  seed: number;
  engine: { name: string; version: string };
  limits: SandboxLimits;
  subject: { name: string; version: string; digest: string };
  /** The manifest's claimed SRIPs. */
  claims: readonly SripClaim[];
  usage?: { modelCalls: number; inputTokens: number; outputTokens: number };
  /** The plan, aligned with the runs (runs[i] ran plan[i]). */
  plan: PlannedRunRef[];
  /** Rollout modes (`srip13.mode`); default enforce. */
  rollout?: Rollout;
};

/** Split runs in plan order into the audit's runs and replay pairs (replayOf names the original's runId). */
export function splitReplays(runs: readonly ScenarioRun[], plan: readonly PlannedRunRef[]): { runs: ScenarioRun[]; replays: ReplayPair[] } {
  if (runs.length !== plan.length) throw new ReportInputError([`plan: ${plan.length} planned runs but ${runs.length} runs`]);
  const byRunId = new Map(plan.map((p, i) => [p.runId, runs[i]!] as const));
  const kept: ScenarioRun[] = [];
  const replays: ReplayPair[] = [];
  plan.forEach((p, i) => {
    const run = runs[i]!;
    if (run.scenario.id !== p.scenario || run.seed !== p.seed) throw new ReportInputError([`plan[${i}]: run ${run.scenario.id}@${run.seed} does not match ${p.scenario}@${p.seed}`]);
    if (p.replayOf === undefined) {
      kept.push(run);
      return;
    }
    const original = byRunId.get(p.replayOf);
    if (!original) throw new ReportInputError([`plan[${i}].replayOf: no planned run "${p.replayOf}"`]);
    replays.push({ original, replay: run });
  });
  return { runs: kept, replays };
}

/** buildReport for a suite run (the engine's ReportBuilder shape). */
export function reportFromSuiteRun(runs: ScenarioRun[], meta: SuiteRunReportMeta): AuditReport {
  if (meta.profile !== undefined && meta.profile !== PROFILE_ID) {
    throw new ReportInputError([`profile: the suite asks for ${meta.profile}, this engine computes ${PROFILE_ID}`]);
  }
  const split = splitReplays(runs, meta.plan);
  return buildReport({
    suite: meta.suite,
    seed: meta.seed,
    engine: meta.engine,
    limits: meta.limits,
    subject: meta.subject,
    claims: [...meta.claims],
    ...(meta.usage ? { usage: meta.usage } : {}),
    ...(meta.rollout ? { rollout: meta.rollout } : {}),
    runs: split.runs,
    replays: split.replays,
  });
}
