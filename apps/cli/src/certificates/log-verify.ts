// `assay verify`'s transparency-log checks (docs/decisions/0016): the
// certificate must be in the issuer's log under a checkpoint signed with the
// issuer's keys, and that checkpoint must extend the one this machine saved
// before. The logic is @assay/protocol's checkTransparencyLog (the web page
// runs the same); this file only supplies HTTP, keys and the saved state.
import { checkTransparencyLog, logOrigin, type CertificateStatus, type LogCheck } from "@assay/protocol";
import { ApiNotFoundError, type AssayApi, type Jwks } from "../api";
import { isCertificateId } from "./ids";
import { checkpointStatePath, readSavedCheckpoint, writeSavedCheckpoint } from "./log-state";

export type LogVerifyInput = {
  document: unknown;
  issuer: string;
  jwks: Jwks;
  /** Why the API could not be reached (null: it could). */
  offline: string | null;
  /** Whether the key set came from the cache (then a failing checkpoint signature is retried with fresh keys). */
  keysFromCache: boolean;
  status: CertificateStatus;
  stateDir: string;
  now: Date;
};

export async function verifyAgainstLog(api: AssayApi, input: LogVerifyInput): Promise<LogCheck[]> {
  if (input.offline !== null) return both(`could not be checked offline: the API at ${api.baseUrl} is unreachable`);
  const id = (input.document as { id?: unknown } | null)?.id;
  const issuedAt = (input.document as { payload?: { issuedAt?: unknown } } | null)?.payload?.issuedAt;
  if (typeof id !== "string" || !isCertificateId(id) || typeof issuedAt !== "string") return both("not checked: the document has no certificate id and issuedAt");
  const path = checkpointStatePath(input.stateDir, api.baseUrl);
  const saved = await readSavedCheckpoint(path, api.baseUrl);
  const reported = input.status.state === "unknown" ? undefined : input.status.state;
  const run = (jwks: Jwks) =>
    checkTransparencyLog({
      certificateId: id.toLowerCase(),
      issuedAt,
      origin: logOrigin(input.issuer),
      jwks,
      saved,
      ...(reported !== undefined ? { reportedStatus: reported } : {}),
      source: {
        inclusion: (certificateId) =>
          api.logInclusion(certificateId).catch((error: unknown) => {
            if (error instanceof ApiNotFoundError) return null;
            throw error;
          }),
        consistency: (from, to) => api.logConsistency(from, to),
      },
    });
  let result = await run(input.jwks);
  if (input.keysFromCache && result.checks[0].detail.startsWith("checkpoint rejected")) {
    // The log may be signed by a key rotated in after the cached set was fetched.
    const discovery = await api.discovery();
    result = await run(await api.jwks(discovery.jwksUri));
  }
  if (result.save) await writeSavedCheckpoint(path, api.baseUrl, result.save, input.now);
  return result.checks;
}

function both(detail: string): LogCheck[] {
  return [
    { name: "log-inclusion", ok: false, detail },
    { name: "log-consistency", ok: false, detail },
  ];
}
