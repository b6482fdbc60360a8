// Start-up check that the worker handles exactly the platform's jobs: a job
// name without a handler, a handler without a job, or a handler registered
// under another name stops start-up (a job nobody handles would sit in Redis
// forever; a handler nobody enqueues is dead code pretending to be a feature).
import { JOB_NAMES, parseJobPayload, type JobName } from "@assay/platform";
import type { AnyJobHandler, JobContext, JobHandlers, JobOutcome } from "./handler";

export class HandlerRegistryError extends Error {
  override readonly name = "HandlerRegistryError";
  constructor(
    readonly missing: string[],
    readonly extra: string[],
    readonly misnamed: string[],
  ) {
    const parts = [
      missing.length ? `no handler for job(s): ${missing.join(", ")}` : "",
      extra.length ? `handler(s) for unknown job(s): ${extra.join(", ")}` : "",
      misnamed.length ? `handler registered under another job's name: ${misnamed.join(", ")}` : "",
    ].filter(Boolean);
    super(`job handler registry does not match the job registry: ${parts.join("; ")}`);
  }
}

/** Checks a handler map against the job registry; returns it typed, or throws HandlerRegistryError. */
export function checkHandlers(handlers: Record<string, AnyJobHandler>, jobNames: readonly string[] = JOB_NAMES): JobHandlers {
  const keys = Object.keys(handlers);
  const missing = jobNames.filter((n) => !keys.includes(n));
  const extra = keys.filter((k) => !jobNames.includes(k));
  const misnamed = keys.filter((k) => jobNames.includes(k) && handlers[k]!.name !== k);
  if (missing.length || extra.length || misnamed.length) throw new HandlerRegistryError(missing, extra, misnamed);
  return handlers as JobHandlers;
}

/** Parses the raw payload with the job's schema and runs its handler (throws ZodError on a bad payload). */
export async function dispatchJob(handlers: JobHandlers, name: JobName, raw: unknown, context: JobContext): Promise<JobOutcome> {
  const handler = handlers[name] as { handle(payload: unknown, context: JobContext): Promise<JobOutcome> };
  return handler.handle(parseJobPayload(name, raw), context);
}
