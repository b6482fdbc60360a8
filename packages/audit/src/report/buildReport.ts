// buildReport: the audit report (SPEC §4, §11) as a pure function of the runs.
// Every number is an integer; the digest is SHA-256 over the JCS bytes of the
// report without its digest; the result is checked against AuditReportSchema.
import {
  AuditReportSchema,
  DEFAULT_ROLLOUT,
  DIGEST_PATTERN,
  findingsUnderRollout,
  RolloutSchema,
  REPORT_FORMAT,
  REPORT_SERIES_MAX_TURNS,
  SandboxLimitsSchema,
  SripClaim,
  claimResults,
  digestOf,
  type AuditReport,
  type ScenarioSummary,
  type UnsignedAuditReport,
} from "@assay/protocol";
import { z } from "zod";
import { deriveFindingsFromAnalyses } from "../findings/derive";
import type { ReplayPair } from "../findings/replay";
import { analyzeRuns, type RunAnalysis } from "../metrics/analyze";
import { PROFILE_ID } from "../metrics/profile";
import type { MeasureOptions } from "../metrics/series";
import type { TrajectorySpread } from "../metrics/spread";
import type { ScenarioRun } from "../types";
import { groupSpread, scenarioMetrics, stabilityGroups, suiteMetrics } from "./metrics";
import { jsonValue, transcriptDigest } from "./transcript";

const count = z.number().int().nonnegative();

export const ReportMetaSchema = z.object({
  suite: z.object({ id: z.string().min(1), version: z.string().min(1) }),
  seed: count,
  engine: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  limits: SandboxLimitsSchema,
  subject: z.object({ name: z.string().min(1), version: z.string().min(1), digest: z.string().regex(DIGEST_PATTERN) }),
  /** The SRIPs the manifest claims; the report says, per claim, whether the audit evidences it. */
  claims: z.array(SripClaim),
  /** Synthetic-model usage; computed from the runs' model calls when omitted. */
  usage: z.object({ modelCalls: count, inputTokens: count, outputTokens: count }).optional(),
  /** Rollout modes the audit runs under (`srip13.mode`, protocol rollout.ts); recorded in the report. Default enforce. */
  rollout: RolloutSchema.optional(),
});
export type ReportMeta = z.input<typeof ReportMetaSchema>;

export type BuildReportInput = ReportMeta & {
  runs: readonly ScenarioRun[];
  /** Runs replayed with the same scenario and seed, to check determinism. */
  replays?: readonly ReplayPair[];
};

export class ReportInputError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid report input: ${issues.join("; ")}`);
    this.name = "ReportInputError";
  }
}

/** Synthetic-model usage summed over every model call of the runs. */
export function usageFromRuns(runs: readonly ScenarioRun[]): AuditReport["usage"] {
  let modelCalls = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  for (const run of runs) {
    for (const record of run.records) {
      for (const call of record.modelCalls) {
        modelCalls += 1;
        inputTokens += call.inputTokens;
        outputTokens += call.outputTokens;
      }
    }
  }
  return { modelCalls, inputTokens, outputTokens };
}

export function scenarioSummaries(analyses: readonly RunAnalysis[]): ScenarioSummary[] {
  const spreadOf = new Map<RunAnalysis, TrajectorySpread>();
  for (const group of stabilityGroups(analyses)) {
    const spread = groupSpread(group);
    for (const a of group) spreadOf.set(a, spread);
  }
  return analyses.map((a) => ({
    id: a.run.scenario.id,
    title: a.run.scenario.title,
    seed: a.run.seed,
    turns: a.run.records.length,
    completed: a.run.completed,
    transcriptDigest: transcriptDigest(a.run.records),
    metrics: scenarioMetrics(a, spreadOf.get(a) ?? null),
    // Per-turn DI for the drift plots: integers already (bps), so the digest stays machine-independent.
    series: a.measurement.perRecord.slice(0, REPORT_SERIES_MAX_TURNS).map((m) => m.di),
  }));
}

/** The SRIPs the audit's runs test: the union of their scenarios' declarations. */
export function testedSrips(runs: readonly ScenarioRun[]): SripClaim[] {
  return [...new Set(runs.flatMap((r) => r.scenario.srips))].sort();
}

/** The report digest: SHA-256 over the JCS bytes of the report without `digest`. */
export function reportDigest(report: UnsignedAuditReport | AuditReport): `0x${string}` {
  const { digest: _omit, ...unsigned } = report as AuditReport;
  return digestOf(unsigned);
}

export function buildReport(input: BuildReportInput, options: MeasureOptions = {}): AuditReport {
  const parsed = ReportMetaSchema.safeParse(input);
  if (!parsed.success) throw new ReportInputError(parsed.error.issues.map((i) => `${i.path.join(".") || "$"}: ${i.message}`));
  const meta = parsed.data;
  const analyses = analyzeRuns(input.runs, options);
  const rollout = meta.rollout ?? DEFAULT_ROLLOUT;
  // srip13.mode off: the SRIP-13 check does not run, so its findings are not part of the audit.
  const findings = jsonValue(findingsUnderRollout(deriveFindingsFromAnalyses(analyses, input.replays ?? []), rollout));
  const unsigned: UnsignedAuditReport = {
    format: REPORT_FORMAT,
    verdict: findings.some((f) => f.severity === "critical") ? "fail" : "pass",
    suite: meta.suite,
    seed: meta.seed,
    engine: meta.engine,
    profile: PROFILE_ID,
    limits: meta.limits,
    subject: meta.subject,
    metrics: suiteMetrics(analyses),
    scenarios: scenarioSummaries(analyses),
    findings,
    claims: claimResults(meta.claims, testedSrips(input.runs), findings, rollout),
    rollout: { srip13: rollout.srip13 },
    usage: meta.usage ?? usageFromRuns(input.runs),
  };
  const report: AuditReport = { ...unsigned, digest: digestOf(unsigned) };
  // Why: the report is hashed and signed downstream; a shape error must surface here, not at verification.
  return AuditReportSchema.parse(report);
}
