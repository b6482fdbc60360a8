// The audit job's steps: prepare (platform: load artifact, received → auditing),
// run the sandbox audit in its child process with progress streamed to the
// database, complete (platform: report, findings, usage and decision, once).
import type { AuditCompletion, AuditJob, AuditRunService } from "@assay/platform";
import type { JobLog } from "../jobs/handler";
import { ProgressWriter } from "./progress";
import type { SandboxAuditRunner } from "./sandbox-audit";

export type AuditPipelineResult = { kind: "skipped"; reason: string; status: string } | ({ kind: "completed"; sandbox: string } & AuditCompletion);

export class AuditPipeline {
  constructor(
    private readonly auditRuns: AuditRunService,
    private readonly runSandbox: SandboxAuditRunner,
    private readonly settings: { progressIntervalMs?: number } = {},
  ) {}

  async run(job: AuditJob, log: JobLog): Promise<AuditPipelineResult> {
    const prepared = await this.auditRuns.prepare(job);
    if (prepared.kind === "skip") return { kind: "skipped", reason: prepared.reason, status: prepared.status };
    const progress = new ProgressWriter(
      (p) => this.auditRuns.recordProgress(prepared.submissionId, p),
      this.settings.progressIntervalMs,
      (error) => log("warn", "progress write failed", { submissionId: prepared.submissionId, error: (error as Error).message }),
    );
    log("info", "audit started", { submissionId: prepared.submissionId, suite: prepared.suite, seed: prepared.seed, srip13Mode: prepared.rollout.srip13 });
    const result = await this.runSandbox(
      { suite: prepared.suite, seed: prepared.seed, manifest: prepared.manifest, bundleSource: prepared.bundleSource, files: prepared.files, subjectDigest: prepared.subjectDigest as `0x${string}`, rollout: prepared.rollout },
      { onProgress: progress.onEvent },
    );
    await progress.flush();
    const completion = await this.auditRuns.complete({
      submissionId: prepared.submissionId,
      auditRunId: prepared.auditRunId,
      report: result.report,
      usage: result.usage,
    });
    log("info", "audit finished", {
      submissionId: prepared.submissionId,
      verdict: result.report.verdict,
      findings: result.report.findings.length,
      status: completion.status,
      recorded: completion.recorded,
    });
    return { kind: "completed", sandbox: result.outcome.status, ...completion };
  }
}
