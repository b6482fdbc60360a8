// The transparency-log checks in the browser (docs/decisions/0016): the
// certificate is in the issuer's log under a checkpoint signed (signed note,
// Ed25519) with a key of the issuer's published JWKS, and that checkpoint
// extends the one this browser saw before, kept in localStorage. The logic is
// @assay/protocol's checkTransparencyLog — the same function `assay verify`
// runs; this module only supplies HTTP and the saved checkpoint.
import { checkTransparencyLog, LogHashHexSchema, logOrigin, type CertificateStatus, type LogCheck, type SavedCheckpoint } from "@assay/protocol";
import { z } from "zod";
import { publicApi, type Jwks } from "../api/client";
import { ApiError } from "../api/errors";

/** localStorage is per web origin (one API); one saved checkpoint per log origin. */
export const CHECKPOINT_STORAGE_PREFIX = "assay.log-checkpoint:";

const SavedCheckpointSchema = z.object({
  origin: z.string().min(1),
  treeSize: z.number().int().nonnegative(),
  rootHash: LogHashHexSchema,
  checkpoint: z.string().min(1),
});

export type LogCheckInput = {
  document: unknown;
  /** The issuer whose log this is (its id names the checkpoint origin). */
  issuer: string;
  jwks: Jwks;
  /** The status the server reports; the log must record the same. */
  status: CertificateStatus;
  storage?: Storage | null;
};

export async function checkLogInBrowser(input: LogCheckInput): Promise<LogCheck[]> {
  const doc = input.document as { id?: unknown; payload?: { issuedAt?: unknown } } | null;
  const id = typeof doc?.id === "string" ? doc.id.toLowerCase() : null;
  const issuedAt = doc?.payload?.issuedAt;
  if (id === null || !/^0x[0-9a-f]{64}$/.test(id) || typeof issuedAt !== "string") {
    const detail = "not checked: the document has no certificate id and issuedAt";
    return [
      { name: "log-inclusion", ok: false, detail },
      { name: "log-consistency", ok: false, detail },
    ];
  }
  const origin = logOrigin(input.issuer);
  const storage = input.storage === undefined ? browserStorage() : input.storage;
  const key = `${CHECKPOINT_STORAGE_PREFIX}${origin}`;
  const result = await checkTransparencyLog({
    certificateId: id,
    issuedAt,
    origin,
    jwks: input.jwks as { keys: Record<string, unknown>[] },
    saved: readSaved(storage, key),
    ...(input.status.state !== "unknown" ? { reportedStatus: input.status.state } : {}),
    source: {
      inclusion: (certificateId) =>
        publicApi.logInclusion(certificateId).catch((error: unknown) => {
          // The log has no entry for it; any other failure (an API without the log, say) is an error, not an answer.
          if (error instanceof ApiError && error.status === 404 && error.code === "log_entry_not_found") return null;
          throw error instanceof ApiError ? new Error(error.readable) : error;
        }),
      consistency: (from, to) => publicApi.logConsistency(from, to),
    },
  });
  if (result.save) writeSaved(storage, key, result.save);
  return result.checks;
}

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // storage disabled: every visit is a first visit
  }
}

function readSaved(storage: Storage | null, key: string): SavedCheckpoint | null {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return null;
    const parsed = SavedCheckpointSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function writeSaved(storage: Storage | null, key: string, saved: SavedCheckpoint): void {
  try {
    storage?.setItem(key, JSON.stringify({ ...saved, savedAt: new Date().toISOString() }));
  } catch {
    // Quota or privacy mode: the next visit starts trust on first use again.
  }
}
