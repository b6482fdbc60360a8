// The issuer's key set, fetched from the API (URL from /.well-known/assay.json)
// and kept on disk per API host, so `assay verify` works offline after one
// online run. Trust is on first use of a host: the cached set is refreshed when
// a certificate names a key it does not hold (rotation) or the copy is older
// than a day, and the stale copy is used only when the API cannot be reached.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { ApiUnreachableError, JwksSchema, type AssayApi, type Jwks } from "../api";

export const JWKS_MAX_AGE_MS = 24 * 3600_000;

const CachedKeySetSchema = z.object({
  apiUrl: z.string(),
  issuer: z.string().min(1),
  jwksUri: z.string(),
  fetchedAt: z.string(),
  jwks: JwksSchema,
});
export type CachedKeySet = z.infer<typeof CachedKeySetSchema>;

export type IssuerKeys = CachedKeySet & { source: "network" | "cache"; offline: string | null };

/** ~/.cache/assay/jwks-<host>.json, the host with its port (127.0.0.1_3000). */
export function keySetCachePath(cacheDir: string, apiUrl: string): string {
  const host = new URL(apiUrl).host.replace(/[^A-Za-z0-9.-]/g, "_");
  return join(cacheDir, `jwks-${host}.json`);
}

export async function issuerKeys(api: AssayApi, options: { cacheDir: string; now: Date; kidHint?: string }): Promise<IssuerKeys> {
  const path = keySetCachePath(options.cacheDir, api.baseUrl);
  const cached = await readCache(path, api.baseUrl);
  if (cached && isUsable(cached, options)) return { ...cached, source: "cache", offline: null };
  try {
    const discovery = await api.discovery();
    const jwks = await api.jwks(discovery.jwksUri);
    const fresh: CachedKeySet = { apiUrl: api.baseUrl, issuer: discovery.issuer, jwksUri: discovery.jwksUri, fetchedAt: options.now.toISOString(), jwks };
    await writeCache(path, fresh);
    return { ...fresh, source: "network", offline: null };
  } catch (error) {
    if (error instanceof ApiUnreachableError && cached) return { ...cached, source: "cache", offline: error.message };
    if (error instanceof ApiUnreachableError) {
      throw new ApiUnreachableError(error.url, `${error.reason}; no cached key set for it either (run one verify online first)`);
    }
    throw error;
  }
}

function isUsable(cached: CachedKeySet, options: { now: Date; kidHint?: string }): boolean {
  const age = options.now.getTime() - Date.parse(cached.fetchedAt);
  const knowsKid = options.kidHint === undefined || cached.jwks.keys.some((k) => k.kid === options.kidHint);
  return Number.isFinite(age) && age >= 0 && age < JWKS_MAX_AGE_MS && knowsKid;
}

async function readCache(path: string, apiUrl: string): Promise<CachedKeySet | null> {
  try {
    const parsed = CachedKeySetSchema.safeParse(JSON.parse(await readFile(path, "utf8")));
    // A copy for another URL on the same host (a different path prefix) is not this issuer's.
    return parsed.success && parsed.data.apiUrl === apiUrl ? parsed.data : null;
  } catch {
    return null; // missing or unreadable: fetch again
  }
}

async function writeCache(path: string, keySet: CachedKeySet): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(keySet, null, 2)}\n`);
  await rename(temporary, path);
}

export type { Jwks };
