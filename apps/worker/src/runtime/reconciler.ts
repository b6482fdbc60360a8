// The reconciler: PostgreSQL is the source of truth, Redis only carries work.
// Every interval (and once at start-up) it
//  1. relays outbox events of registered jobs that are still pending (Redis was
//     down when they were recorded, or a process died in between), and
//  2. for every submission in a working state whose row has been quiet for a
//     while, makes sure the job that moves it on exists in Redis: a missing job
//     (Redis lost it) is added again, a failed one is retried, a completed one
//     (its effect did not stick) is replaced. Waiting, delayed and active jobs
//     are live and left alone; an active job whose worker died is BullMQ's
//     stalled-job check's business.
// Job ids are the outbox event ids, so re-adding never duplicates a live job.
import { DEFAULT_JOB_OPTIONS, JOB_NAMES, type BullJobPublisher, type OutboxService, type RecoveryJob, type SubmissionRecoveryService } from "@assay/platform";
import type { JobLog } from "../jobs/handler";

export type ReconcileReport = { relayed: number; checked: number; live: number; enqueued: number; retried: number; replaced: number; swept: number };

const LIVE_STATES = new Set(["waiting", "delayed", "active", "prioritized", "waiting-children"]);

export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly recovery: SubmissionRecoveryService,
    private readonly outbox: OutboxService,
    private readonly queues: Pick<BullJobPublisher, "queue">,
    private readonly settings: { quietMs: number; intervalMs: number },
    private readonly log: JobLog,
    /** Further recovery owned by another service (e.g. the assembly sweep); returns how many it rescheduled. */
    private readonly sweep: () => Promise<number> = async () => 0,
  ) {}

  async runOnce(): Promise<ReconcileReport> {
    const report: ReconcileReport = { relayed: 0, checked: 0, live: 0, enqueued: 0, retried: 0, replaced: 0, swept: 0 };
    for (const id of await this.recovery.pendingJobEvents(JOB_NAMES)) {
      if ((await this.outbox.dispatch(id)).dispatched) report.relayed += 1;
    }
    for (const job of await this.recovery.jobsForQuietSubmissions(this.settings.quietMs)) {
      report.checked += 1;
      const action = await this.ensureJob(job);
      if (action === "live") report.live += 1;
      else report[action] += 1;
    }
    report.swept = await this.sweep();
    if (report.relayed + report.enqueued + report.retried + report.replaced + report.swept > 0) this.log("info", "reconciled", { ...report });
    return report;
  }

  private async ensureJob(job: RecoveryJob): Promise<"live" | "enqueued" | "retried" | "replaced"> {
    const queue = this.queues.queue(job.name);
    const existing = await queue.getJob(job.jobId);
    const state = existing ? await existing.getState() : "missing";
    if (LIVE_STATES.has(state)) return "live";
    const fields = { submissionId: job.submissionId, status: job.status, job: job.name, jobId: job.jobId, jobState: state };
    if (existing && state === "failed") {
      await existing.retry("failed");
      this.log("warn", "retrying a failed job of a stuck submission", fields);
      return "retried";
    }
    if (existing) await existing.remove();
    await queue.add(job.name, job.payload, { ...DEFAULT_JOB_OPTIONS, jobId: job.jobId });
    this.log("warn", existing ? "replacing a finished job of a stuck submission" : "re-enqueueing a lost job", fields);
    return existing ? "replaced" : "enqueued";
  }

  /** Runs now and then every intervalMs until stop(); one run at a time. */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .catch((error: unknown) => this.log("warn", "reconciler run failed", { error: (error as Error).message }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.settings.intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
