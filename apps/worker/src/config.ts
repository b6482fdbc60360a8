// The worker's configuration: the platform's typed configuration (which also
// carries the queue prefix shared with the API) plus the worker's own knobs
// (concurrency, lock and reconciler timings), validated once
// at start-up. A bad value stops start-up with a ConfigError naming the variable.
import { ConfigError, DEFAULT_STATUS_LIST_PUBLISH, loadConfig, type AppConfig, type Env } from "@assay/platform";
import { z } from "zod";

const positiveInt = z.coerce.number({ message: "expected a positive integer" }).int().positive();
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** ASSAY_STATUS_LIST_*'s defaults: publish every 5 minutes, each list valid 24 h, an unchanged one re-signed hourly. */
export const STATUS_LIST_DEFAULTS = { intervalMs: 300_000, ...DEFAULT_STATUS_LIST_PUBLISH } as const;

const WorkerEnvSchema = z.object({
  /** Jobs per queue handled at once by this process (audits are CPU-bound: one per core). */
  ASSAY_WORKER_CONCURRENCY: positiveInt.default(1),
  /** How long a job's lock lasts without renewal; a crashed worker's job is re-queued after about this long. */
  ASSAY_WORKER_LOCK_MS: positiveInt.default(30_000),
  ASSAY_WORKER_STALLED_INTERVAL_MS: positiveInt.default(30_000),
  /** How often the reconciler scans (and the outbox relay runs). */
  ASSAY_RECONCILE_INTERVAL_MS: positiveInt.default(15_000),
  /** A working submission whose row has not changed for this long is checked for a live job. */
  ASSAY_RECONCILE_QUIET_MS: positiveInt.default(60_000),
  /** How often the certificate expiry sweep runs (a repeatable job; one schedule however many workers). */
  ASSAY_EXPIRY_INTERVAL_MS: positiveInt.default(60_000),
  /** How often the renewal sweep runs (a repeatable job; one schedule however many workers; docs/decisions/0020). */
  ASSAY_RENEWAL_INTERVAL_MS: positiveInt.default(300_000),
  /** How often the status-list job runs (a repeatable job; one schedule however many workers; docs/decisions/0022). */
  ASSAY_STATUS_LIST_INTERVAL_MS: positiveInt.default(STATUS_LIST_DEFAULTS.intervalMs),
  /** How long one status-list publication may be relied on by offline verifiers (its validUntil − publishedAt). */
  ASSAY_STATUS_LIST_VALIDITY_MS: positiveInt.default(STATUS_LIST_DEFAULTS.validityMs),
  /** An unchanged status list is re-signed once its latest publication is this old (must be below the validity). */
  ASSAY_STATUS_LIST_REFRESH_MS: positiveInt.default(STATUS_LIST_DEFAULTS.refreshMs),
});

export type WorkerSettings = {
  queuePrefix: string;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  reconcileIntervalMs: number;
  reconcileQuietMs: number;
  expiryIntervalMs: number;
  renewalIntervalMs: number;
  /** The status list's schedule and publication settings (defaults: STATUS_LIST_DEFAULTS). */
  statusList?: { intervalMs: number; validityMs: number; refreshMs: number };
};


export type WorkerConfig = { app: AppConfig; worker: WorkerSettings };

export function loadWorkerConfig(env: Env = process.env): WorkerConfig {
  const app = loadConfig(env);
  const cleaned = Object.fromEntries(Object.keys(WorkerEnvSchema.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]));
  const parsed = WorkerEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "environment"), message: i.message })));
  }
  const e = parsed.data;
  if (e.ASSAY_STATUS_LIST_REFRESH_MS >= e.ASSAY_STATUS_LIST_VALIDITY_MS) {
    throw new ConfigError([{ variable: "ASSAY_STATUS_LIST_REFRESH_MS", message: `must be below ASSAY_STATUS_LIST_VALIDITY_MS (${e.ASSAY_STATUS_LIST_VALIDITY_MS}), or an unchanged list would lapse` }]);
  }
  return {
    app,
    worker: {
      queuePrefix: app.queues.prefix,
      concurrency: e.ASSAY_WORKER_CONCURRENCY,
      lockDurationMs: e.ASSAY_WORKER_LOCK_MS,
      stalledIntervalMs: e.ASSAY_WORKER_STALLED_INTERVAL_MS,
      reconcileIntervalMs: e.ASSAY_RECONCILE_INTERVAL_MS,
      reconcileQuietMs: e.ASSAY_RECONCILE_QUIET_MS,
      expiryIntervalMs: e.ASSAY_EXPIRY_INTERVAL_MS,
      renewalIntervalMs: e.ASSAY_RENEWAL_INTERVAL_MS,
      statusList: { intervalMs: e.ASSAY_STATUS_LIST_INTERVAL_MS, validityMs: e.ASSAY_STATUS_LIST_VALIDITY_MS, refreshMs: e.ASSAY_STATUS_LIST_REFRESH_MS },
    },
  };
}

export const WORKER_CONFIG_VARIABLES = Object.keys(WorkerEnvSchema.shape);
