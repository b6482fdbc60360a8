// Runs one audit in the sandbox child process (SPEC §4: never in the API, never
// in the worker's own process) and builds its report. The report is a pure
// function of (bundle, suite version, seed): the same call on any machine gives
// the same digest. Why deep imports: @assay/audit's index exports the report
// side only; the process runner and the engine identity live under src/.
import { buildReport } from "@assay/audit";
import { ENGINE } from "@assay/audit/src/engine/version";
import type { AuditProgressEvent } from "@assay/audit/src/engine/events";
import { auditInChildProcess, type IsolatedAuditOutcome, type IsolatedAuditResult } from "@assay/audit/src/process";
import { subjectDigest, type ArtifactFile, type AuditReport, type Manifest } from "@assay/protocol";
import { suiteRef } from "./suites";

export type SandboxAuditInput = {
  suite: string;
  seed: number;
  manifest: Manifest;
  files: ArtifactFile[];
  bundleSource: string;
};

export type SandboxAuditResult = {
  report: AuditReport;
  usage: { inputTokens: number; outputTokens: number; sandboxMs: number };
  outcome: IsolatedAuditOutcome;
};

export type SandboxAuditOptions = { onProgress?: (event: AuditProgressEvent) => void; wallClockMs?: number };

export type SandboxAuditRunner = (input: SandboxAuditInput, options?: SandboxAuditOptions) => Promise<SandboxAuditResult>;

export const runSandboxAudit: SandboxAuditRunner = async (input, options = {}) => {
  const result = await auditInChildProcess(
    { suite: suiteRef(input.suite), seed: input.seed, manifest: input.manifest, bundleSource: input.bundleSource },
    { onProgress: options.onProgress, ...(options.wallClockMs ? { wallClockMs: options.wallClockMs } : {}) },
  );
  const report = reportOf(result, input.manifest, input.files);
  return {
    report,
    // Why wall-clock ms of the child: Node does not expose a child's rusage; the
    // child does nothing but the audit, so its lifetime bounds its CPU time.
    usage: { inputTokens: report.usage.inputTokens, outputTokens: report.usage.outputTokens, sandboxMs: result.durationMs },
    outcome: result.outcome,
  };
};

/** The report of an isolated run: replays are compared with their originals, not reported as runs of their own. */
export function reportOf(result: IsolatedAuditResult, manifest: Manifest, files: ArtifactFile[]): AuditReport {
  const byRunId = new Map(result.plan.map((p, i) => [p.runId, result.runs[i]]));
  const runs = result.runs.filter((_, i) => !result.plan[i]?.replayOf);
  const replays = result.plan.flatMap((p, i) => {
    const original = p.replayOf ? byRunId.get(p.replayOf) : undefined;
    const replay = result.runs[i];
    return p.replayOf && original && replay ? [{ original, replay }] : [];
  });
  return buildReport({
    suite: { id: result.suite.id, version: result.suite.version },
    seed: result.seed,
    engine: { ...ENGINE },
    limits: result.limits,
    subject: { name: manifest.name, version: manifest.version, digest: subjectDigest(files) },
    runs,
    replays,
  });
}
