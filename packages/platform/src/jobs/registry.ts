// The typed job registry shared by the API (which enqueues, through the outbox)
// and apps/worker (which handles). A job's name is its BullMQ queue name; its
// payload is validated with the schema on both sides.
import { z } from "zod";

const uuid = z.string().uuid();

export const JOBS = {
  /** Run the sandbox audit of a submission (apps/worker audit handler). */
  audit: {
    queue: "audit",
    payload: z.strictObject({
      submissionId: uuid,
      auditRunId: uuid,
      suite: z.string().min(1),
      seed: z.number().int().nonnegative(),
    }),
  },
  /** Build, sign and store the certificate of a submission (apps/worker certificate handler). */
  certificate: {
    queue: "certificate",
    payload: z.strictObject({ submissionId: uuid }),
  },
  /** Validator assembly steps: open, end a phase (deadline or early close), finish a decision (apps/worker assembly handler). */
  assembly: {
    queue: "assembly",
    payload: z.discriminatedUnion("action", [
      z.strictObject({ action: z.literal("open"), submissionId: uuid, attempt: z.number().int().nonnegative().optional() }),
      z.strictObject({ action: z.literal("advance"), assemblyId: uuid, round: z.number().int().min(1).max(64), phase: z.enum(["beacon", "review", "commit", "reveal"]) }),
      z.strictObject({ action: z.literal("finish"), assemblyId: uuid }),
    ]),
  },
  /**
   * Marks certificates whose validUntil has passed as expired (apps/worker
   * expiry handler). Repeatable: each worker upserts the one job scheduler
   * `expiry-sweep`; the sweep is idempotent (docs/decisions/0016, expiry).
   */
  expiry: {
    queue: "expiry",
    payload: z.strictObject({ limit: z.number().int().min(1).max(10_000).optional() }),
  },
  /**
   * Starts the re-audit of certificates due for renewal (apps/worker renewal
   * handler). Repeatable: each worker upserts the one job scheduler
   * `renewal-sweep`; idempotent by database constraints (docs/decisions/0020).
   */
  renewal: {
    queue: "renewal",
    payload: z.strictObject({ limit: z.number().int().min(1).max(1_000).optional() }),
  },
  /**
   * Publishes the signed status list (apps/worker status-list handler).
   * Repeatable: each worker upserts the one job scheduler `status-list-publish`;
   * a run publishes only when the bitstring changed or the latest publication
   * needs refreshing (docs/decisions/0022).
   */
  statusList: {
    queue: "status-list",
    payload: z.strictObject({}),
  },
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]["payload"]>;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

export function isJobName(value: string): value is JobName {
  return Object.hasOwn(JOBS, value);
}

/** Parses a payload for a job; throws a ZodError when it does not match. */
export function parseJobPayload<N extends JobName>(name: N, payload: unknown): JobPayload<N> {
  return JOBS[name].payload.parse(payload) as JobPayload<N>;
}
