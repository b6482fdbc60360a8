// What a job handler is: one per job name of the platform's registry. Handlers
// are thin: the payload arrives zod-parsed, they call a service and map its
// result to a small JSON outcome (kept on the BullMQ job for inspection).
import type { JobName, JobPayload } from "@assay/platform";

export type JobLog = (level: "debug" | "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

export type JobContext = {
  jobId: string;
  /** 1 on the first delivery. */
  attempt: number;
  log: JobLog;
};

export type JobOutcome = { result: string } & Record<string, unknown>;

export type JobHandler<N extends JobName> = {
  name: N;
  handle(payload: JobPayload<N>, context: JobContext): Promise<JobOutcome>;
  /** Called once when the job has given up (retries exhausted or unrecoverable). */
  onGaveUp?(payload: JobPayload<N>, error: Error): Promise<void>;
};

export type AnyJobHandler = { [N in JobName]: JobHandler<N> }[JobName];
export type JobHandlers = { [N in JobName]: JobHandler<N> };
