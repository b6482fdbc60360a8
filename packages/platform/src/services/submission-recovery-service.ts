// What the reconciler and the job-failure path need: which job a submission that
// stopped moving is waiting for (with its deterministic job id — the id of the
// outbox event that records it), and moving a submission to `failed` when its
// job has given up. Redis may lose jobs; PostgreSQL keeps enough to rebuild
// every one of them (docs/decisions/0007).
import type { SubmissionStatus } from "../repositories";
import { ConflictError } from "../errors";
import type { JobName, JobPayload } from "../jobs";
import type { Store } from "../repositories";
import { AuditRunRepository, RecoveryRepository } from "../repositories/worker-repositories";
import { auditDedupeKey, certificateDedupeKey } from "./audit-run-service";
import type { SubmissionService } from "./submission-service";
import { AssemblyRepository } from "../assemblies/repositories";
import { assemblyOpenDedupeKey } from "../assemblies/scheduler";

/** States in which a submission waits for a worker. */
export const WORKING_STATES = ["received", "auditing", "in_assembly"] as const satisfies readonly SubmissionStatus[];

export type RecoveryJob =
  | { submissionId: string; status: SubmissionStatus; name: "audit"; payload: JobPayload<"audit">; jobId: string }
  | { submissionId: string; status: SubmissionStatus; name: "certificate"; payload: JobPayload<"certificate">; jobId: string }
  | { submissionId: string; status: SubmissionStatus; name: "assembly"; payload: JobPayload<"assembly">; jobId: string };

export type RecoveryJobOf<N extends JobName> = Extract<RecoveryJob, { name: N }>;

export class SubmissionRecoveryService {
  constructor(
    private readonly store: Store,
    private readonly submissions: SubmissionService,
    /** The `assembly.required` flag (read through the flag registry), or a fixed value (tests). */
    private readonly settings: { assemblyRequired: boolean | (() => Promise<boolean>) },
    private readonly actor = "system:worker-reconciler",
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Submissions in a working state whose row has not changed for `quietMs`, each
   * with the job that moves it on. The job's outbox event is created when missing,
   * so the job id is stable across reconciler runs and processes.
   */
  async jobsForQuietSubmissions(quietMs: number, limit = 100): Promise<RecoveryJob[]> {
    const recovery = new RecoveryRepository(this.store.db);
    const before = new Date(this.clock().getTime() - quietMs);
    const quiet = await recovery.stuckSince([...WORKING_STATES], before, limit);
    const jobs: RecoveryJob[] = [];
    for (const submission of quiet) {
      const job = await this.jobFor(submission.id, submission.status);
      if (job) jobs.push(job);
    }
    return jobs;
  }

  /** The job a submission in a working state needs next, or null (e.g. it waits for an assembly). */
  async jobFor(submissionId: string, status: SubmissionStatus): Promise<RecoveryJob | null> {
    const recovery = new RecoveryRepository(this.store.db);
    if (status === "received" || status === "auditing") {
      const submission = await this.store.repos.submissions.findById(submissionId);
      if (!submission) return null;
      const latest = await this.store.repos.audits.latestRun(submissionId);
      const reported = latest ? await new AuditRunRepository(this.store.db).findReportOfRun(latest.id) : null;
      if (latest && !reported) {
        const payload: JobPayload<"audit"> = { submissionId, auditRunId: latest.id, suite: latest.suiteId, seed: latest.seed };
        const event = await recovery.addOutbox({ topic: "audit", payload, dedupeKey: auditDedupeKey(latest.id) });
        return { submissionId, status, name: "audit", payload, jobId: event.id };
      }
      // A run that already has its report cannot be audited again (its decision
      // was taken with it); a submission back in `received` (operator re-run)
      // gets a fresh run — one, however many reconcilers ask at once — and one
      // still read as `auditing` gets none (its audit just completed).
      const fresh = await recovery.freshAuditRun({ submissionId, suiteId: submission.suite, seed: submission.seed, dedupeKeyOf: auditDedupeKey });
      if (!fresh) return null; // it moved on since it was read: nothing to do
      const payload: JobPayload<"audit"> = { submissionId, auditRunId: fresh.run.id, suite: fresh.run.suiteId, seed: fresh.run.seed };
      return { submissionId, status, name: "audit", payload, jobId: fresh.eventId };
    }
    if (status === "in_assembly") {
      // The audit's decision is on its transition; the setting only decides for rows without one.
      const reason = await new AssemblyRepository(this.store.db).inAssemblyReason(submissionId);
      const setting = this.settings.assemblyRequired;
      const required = reason === "assembly_required" || (reason !== "assembly_not_required" && (typeof setting === "boolean" ? setting : await setting()));
      if (required) {
        // An assembly moves on by its own deadline jobs and sweep; a missing one is opened (once: dedupe key).
        if (await new AssemblyRepository(this.store.db).findBySubmission(submissionId)) return null;
        const payload: JobPayload<"assembly"> = { action: "open", submissionId };
        const event = await recovery.addOutbox({ topic: "assembly", payload, dedupeKey: assemblyOpenDedupeKey(submissionId) });
        return { submissionId, status, name: "assembly", payload, jobId: event.id };
      }
      const payload: JobPayload<"certificate"> = { submissionId };
      const event = await recovery.addOutbox({ topic: "certificate", payload, dedupeKey: certificateDedupeKey(submissionId) });
      return { submissionId, status, name: "certificate", payload, jobId: event.id };
    }
    return null;
  }

  /**
   * Moves a submission that is still in a working state to `failed` (its job gave
   * up: infrastructure, not a verdict). Returns false when it had moved on.
   */
  async failSubmission(submissionId: string, reasonCode: string, reasonMessage: string): Promise<boolean> {
    const current = await this.store.repos.submissions.findById(submissionId);
    if (!current || !(WORKING_STATES as readonly SubmissionStatus[]).includes(current.status)) return false;
    try {
      await this.submissions.transition(submissionId, "failed", { actor: this.actor, expectedFrom: current.status, reasonCode, reasonMessage: reasonMessage.slice(0, 2000) });
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  /** Ids of pending outbox events whose topic is a job of the registry (the relay's work list). */
  async pendingJobEvents(topics: readonly JobName[], limit = 100): Promise<string[]> {
    const rows = await new RecoveryRepository(this.store.db).pendingOutbox([...topics], this.clock(), limit);
    return rows.map((r) => r.id);
  }
}
