// `assay verify`'s transparency-log checks (docs/decisions/0016): the
// certificate must be in the issuer's log under a checkpoint signed with the
// issuer's keys, and that checkpoint must extend the one this machine saved
// before; where the issuer's discovery names a chain, the checkpoint anchored
// with the certificate's registry batch must be on chain (read here, at the RPC
// URL discovery or ASSAY_CHAIN_RPC_URL names) and extended by the log served now
// (check log-anchor). The logic is @assay/protocol's checkTransparencyLog (the
// web page runs the same); this file only supplies HTTP, keys, the chain reader
// and the saved state.
import { checkTransparencyLog, logOrigin, type CertificateStatus, type LogAnchorSource, type LogCheck } from "@assay/protocol";
import { ApiNotFoundError, type AssayApi, type Jwks } from "../api";
import { chainTargetOf, documentAnchorOf, readAnchorFromChain } from "./chain-anchor";
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
  /** ASSAY_CHAIN_RPC_URL overrides the RPC URL discovery names. */
  env?: NodeJS.ProcessEnv;
};

export async function verifyAgainstLog(api: AssayApi, input: LogVerifyInput): Promise<LogCheck[]> {
  if (input.offline !== null) return both(`could not be checked offline: the API at ${api.baseUrl} is unreachable`);
  const id = (input.document as { id?: unknown } | null)?.id;
  const issuedAt = (input.document as { payload?: { issuedAt?: unknown } } | null)?.payload?.issuedAt;
  if (typeof id !== "string" || !isCertificateId(id) || typeof issuedAt !== "string") return both("not checked: the document has no certificate id and issuedAt");
  const path = checkpointStatePath(input.stateDir, api.baseUrl);
  const saved = await readSavedCheckpoint(path, api.baseUrl);
  const reported = input.status.state === "unknown" ? undefined : input.status.state;
  const anchor = await anchorSource(api, input.document, input.env ?? {});
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
      ...(anchor ? { anchor } : {}),
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

/** The chain side of log-anchor, when the issuer's discovery names a chain (null: the chain is off there). */
async function anchorSource(api: AssayApi, document: unknown, env: NodeJS.ProcessEnv): Promise<LogAnchorSource | null> {
  const discovery = await api.discovery().catch(() => null);
  if (!discovery?.chain) return null;
  const target = chainTargetOf(discovery, env);
  return {
    documentRoot: documentAnchorOf(document)?.root ?? null,
    anchoredCheckpoint: (certificateId) =>
      api.logAnchoredCheckpoint(certificateId).catch((error: unknown) => {
        if (error instanceof ApiNotFoundError) return null;
        throw error;
      }),
    readChain: async (commitment, anchor) =>
      target
        ? readAnchorFromChain(commitment, anchor, target)
        : { state: "failed", error: "could not read the chain: no RPC URL (the issuer's discovery names none and ASSAY_CHAIN_RPC_URL is not set)" },
  };
}

function both(detail: string): LogCheck[] {
  return [
    { name: "log-inclusion", ok: false, detail },
    { name: "log-consistency", ok: false, detail },
  ];
}
