// Runs one audit in the sandbox child process (SPEC §4: never in the API, never
// in the worker's own process) through @assay/audit's auditArtifact — the same
// entry point `assay validate` uses, so a worker's report and a developer's
// local report of the same artifact, suite and seed are byte-identical.
import { auditArtifact, type AuditProgressEvent, type IsolatedAuditOutcome } from "@assay/audit";
import type { AuditReport, Digest, Manifest } from "@assay/protocol";

export type SandboxAuditInput = {
  suite: string;
  seed: number;
  manifest: Manifest;
  bundleSource: string;
  subjectDigest: Digest;
};

export type SandboxAuditResult = {
  report: AuditReport;
  usage: { inputTokens: number; outputTokens: number; sandboxMs: number };
  outcome: IsolatedAuditOutcome;
};

export type SandboxAuditOptions = { onProgress?: (event: AuditProgressEvent) => void };

export type SandboxAuditRunner = (input: SandboxAuditInput, options?: SandboxAuditOptions) => Promise<SandboxAuditResult>;

export const runSandboxAudit: SandboxAuditRunner = async (input, options = {}) => {
  const { report, run } = await auditArtifact({
    manifest: input.manifest,
    bundleSource: input.bundleSource,
    subjectDigest: input.subjectDigest,
    suite: input.suite,
    seed: input.seed,
    isolation: "child",
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return {
    report,
    // Why the child's lifetime: Node does not expose a child's rusage, and the
    // child does nothing but the audit, so its lifetime bounds its CPU time.
    usage: { inputTokens: report.usage.inputTokens, outputTokens: report.usage.outputTokens, sandboxMs: run.durationMs },
    outcome: run.outcome,
  };
};
