// A dependency that is down is not a bug of the request: when PostgreSQL or
// Redis cannot be reached, whatever the driver threw (Prisma's and the pg
// adapter's connection errors, pg's socket errors, ioredis's closed-connection
// and retries-exhausted errors) becomes one typed domain error,
// DependencyUnavailableError (kind "unavailable": HTTP 503 with Retry-After in
// the API's one error mapping). Recognised by shape (names, driver codes,
// errno codes, the drivers' fixed messages), walking `cause` chains, so no
// driver has to be imported here (docs/decisions/0023).
import { UnavailableError } from "./domain-errors";

export type Dependency = "database" | "queue" | "artifact_store";

/** How long a client should wait before retrying when a dependency is down (the Retry-After header). */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

export class DependencyUnavailableError extends UnavailableError {
  constructor(
    readonly dependency: Dependency,
    message: string,
    readonly retryAfterSeconds = DEPENDENCY_RETRY_AFTER_SECONDS,
  ) {
    super(dependency === "artifact_store" ? "artifact_store_full" : "dependency_unavailable", message, { dependency, retryAfterSeconds });
  }
}

/** errno codes of a socket that could not connect or was cut. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED"]);
/** PostgreSQL SQLSTATEs of a server going away or not taking connections (class 08, 57P01–57P03). */
const POSTGRES_STATES = /^(08\d{3}|57P0[1-3])$/;
/** Prisma's codes for an unreachable database or an exhausted pool. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const DATABASE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Can't reach database server/i,
  /the database system is (shutting down|starting up|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  /Server has closed the connection/i,
];
const QUEUE_MESSAGES = [/^Connection is closed\.?$/, /Stream isn't writeable/i, /Reached the max retries per request limit/i];
const STORAGE_CODES = new Set(["ENOSPC", "EDQUOT", "EFBIG"]);

type Inspectable = { name?: unknown; code?: unknown; errno?: unknown; message?: unknown; cause?: unknown; meta?: unknown; errors?: unknown; kind?: unknown; originalCode?: unknown };

/** Every error reachable from `err` through cause, meta.driverAdapterError, AggregateError.errors (bounded). */
function* chainOf(err: unknown, depth = 0): Generator<Inspectable> {
  if (!err || typeof err !== "object" || depth > 6) return;
  const e = err as Inspectable;
  yield e;
  yield* chainOf(e.cause, depth + 1);
  const meta = e.meta as { driverAdapterError?: unknown } | undefined;
  if (meta && typeof meta === "object") yield* chainOf(meta.driverAdapterError, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors.slice(0, 4)) yield* chainOf(inner, depth + 1);
}

/** Which dependency `err` says is down, or null when it is some other error. */
export function unavailableDependencyOf(err: unknown): Dependency | null {
  if (err instanceof DependencyUnavailableError) return err.dependency;
  // fetch (the chain's RPC) fails as TypeError("fetch failed") with a socket cause: not ours to name here.
  if (err instanceof TypeError && err.message === "fetch failed") return null;
  let socket = false;
  for (const e of chainOf(err)) {
    const name = typeof e.name === "string" ? e.name : "";
    const code = typeof e.code === "string" ? e.code : typeof e.originalCode === "string" ? e.originalCode : "";
    const message = typeof e.message === "string" ? e.message : "";
    if (name === "MaxRetriesPerRequestError" || QUEUE_MESSAGES.some((m) => m.test(message))) return "queue";
    if (name === "PrismaClientInitializationError" || PRISMA_CODES.has(code) || POSTGRES_STATES.test(code)) return "database";
    if (DATABASE_MESSAGES.some((m) => m.test(message))) return "database";
    if (SOCKET_CODES.has(code)) socket = true;
  }
  // A bare refused/cut socket: the API's requests reach Redis only through the queue client, whose
  // errors carry the messages above, so an anonymous socket error is the database's pool.
  return socket ? "database" : null;
}

/** `err` as DependencyUnavailableError when a dependency is down, else null. */
export function dependencyUnavailableOf(err: unknown): DependencyUnavailableError | null {
  if (err instanceof DependencyUnavailableError) return err;
  const dependency = unavailableDependencyOf(err);
  if (!dependency) return null;
  return new DependencyUnavailableError(dependency, dependency === "database" ? "the database is unreachable; retry shortly" : "the job queue is unreachable; retry shortly");
}

/** True for a write that failed because the disk (or the quota, or the file size limit) is full. */
export function isStorageFull(err: unknown): boolean {
  for (const e of chainOf(err)) if (typeof e.code === "string" && STORAGE_CODES.has(e.code)) return true;
  return false;
}
