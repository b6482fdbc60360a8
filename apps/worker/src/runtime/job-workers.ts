// One BullMQ Worker per job of the registry. The processor is the only place
// that knows BullMQ: it zod-parses the payload (a payload that does not parse,
// or a job naming rows that do not exist, cannot succeed on retry: it fails at
// once with UnrecoverableError), runs the handler, and when the job gives up
// calls the handler's onGaveUp (which moves the submission to failed).
import { UnknownSuiteError } from "@assay/audit";
import { ArtifactIntegrityError, isDomainError, JOBS, type JobName } from "@assay/platform";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { ZodError } from "zod";
import { dispatchJob } from "../jobs/handler-registry";
import type { JobHandlers, JobLog } from "../jobs/handler";

export type JobWorkerSettings = {
  prefix: string;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
};

/** Errors that retrying cannot fix: bad payloads, missing rows, invalid inputs, corrupt artifacts, unknown suites. */
export function isPermanent(error: unknown): boolean {
  if (error instanceof ZodError || error instanceof UnrecoverableError || error instanceof ArtifactIntegrityError || error instanceof UnknownSuiteError) return true;
  return isDomainError(error) && (error.kind === "validation" || error.kind === "not_found");
}

export function startJobWorkers(handlers: JobHandlers, connection: Redis, settings: JobWorkerSettings, log: JobLog): Worker[] {
  return (Object.keys(handlers) as JobName[]).map((name) => {
    const worker = new Worker(
      JOBS[name].queue,
      async (job: Job) => {
        const context = {
          jobId: job.id ?? "",
          attempt: job.attemptsMade + 1,
          log: ((level, message, fields) => log(level, message, { job: name, jobId: job.id, ...fields })) satisfies JobLog,
        };
        try {
          return await dispatchJob(handlers, name, job.data, context);
        } catch (error) {
          if (isPermanent(error)) throw new UnrecoverableError(`${(error as Error).name}: ${(error as Error).message}`);
          throw error;
        }
      },
      {
        connection,
        prefix: settings.prefix,
        concurrency: settings.concurrency,
        lockDuration: settings.lockDurationMs,
        stalledInterval: settings.stalledIntervalMs,
        // A job whose worker died twice is still retried: the handlers are idempotent.
        maxStalledCount: 3,
      },
    );
    worker.on("failed", (job, error) => {
      if (!job) return;
      const attempts = job.opts.attempts ?? 1;
      const gaveUp = error instanceof UnrecoverableError || error.name === "UnrecoverableError" || job.attemptsMade >= attempts;
      log(gaveUp ? "error" : "warn", gaveUp ? "job gave up" : "job failed, will retry", { job: name, jobId: job.id, attempt: job.attemptsMade, error: error.message });
      if (!gaveUp) return;
      const handler = handlers[name] as { onGaveUp?(payload: unknown, error: Error): Promise<void> };
      const parsed = JOBS[name].payload.safeParse(job.data);
      if (!parsed.success || !handler.onGaveUp) return;
      handler.onGaveUp(parsed.data, error).catch((e: unknown) => log("error", "recording a failed job failed", { job: name, jobId: job.id, error: (e as Error).message }));
    });
    worker.on("error", (error) => log("error", "worker error", { job: name, error: error.message }));
    return worker;
  });
}
