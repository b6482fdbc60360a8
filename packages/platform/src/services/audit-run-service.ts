// The worker side of an audit run: prepare (load the artifact, move the
// submission received → auditing), record progress, and complete (store the
// report, findings and usage and take the decision — rejected on a critical
// finding or when no claim is evidenced, otherwise in_assembly plus the
// certificate job — in one transaction).
//
// Idempotency (docs/decisions/0007): a run has at most one report (unique
// audit_run_id), the decision is a compare-and-set transition taken in the same
// transaction as the report, usage rows are keyed by the run, and the
// certificate job is an outbox event keyed by the submission. A job delivered
// twice, or retried after a crash, therefore stores one report and takes one
// decision; the loser of a race sees "already completed".
import { artifactEntryPath, AuditReportSchema, DEFAULT_SRIP13_MODE, ManifestSchema, subjectDigest, type AuditReport, type Manifest, type Rollout, type Srip13Mode } from "@assay/protocol";
import type { StoredJson, SubmissionStatus } from "../repositories";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import type { JobPayload } from "../jobs";
import type { Store } from "../repositories";
import { AuditRunRepository, RecoveryRepository } from "../repositories/worker-repositories";
import type { ArtifactStore, BundleFile } from "./artifact-store";
import type { OutboxService } from "./outbox-service";
import { SubmissionProgressSchema, type SubmissionProgress } from "./submission-progress";
import type { SubmissionService } from "./submission-service";
import { isUniqueViolation } from "./unique-violation";
import { assemblyOpenDedupeKey } from "../assemblies/scheduler";
import { jsonColumn } from "../assemblies/columns";
import { NO_EVIDENCED_CLAIM, noEvidencedClaimMessage } from "./claims-rejection";

export type AuditJob = JobPayload<"audit">;

export type PreparedAudit =
  | { kind: "skip"; reason: string; status: SubmissionStatus }
  | {
      kind: "run";
      submissionId: string;
      auditRunId: string;
      suite: string;
      seed: number;
      manifest: Manifest;
      files: BundleFile[];
      bundleSource: string;
      subjectDigest: string;
      /** The rollout modes the audit runs under, read once at its start (flag `srip13.mode`); the report records them. */
      rollout: Rollout;
    };

export type AuditUsageMeasure = { inputTokens: number; outputTokens: number; sandboxMs: number };

export type AuditCompletion = {
  /** false when another delivery of the job had already completed this run. */
  recorded: boolean;
  status: SubmissionStatus;
  reportDigest: string;
  criticalFindings: number;
  /** Outbox event (= BullMQ job id) of the certificate job, when one was recorded. */
  certificateEventId: string | null;
};

export type AuditRunSettings = {
  /**
   * When true, a passing audit waits in_assembly for an assembly (the assembly
   * open job is recorded); otherwise the certificate job is recorded at once.
   * A function is asked once per completion (the operator flag `assembly.required`).
   */
  assemblyRequired: boolean | (() => Promise<boolean>);
  /** The operator flag `srip13.mode`, asked once when an audit starts (default enforce). */
  srip13Mode?: () => Promise<Srip13Mode>;
};

/** The certificate job of a submission: one per submission, whoever records it. */
export function certificateDedupeKey(submissionId: string): string {
  return `certificate:${submissionId}`;
}

/** The audit job of a run, as the submission service records it. */
export function auditDedupeKey(auditRunId: string): string {
  return `audit:${auditRunId}`;
}

export class AuditRunService {
  constructor(
    private readonly store: Store,
    private readonly artifacts: ArtifactStore,
    private readonly submissions: SubmissionService,
    private readonly outbox: OutboxService,
    private readonly settings: AuditRunSettings,
    private readonly actor = "system:worker-audit",
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Loads what the sandbox needs and moves the submission to auditing. Returns
   * `skip` when there is nothing to do (already audited, or no longer in a state
   * an audit may run in). Throws NotFoundError for a job naming unknown rows and
   * ValidationError for a job that does not match its run: retrying cannot help.
   */
  async prepare(job: AuditJob): Promise<PreparedAudit> {
    const runs = new AuditRunRepository(this.store.db);
    const submission = await this.store.repos.submissions.findById(job.submissionId);
    if (!submission) throw new NotFoundError("submission_not_found", `no submission ${job.submissionId}`);
    const run = await runs.findRun(job.auditRunId);
    if (!run || run.submissionId !== submission.id) throw new NotFoundError("audit_run_not_found", `no audit run ${job.auditRunId} for submission ${submission.id}`);
    if (run.suiteId !== job.suite || run.seed !== job.seed) {
      throw new ValidationError("audit_job_mismatch", `job (${job.suite}, seed ${job.seed}) does not match audit run (${run.suiteId}, seed ${run.seed})`);
    }
    if (run.report) return { kind: "skip", reason: "the audit run already has its report", status: submission.status };
    if (submission.status !== "received" && submission.status !== "auditing") {
      return { kind: "skip", reason: `the submission is ${submission.status}`, status: submission.status };
    }

    const files = await this.artifacts.getBundle(submission.runtimeVersion.artifactSha256);
    const manifest = ManifestSchema.parse(submission.runtimeVersion.manifest);
    const entryPath = artifactEntryPath(manifest.entry);
    const entry = files.find((f) => f.path === entryPath);
    if (!entry) throw new ValidationError("artifact_entry_missing", `the artifact has no entry bundle ${entryPath}`);
    const digest = subjectDigest(files.map((f) => ({ path: f.path, content: f.content })));
    if (digest !== submission.runtimeVersion.subjectDigest) {
      throw new ValidationError("artifact_digest_mismatch", `the stored artifact hashes to ${digest}, not ${submission.runtimeVersion.subjectDigest}`);
    }

    if (submission.status === "received") {
      try {
        await this.submissions.transition(submission.id, "auditing", { actor: this.actor, expectedFrom: "received" });
      } catch (err) {
        // Another delivery moved it first; carry on only if it is auditing now.
        if (!(err instanceof ConflictError)) throw err;
        const now = await this.store.repos.submissions.findById(submission.id);
        if (now?.status !== "auditing") return { kind: "skip", reason: `the submission is ${now?.status ?? "gone"}`, status: now?.status ?? submission.status };
      }
    }
    const srip13 = this.settings.srip13Mode ? await this.settings.srip13Mode() : DEFAULT_SRIP13_MODE;
    await runs.markRunning(run.id, this.clock());
    return {
      kind: "run",
      submissionId: submission.id,
      auditRunId: run.id,
      suite: run.suiteId,
      seed: run.seed,
      manifest,
      files,
      bundleSource: entry.content.toString("utf8"),
      subjectDigest: digest,
      rollout: { srip13 },
    };
  }

  /**
   * Audit progress, written only while the submission is auditing: a second
   * delivery of the job still running after the first one decided (a stalled
   * lock on a loaded machine) must not overwrite the progress the assembly
   * writes afterwards.
   */
  async recordProgress(submissionId: string, progress: SubmissionProgress): Promise<void> {
    const parsed = SubmissionProgressSchema.safeParse(progress);
    if (!parsed.success) throw new ValidationError("progress_invalid", "progress does not match SubmissionProgress");
    await this.store.repos.submissions.setProgressWhile(submissionId, "auditing", jsonColumn(parsed.data));
  }

  /** Stores the report and takes the decision, once per run. */
  async complete(input: { submissionId: string; auditRunId: string; report: AuditReport; usage: AuditUsageMeasure }): Promise<AuditCompletion> {
    const report = AuditReportSchema.parse(input.report);
    const critical = report.findings.filter((f) => f.severity === "critical");
    const submission = await this.store.repos.submissions.findById(input.submissionId);
    if (!submission) throw new NotFoundError("submission_not_found", `no submission ${input.submissionId}`);
    if (report.subject.digest !== submission.runtimeVersion.subjectDigest) {
      throw new ValidationError("report_subject_mismatch", `the report is about ${report.subject.digest}, not ${submission.runtimeVersion.subjectDigest}`);
    }
    const already = async (): Promise<AuditCompletion> => {
      const [stored, now, event] = await Promise.all([
        new AuditRunRepository(this.store.db).findReportOfRun(input.auditRunId),
        this.store.repos.submissions.findById(input.submissionId),
        new RecoveryRepository(this.store.db).findOutboxByKey(certificateDedupeKey(input.submissionId)),
      ]);
      return {
        recorded: false,
        status: now?.status ?? submission.status,
        reportDigest: stored?.digest ?? report.digest,
        criticalFindings: critical.length,
        certificateEventId: event?.id ?? null,
      };
    };

    const assemblyRequired = typeof this.settings.assemblyRequired === "function" ? await this.settings.assemblyRequired() : this.settings.assemblyRequired;
    let outcome: AuditCompletion;
    try {
      const result = await this.store.transaction(async (repos) => {
        const latest = await repos.audits.latestReportForSubmission(submission.id);
        if (latest?.auditRunId === input.auditRunId) return null;
        await repos.audits.saveReport({
          auditRunId: input.auditRunId,
          digest: report.digest,
          verdict: report.verdict,
          document: report as unknown as StoredJson,
          findings: report.findings.map((f) => ({
            code: f.code,
            severity: f.severity,
            scenario: f.scenario,
            turn: f.turn,
            message: f.message,
            evidence: f.evidence as StoredJson,
          })),
        });
        const now = this.clock();
        await repos.audits.updateRun(input.auditRunId, {
          status: "completed",
          suiteVersion: report.suite.version,
          engineVersion: report.engine.version,
          error: null,
          finishedAt: now,
        });
        const usageKey = `audit-run:${input.auditRunId}`;
        await repos.usage.record([
          { developerId: submission.developerId, submissionId: submission.id, kind: "model_input_tokens", quantity: BigInt(input.usage.inputTokens), sourceKey: `${usageKey}:model_input_tokens` },
          { developerId: submission.developerId, submissionId: submission.id, kind: "model_output_tokens", quantity: BigInt(input.usage.outputTokens), sourceKey: `${usageKey}:model_output_tokens` },
          { developerId: submission.developerId, submissionId: submission.id, kind: "sandbox_cpu_ms", quantity: BigInt(Math.max(0, Math.round(input.usage.sandboxMs))), sourceKey: `${usageKey}:sandbox_cpu_ms` },
          // The stored report document (its JSON bytes as kept in audit_reports).
          { developerId: submission.developerId, submissionId: submission.id, kind: "storage_bytes", quantity: BigInt(Buffer.byteLength(JSON.stringify(report))), sourceKey: `${usageKey}:report:storage_bytes` },
        ]);
        if (critical.length > 0) {
          const codes = [...new Set(critical.map((f) => f.code))].sort();
          await this.submissions.transitionIn(repos, submission.id, "rejected", {
            actor: this.actor,
            expectedFrom: "auditing",
            reasonCode: "critical_findings",
            reasonMessage: `critical findings: ${codes.join(", ")}`,
          });
          return { recorded: true, status: "rejected", reportDigest: report.digest, criticalFindings: critical.length, certificateEventId: null } satisfies AuditCompletion;
        }
        if (!report.claims.some((c) => c.status === "evidenced")) {
          // A certificate names at least one claim the audit evidenced; with none there is nothing to certify or vote on.
          await this.submissions.transitionIn(repos, submission.id, "rejected", {
            actor: this.actor,
            expectedFrom: "auditing",
            reasonCode: NO_EVIDENCED_CLAIM,
            reasonMessage: noEvidencedClaimMessage(report.claims),
          });
          return { recorded: true, status: "rejected", reportDigest: report.digest, criticalFindings: 0, certificateEventId: null } satisfies AuditCompletion;
        }
        await this.submissions.transitionIn(repos, submission.id, "in_assembly", {
          actor: this.actor,
          expectedFrom: "auditing",
          reasonCode: assemblyRequired ? "assembly_required" : "assembly_not_required",
        });
        let certificateEventId: string | null = null;
        if (!assemblyRequired) {
          const payload: JobPayload<"certificate"> = { submissionId: submission.id };
          const event = await repos.outbox.add({ topic: "certificate", payload, dedupeKey: certificateDedupeKey(submission.id) });
          certificateEventId = event.id;
        } else {
          // The assembly open job; certificateEventId carries it so it is dispatched after commit.
          const payload: JobPayload<"assembly"> = { action: "open", submissionId: submission.id };
          const event = await repos.outbox.add({ topic: "assembly", payload, dedupeKey: assemblyOpenDedupeKey(submission.id) });
          certificateEventId = event.id;
        }
        return { recorded: true, status: "in_assembly", reportDigest: report.digest, criticalFindings: 0, certificateEventId } satisfies AuditCompletion;
      });
      if (result === null) return await already();
      outcome = result;
    } catch (err) {
      // The other delivery committed its report (unique audit_run_id) or its
      // transition (compare-and-set) between our check and our commit.
      if (isUniqueViolation(err) || (err instanceof ConflictError && err.code === "submission_state_changed")) return await already();
      throw err;
    }
    if (outcome.certificateEventId) await this.outbox.dispatch(outcome.certificateEventId);
    return outcome;
  }

  /** Records an infrastructure failure of a run (the submission itself is moved by SubmissionRecoveryService). */
  async markRunFailed(auditRunId: string, error: string): Promise<void> {
    await new AuditRunRepository(this.store.db).markFailed(auditRunId, error, this.clock());
  }
}
