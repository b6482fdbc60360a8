// `assay verify`'s status-list check (docs/decisions/0022): the certificate's
// bit in the issuer's signed status list, verified here against the issuer's
// keys (@assay/protocol's checkStatusList; the JWS is the only thing trusted).
// Where the list comes from, in order: `--status-list <file>` (a saved API
// answer or a bare JWS); the API (a list that verifies is kept in the cache
// directory for later offline runs); offline, that cached copy. A list past its
// validUntil fails the check: an offline verifier needs a fresh one; so does a
// list older (by sequence) than the one this machine accepted before.
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { checkStatusList, COMPACT_JWS_PATTERN, unverifiedStatusListPayload, type StatusListCheckResult } from "@assay/protocol";
import { z } from "zod";
import { ApiNotFoundError, ApiUnreachableError, type AssayApi, type Jwks } from "../api";
import { UsageError } from "../errors";

/** A signed list is a few KiB (a 10^6-certificate list with 1% withdrawn: ~30 KiB); this bounds what is read. */
export const STATUS_LIST_FILE_MAX_BYTES = 16 * 1024 * 1024;

const CachedStatusListSchema = z.object({ apiUrl: z.string(), fetchedAt: z.string(), jws: z.string().regex(COMPACT_JWS_PATTERN) });

/** ~/.cache/assay/status-list-<host>.json, the host with its port (127.0.0.1_3000). */
export function statusListCachePath(cacheDir: string, apiUrl: string): string {
  const host = new URL(apiUrl).host.replace(/[^A-Za-z0-9.-]/g, "_");
  return join(cacheDir, `status-list-${host}.json`);
}

export type StatusListSource =
  | {
      jws: string;
      source: string;
      /** The sequence of the list this machine accepted before from this API (roll-back check), if any. */
      savedSequence?: number;
      /** Keeps the list for offline use: called only once it verified. */
      save?: () => Promise<void>;
    }
  | { jws: null; missing: string };

/** Reads `--status-list <file>`: the API's JSON answer ({ jws, list }) or the bare compact JWS. Exit 2 when unreadable. */
export async function readStatusListFile(path: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new UsageError(`--status-list ${path} is not a file`);
  if (info.size > STATUS_LIST_FILE_MAX_BYTES) throw new UsageError(`--status-list ${path} is ${info.size} bytes; a status list is at most ${STATUS_LIST_FILE_MAX_BYTES}`);
  let text: string;
  try {
    text = (await readFile(path, "utf8")).trim();
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (COMPACT_JWS_PATTERN.test(text)) return text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`--status-list ${path} is neither JSON nor a compact JWS`);
  }
  const jws = (json as { jws?: unknown } | null)?.jws;
  if (typeof jws !== "string" || !COMPACT_JWS_PATTERN.test(jws)) throw new UsageError(`--status-list ${path} has no "jws" (the signed list of GET /v1/public/status-list)`);
  return jws;
}

/** The list to check against: the file given, else the API's (cached for offline use), else the cached copy. */
export async function statusListSource(api: AssayApi, options: { file?: string; offline: string | null; cacheDir: string; now: Date }): Promise<StatusListSource> {
  if (options.file !== undefined) return { jws: await readStatusListFile(options.file), source: `file ${options.file}` };
  const path = statusListCachePath(options.cacheDir, api.baseUrl);
  const cached = await readCached(path, api.baseUrl);
  const fromCache = (why: string): StatusListSource =>
    cached ? { jws: cached.jws, source: `saved copy fetched ${cached.fetchedAt}; ${why}` } : { jws: null, missing: `${why}, and no saved copy (run one verify online, or pass --status-list <file>)` };
  if (options.offline !== null) return fromCache(`offline: the API at ${api.baseUrl} is unreachable`);
  try {
    const answer = await api.statusList();
    const savedSequence = cached ? sequenceOf(cached.jws) : null;
    return {
      jws: answer.jws,
      source: `fetched from ${api.baseUrl}`,
      ...(savedSequence !== null ? { savedSequence } : {}),
      save: () => writeCached(path, { apiUrl: api.baseUrl, fetchedAt: options.now.toISOString(), jws: answer.jws }).catch(() => undefined),
    };
  } catch (error) {
    if (error instanceof ApiNotFoundError) return { jws: null, missing: `the issuer at ${api.baseUrl} has not published a status list yet` };
    if (error instanceof ApiUnreachableError) return fromCache(`the API at ${api.baseUrl} became unreachable`);
    // Any other failure (an error answer, a body outside the schema) is this check's problem, not the command's.
    return fromCache(`the status list from ${api.baseUrl} could not be read (${(error as Error).message})`);
  }
}

/**
 * The check, plus what this machine remembers: a fetched list that verifies is
 * cached (so a forged one never replaces a good copy), and one older than the
 * list accepted before from the same API fails — an issuer (or someone in
 * between) serving an old list to hide a newer revocation.
 */
export async function checkCertificateStatusList(
  document: unknown,
  source: StatusListSource,
  keys: { jwks: Jwks; issuer: string },
  now: Date,
): Promise<StatusListCheckResult> {
  const result = await checkStatusList({
    document,
    list: source.jws,
    ...(source.jws === null ? { missing: source.missing } : { source: source.source }),
    jwks: keys.jwks as { keys: Record<string, unknown>[] },
    issuer: keys.issuer,
    now,
  });
  if (source.jws === null || result.list === null) return result;
  if (source.savedSequence !== undefined && result.list.sequence < source.savedSequence) {
    return {
      ...result,
      withdrawn: null,
      check: { ...result.check, ok: false, detail: `status list rolled back: ${source.source} is list #${result.list.sequence}, older than #${source.savedSequence} accepted before` },
    };
  }
  await source.save?.();
  return result;
}

/** The sequence a cached (earlier verified) list names, or null. */
function sequenceOf(jws: string): number | null {
  const payload = unverifiedStatusListPayload(jws) as { sequence?: unknown } | null;
  return typeof payload?.sequence === "number" && Number.isSafeInteger(payload.sequence) ? payload.sequence : null;
}

async function readCached(path: string, apiUrl: string): Promise<z.infer<typeof CachedStatusListSchema> | null> {
  try {
    const parsed = CachedStatusListSchema.safeParse(JSON.parse(await readFile(path, "utf8")));
    return parsed.success && parsed.data.apiUrl === apiUrl ? parsed.data : null;
  } catch {
    return null;
  }
}

async function writeCached(path: string, value: z.infer<typeof CachedStatusListSchema>): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, path);
}


