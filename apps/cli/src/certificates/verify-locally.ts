// `assay verify`: verify a certificate with @assay/protocol's verifyCertificate
// on this machine, trusting nothing the server concludes. The server supplies
// only facts verification needs and cannot compute: the issuer's key set (cached
// on disk, see jwks-cache.ts), the certificate's status and its anchor state.
// When it cannot be reached those checks fail with a detail saying so; the
// document-only checks (schema, id, JWS payload, signature, issuer, time window,
// artifact) are complete offline, and so is the status-list check (a saved or
// cached signed list, status-list.ts), which then also answers `status` for a
// certificate that names its bit (assay.certificate/v3).
import { readFile, stat } from "node:fs/promises";
import {
  CERTIFICATE_FORMAT_V3,
  verifyCertificate,
  type CertificateAnchorState,
  type CertificateCheckName,
  type CertificateStatus,
  type CertificateVerifyResult,
  type LogCheckName,
  type STATUS_LIST_CHECK_NAME,
} from "@assay/protocol";
import { ApiNotFoundError, ApiUnreachableError, documentOfLookup, type AssayApi, type CertificateLookup } from "../api";
import { UsageError } from "../errors";
import { loadRuntimeDirectory } from "../runtime-dir";
import { chainTargetOf, documentAnchorOf, readAnchorFromChain } from "./chain-anchor";
import { claimsView, type ClaimsView } from "./claims-view";
import { isCertificateId } from "./ids";
import { issuerKeys } from "./jwks-cache";
import { verifyAgainstLog } from "./log-verify";
import { checkCertificateStatusList, readStatusListFile, statusListSource } from "./status-list";

/** A certificate document is a few kilobytes; this bounds what is read from a file. */
export const DOCUMENT_MAX_BYTES = 1024 * 1024;

export type VerifyRequest = {
  /** A file holding the document, or a certificate id to look up. */
  input: string;
  artifactDir?: string;
  cacheDir: string;
  /** Where the transparency log's saved checkpoint lives (default: cacheDir). */
  stateDir?: string;
  now: Date;
  /** ASSAY_CHAIN_RPC_URL overrides the RPC URL discovery names. */
  env?: NodeJS.ProcessEnv;
  /** A saved signed status list to check the certificate's bit against (else the API's, else the cached copy). */
  statusListFile?: string;
};

/** The certificate's own checks (SPEC §6), the status list's (0022), then the transparency log's (0016). */
export type VerifyCheck = { name: CertificateCheckName | typeof STATUS_LIST_CHECK_NAME | LogCheckName; ok: boolean; detail: string };

export type VerifyOutcome = Omit<CertificateVerifyResult, "checks"> & {
  checks: VerifyCheck[];
  /** Where the keys came from and whether the API was reachable, for the human summary. */
  keys: { issuer: string; source: "network" | "cache"; fetchedAt: string };
  /** The claims the document states (granted and not granted), null when its payload does not parse. */
  claims: ClaimsView | null;
};

type ServerFacts = {
  status: CertificateStatus;
  anchor: CertificateAnchorState;
  /** Details that replace a failing check's. */
  details: Partial<Record<CertificateCheckName, string>>;
  /** The API could not be reached for them. */
  unreachable?: boolean;
  /** A status detail that replaces the check's whether it passes or not (the status list answered it). */
  statusDetail?: string;
};

export async function verifyLocally(api: AssayApi, request: VerifyRequest): Promise<VerifyOutcome> {
  const source = await readDocument(api, request.input);
  // Read the artifact before any network call: an unreadable directory is exit 2 whatever the server says.
  const artifactDigest = request.artifactDir !== undefined ? (await loadRuntimeDirectory(request.artifactDir)).subjectDigest : undefined;
  // Likewise an unreadable --status-list file.
  if (request.statusListFile !== undefined) await readStatusListFile(request.statusListFile);
  const keys = await issuerKeys(api, { cacheDir: request.cacheDir, now: request.now, kidHint: kidOf(source.document) });
  const facts = source.lookup ? factsOfLookup(source.lookup) : await lookUpFacts(api, source.document, keys.offline);
  // Only a certificate that names its bit (v3) needs a list; for the others the check is "not applicable".
  const list = namesStatusListEntry(source.document)
    ? await statusListSource(api, {
        ...(request.statusListFile !== undefined ? { file: request.statusListFile } : {}),
        offline: keys.offline ?? (facts.unreachable ? "unreachable" : null),
        cacheDir: request.cacheDir,
        now: request.now,
      })
    : { jws: null, missing: "not needed" };
  const statusList = await checkCertificateStatusList(source.document, list, keys, request.now);
  if (facts.unreachable && statusList.withdrawn !== null && statusList.list) {
    // Offline, the issuer's signed list is its word on the status, as of its publication.
    const at = `status list #${statusList.list.sequence} published ${statusList.list.publishedAt}`;
    facts.status = statusList.withdrawn ? { state: "revoked", reason: "status-list" } : { state: "active" };
    facts.statusDetail = statusList.withdrawn ? `revoked or suspended according to the issuer's ${at} (API unreachable)` : `active according to the issuer's ${at} (API unreachable)`;
  }
  await checkAnchorOnChain(api, source.document, facts, keys.offline === null, request.env ?? {});
  const result = await verifyCertificate(source.document, {
    jwks: keys.jwks,
    allowedIssuers: [keys.issuer],
    now: request.now,
    status: facts.status,
    anchor: facts.anchor,
    ...(artifactDigest !== undefined ? { artifactDigest } : {}),
  });
  const checks: VerifyCheck[] = result.checks.map((check) => {
    if (check.name === "status" && facts.statusDetail !== undefined) return { ...check, detail: facts.statusDetail };
    const detail = facts.details[check.name];
    return detail !== undefined && !check.ok ? { ...check, detail } : check;
  });
  const logChecks = await verifyAgainstLog(api, {
    document: source.document,
    issuer: keys.issuer,
    jwks: keys.jwks,
    offline: keys.offline,
    keysFromCache: keys.source === "cache",
    status: facts.status,
    stateDir: request.stateDir ?? request.cacheDir,
    now: request.now,
    env: request.env ?? {},
  });
  return {
    valid: result.valid && statusList.check.ok && logChecks.every((c) => c.ok),
    checks: [...checks, statusList.check, ...logChecks],
    keys: { issuer: keys.issuer, source: keys.source, fetchedAt: keys.fetchedAt },
    claims: claimsView(source.document),
  };
}

/**
 * A document that carries an anchor proof is checked against the chain by this
 * machine: the registry and RPC URL come from the issuer's discovery (or
 * ASSAY_CHAIN_RPC_URL); without a chain to read, the anchor cannot be confirmed.
 */
async function checkAnchorOnChain(api: AssayApi, document: unknown, facts: ServerFacts, online: boolean, env: NodeJS.ProcessEnv): Promise<void> {
  const anchor = documentAnchorOf(document);
  const id = (document as { id?: unknown } | null)?.id;
  if (!anchor || typeof id !== "string" || !isCertificateId(id)) return;
  const discovery = online ? await api.discovery().catch(() => null) : null;
  const target = chainTargetOf(discovery, env);
  facts.anchor = target
    ? await readAnchorFromChain(id.toLowerCase(), anchor, target)
    : { state: "failed", error: "could not read the chain: no RPC URL (the issuer's discovery names none and ASSAY_CHAIN_RPC_URL is not set)" };
  if (facts.anchor.state === "failed" && facts.anchor.error) facts.details.anchor = `anchor not confirmed: ${facts.anchor.error}`;
  else delete facts.details.anchor;
}

type DocumentSource = { document: unknown; lookup: CertificateLookup | null };

async function readDocument(api: AssayApi, input: string): Promise<DocumentSource> {
  const info = await stat(input).catch(() => null);
  if (info?.isFile()) return { document: await readDocumentFile(input, info.size), lookup: null };
  if (info) throw new UsageError(`${input} is not a file; expected a certificate file or a certificate id (0x + 64 hex digits)`);
  if (!isCertificateId(input)) {
    throw new UsageError(`${input} is neither a file nor a certificate id (0x + 64 hex digits)`);
  }
  const lookup = await api.publicCertificate(input.toLowerCase());
  return { document: documentOfLookup(lookup), lookup };
}

async function readDocumentFile(path: string, size: number): Promise<unknown> {
  if (size > DOCUMENT_MAX_BYTES) throw new UsageError(`${path} is ${size} bytes; a certificate document is at most ${DOCUMENT_MAX_BYTES} bytes`);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
}

/** The status and anchor for a document read from a file: the issuer's public lookup by the document's id. */
async function lookUpFacts(api: AssayApi, document: unknown, offline: string | null): Promise<ServerFacts> {
  const id = (document as { id?: unknown } | null)?.id;
  const hasAnchor = typeof document === "object" && document !== null && "anchor" in document;
  if (offline !== null) return unreachableFacts(api.baseUrl, hasAnchor);
  if (typeof id !== "string" || !isCertificateId(id)) {
    return { status: { state: "unknown" }, anchor: { state: "not-anchored" }, details: { status: "not checked: the document has no certificate id to look up" } };
  }
  try {
    return factsOfLookup(await api.publicCertificate(id.toLowerCase()));
  } catch (error) {
    if (error instanceof ApiUnreachableError) return unreachableFacts(api.baseUrl, hasAnchor);
    if (error instanceof ApiNotFoundError) {
      return {
        status: { state: "unknown" },
        anchor: { state: "not-anchored" },
        details: { status: `the issuer at ${api.baseUrl} has no certificate ${id}` },
      };
    }
    throw error;
  }
}

function unreachableFacts(apiUrl: string, hasAnchor: boolean): ServerFacts {
  const why = `could not be checked offline: the API at ${apiUrl} is unreachable`;
  return {
    unreachable: true,
    status: { state: "unknown" },
    // With no anchor claimed there is nothing to confirm; a claimed one cannot be confirmed offline.
    anchor: hasAnchor ? { state: "failed", error: why } : { state: "not-anchored" },
    details: { status: `status unknown: ${why}`, ...(hasAnchor ? { anchor: `anchor ${why}` } : {}) },
  };
}

export function factsOfLookup(lookup: CertificateLookup): ServerFacts {
  // anchorState: the server's own chain reading; `anchor` (the proof block) is checked on chain by checkAnchorOnChain.
  return { status: statusOf(lookup.status), anchor: anchorOf((lookup as { anchorState?: unknown }).anchorState ?? lookup.anchor), details: {} };
}

function statusOf(status: CertificateLookup["status"]): CertificateStatus {
  switch (status.state) {
    case "active":
      return { state: "active" };
    case "suspended":
      return status.reason ? { state: "suspended", reason: status.reason } : { state: "suspended" };
    case "revoked":
      return { state: "revoked", reason: status.reason || "unspecified" };
    case "expired":
      return { state: "expired" };
  }
}

/** The anchor state as the server reports it (the on-chain check itself comes with the chain integration). */
function anchorOf(anchor: unknown): CertificateAnchorState {
  if (typeof anchor !== "object" || anchor === null) return { state: "not-anchored" };
  const a = anchor as { state?: unknown; block?: unknown; tx?: unknown; reason?: unknown; error?: unknown };
  const tx = typeof a.tx === "string" && /^0x[0-9a-fA-F]{64}$/.test(a.tx) ? a.tx : undefined;
  switch (a.state) {
    case "pending":
      return tx ? { state: "pending", tx } : { state: "pending" };
    case "anchored":
      return typeof a.block === "number" && Number.isInteger(a.block) && a.block >= 0 && tx
        ? { state: "anchored", block: a.block, tx }
        : { state: "failed", error: "the server reports an anchor without a block and transaction" };
    case "revoked-on-chain":
      return typeof a.reason === "string" ? { state: "revoked-on-chain", reason: a.reason } : { state: "revoked-on-chain" };
    case "failed":
      return typeof a.error === "string" ? { state: "failed", error: a.error } : { state: "failed" };
    default:
      return { state: "not-anchored" };
  }
}

function namesStatusListEntry(document: unknown): boolean {
  const payload = (document as { payload?: { format?: unknown; credentialStatus?: unknown } } | null)?.payload;
  return payload?.format === CERTIFICATE_FORMAT_V3 || payload?.credentialStatus !== undefined;
}

/** The kid in the JWS protected header, if it decodes: which cached key set is fresh enough. */
function kidOf(document: unknown): string | undefined {
  const jws = (document as { jws?: unknown } | null)?.jws;
  if (typeof jws !== "string") return undefined;
  try {
    const header = JSON.parse(Buffer.from(jws.split(".")[0] ?? "", "base64url").toString("utf8")) as { kid?: unknown };
    return typeof header.kid === "string" ? header.kid : undefined;
  } catch {
    return undefined;
  }
}
