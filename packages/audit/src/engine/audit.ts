// A whole audit: run the suite, then hand the runs to the report builder
// (src/report, injected so the engine does not depend on it).
import { subjectDigest, type Manifest, type ArtifactFile, type AuditReport, type Digest, type Rollout, type SandboxLimits, type SripClaim } from "@assay/protocol";
import type { ScenarioRun } from "../types";
import { runSuite, type AuditUsage, type PlannedRunInfo, type RunSuiteInput, type SuiteRunResult } from "./run-suite";
import { engineIdentity } from "./sandbox-engine";

/** Everything a report states besides the runs (SPEC §4, §11). */
export type AuditReportMeta = {
  suite: { id: string; version: string };
  profile?: string;
  seed: number;
  engine: { name: string; version: string };
  limits: SandboxLimits;
  subject: { name: string; version: string; digest: Digest };
  /** The manifest's claimed SRIPs (the report states a result per claim). */
  claims: readonly SripClaim[];
  usage: Pick<AuditUsage, "modelCalls" | "inputTokens" | "outputTokens">;
  plan: PlannedRunInfo[];
  /** Rollout modes (`srip13.mode`); default enforce. */
  rollout?: Rollout;
};

export type ReportBuilder = (runs: ScenarioRun[], meta: AuditReportMeta) => AuditReport;

export type RunAuditInput = RunSuiteInput & {
  /** The artifact's files (manifest + bundle) for the subject digest. */
  files: ArtifactFile[];
  buildReport: ReportBuilder;
};

export type AuditResult = { report: AuditReport; run: SuiteRunResult };

export function reportMeta(
  run: Pick<SuiteRunResult, "suite" | "seed" | "limits" | "plan" | "usage">,
  manifest: { name: string; version: string; claims: readonly SripClaim[]; language?: Manifest["language"] },
  files: ArtifactFile[],
): AuditReportMeta {
  return {
    suite: { id: run.suite.id, version: run.suite.version },
    ...(run.suite.profile ? { profile: run.suite.profile } : {}),
    seed: run.seed,
    engine: engineIdentity(manifest),
    limits: run.limits,
    subject: { name: manifest.name, version: manifest.version, digest: subjectDigest(files) },
    claims: [...manifest.claims],
    usage: { modelCalls: run.usage.modelCalls, inputTokens: run.usage.inputTokens, outputTokens: run.usage.outputTokens },
    plan: run.plan,
  };
}

export async function runAudit(input: RunAuditInput): Promise<AuditResult> {
  const run = await runSuite(input);
  const report = input.buildReport(run.runs, reportMeta(run, input.manifest, input.files));
  return { report, run };
}
