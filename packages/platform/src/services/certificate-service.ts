// Certificates: issuing (sign with the active key, store with its status history
// and move the submission to certified in one transaction), lookup with status,
// status changes (suspend, revoke, expire, reinstate) and verification with the
// issuer's JWKS and the status from the database.
import {
  CERTIFICATE_FORMAT_V3,
  certificateId,
  DIGEST_PATTERN,
  issuedEntry,
  signCertificate,
  statusEntry,
  statusListId,
  toCertificateTime,
  verifyCertificate,
  type CertificateAnchorState,
  type CertificateDocument,
  type CertificatePayload,
  type CertificatePayloadV3,
  type CertificateStatus as VerifyStatus,
  type CertificateVerifyResult,
} from "@assay/protocol";
import { createHash } from "node:crypto";
import type { JSONWebKeySet } from "jose";
import type { CertificateStatus, ReadJson, StoredJson } from "../repositories";
import { nodeCertificateCrypto } from "../crypto/certificate-crypto";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import type { Repositories, Store } from "../repositories";
import { ANCHOR_REVOKE_TOPIC } from "../repositories/anchor-repositories";
import { appendToLog } from "../transparency/log-append";
import type { AnchorStateSource } from "./anchor-state-service";
import { NO_EVIDENCED_CLAIM } from "./claims-rejection";
import { ReadBatcher } from "./read-batcher";
import type { SigningKeyService } from "./signing-key-service";
import type { SubmissionService } from "./submission-service";

export const CERTIFICATE_STATUS_TRANSITIONS: Readonly<Record<CertificateStatus, readonly CertificateStatus[]>> = {
  active: ["suspended", "revoked", "expired"],
  suspended: ["active", "revoked", "expired"],
  revoked: [],
  expired: [],
};

/** Status reason of a certificate ended by its renewal (docs/decisions/0020). */
export const SUPERSEDED = "superseded";

export type CertificateStatusView = { state: CertificateStatus; reason: string | null };
export type CertificateLookup = {
  document: CertificateDocument;
  status: CertificateStatusView;
  submissionId: string;
  /** The anchor check as this server reads it (from the chain when the chain flag is on). */
  anchor: CertificateAnchorState;
  history: { from: CertificateStatus | null; to: CertificateStatus; reason: string | null; at: string }[];
};

/**
 * What the caller decides (subject, claims, audit, assembly, …). The issuer fills
 * in the rest: format (always assay.certificate/v3), issuer, issuedAt, validUntil
 * and credentialStatus (the status-list index, docs/decisions/0022). A `format`
 * given here is ignored.
 */
export type UnsignedCertificate = Omit<CertificatePayload, "format" | "issuer" | "issuedAt" | "validUntil"> & { format?: string };

/** How long a status read from the database may be served to verify (other processes' changes). */
export const VERIFY_STATUS_TTL_MS = 1_000;

type StatusRow = { status: CertificateStatus; statusReasonCode: string | null; anchor: ReadJson } | null;
type StatusEntry = { at: number; row: StatusRow; key: string };

export class CertificateService {
  /** Certificate id → status as last read (verify hot path). */
  private readonly statusCache = new Map<string, StatusEntry>();
  /** (document, status, second) → result: recomputing within the same second gives the same bytes. */
  private readonly resultCache = new Map<string, { second: number; statusKey: string; jwksKey: string; result: CertificateVerifyResult }>();
  /** Status reads of concurrent verifies, one query per event-loop turn. */
  private readonly statusReads = new ReadBatcher<NonNullable<StatusRow>>((ids) => this.store.repos.certificates.findStatuses(ids));

  constructor(
    private readonly store: Store,
    private readonly keys: SigningKeyService,
    private readonly submissions: SubmissionService,
    private readonly settings: { issuerId: string; validityDays: number; /** false: no status or result cache in verify (default true). */ verifyCache?: boolean },
    private readonly clock: () => Date = () => new Date(),
    /** Where the anchor check comes from (docs/decisions/0010); default: what the database recorded. */
    private readonly anchors: AnchorStateSource = STORED_ANCHORS,
  ) {}

  /** Synchronous node:crypto digest and signature checks (same results as the protocol's WebCrypto default). */
  private readonly crypto = nodeCertificateCrypto();

  /**
   * Signs and stores the certificate of a submission that is in assembly and
   * moves it to certified, atomically (both or neither).
   */
  async issue(submissionId: string, unsigned: UnsignedCertificate, actor: string): Promise<CertificateDocument> {
    // A certificate names at least one claim the audit evidenced (and, with an assembly, it granted); callers reject instead.
    if (unsigned.claims.length === 0) throw new ConflictError(NO_EVIDENCED_CLAIM, "a certificate must name at least one evidenced claim");
    const signer = await this.keys.signer();
    const now = this.clock();
    // A renewal's re-audit (docs/decisions/0020): the new certificate supersedes the one being renewed.
    const renewal = await this.store.repos.renewals.findBySubmission(submissionId);
    const supersedes = renewal?.status === "auditing" ? renewal.certificateId : unsigned.supersedes;
    // The certificate's bit in the status list, named in the signed payload (docs/decisions/0022). Taken from the
    // sequence before signing: an issuance that fails below leaves an index unused, whose bit stays 0.
    const statusListIndex = await this.store.repos.statusLists.nextIndex();
    const { format: _ignored, ...decided } = unsigned;
    const payload: CertificatePayloadV3 = {
      ...decided,
      supersedes: supersedes as CertificatePayloadV3["supersedes"],
      format: CERTIFICATE_FORMAT_V3,
      issuedAt: toCertificateTime(now),
      validUntil: toCertificateTime(new Date(now.getTime() + this.settings.validityDays * 86_400_000)),
      issuer: { id: this.settings.issuerId, kid: signer.kid },
      credentialStatus: { list: statusListId(this.settings.issuerId), index: statusListIndex },
    };
    const document = await signCertificate(payload, signer);
    await this.store.transaction(async (repos) => {
      await this.submissions.transitionIn(repos, submissionId, "certified", { actor, expectedFrom: "in_assembly" });
      await repos.certificates.create({
        id: document.id,
        submissionId,
        payload: document.payload as StoredJson,
        jws: document.jws,
        kid: signer.kid,
        subjectDigest: document.payload.subject.digest,
        issuedAt: new Date(document.payload.issuedAt),
        validUntil: new Date(document.payload.validUntil),
        supersedesId: document.payload.supersedes,
        statusListIndex,
        actor,
      });
      // The issuance is in the transparency log exactly when the certificate exists (docs/decisions/0016).
      await appendToLog(repos, [issuedEntry(document.id, document.payload.issuedAt)]);
      if (renewal && supersedes === renewal.certificateId) {
        await repos.renewals.finish(submissionId, { status: "renewed", newCertificateId: document.id });
        // The renewed certificate ends now (reason `superseded`) unless it already ended or is under review.
        const old = await repos.certificates.findById(renewal.certificateId);
        if (old?.status === "active") await this.changeStatusIn(repos, old, "expired", { reasonCode: SUPERSEDED, actor });
      }
    });
    if (renewal) this.statusCache.delete(renewal.certificateId);
    return document;
  }

  async lookup(id: string): Promise<CertificateLookup> {
    const row = await this.store.repos.certificates.findById(normaliseId(id));
    if (!row) throw new NotFoundError("certificate_not_found", `no certificate ${id}`);
    const history = await this.store.repos.certificates.history(row.id);
    return {
      document: documentOf(row),
      status: { state: row.status, reason: row.statusReasonCode },
      submissionId: row.submissionId,
      anchor: await this.anchors.stateOf(row.id, row.anchor),
      history: history.map((h) => ({ from: h.fromStatus, to: h.toStatus, reason: h.reasonCode, at: h.createdAt.toISOString() })),
    };
  }

  async latestForSubmission(submissionId: string): Promise<CertificateLookup> {
    const row = await this.store.repos.certificates.latestForSubmission(submissionId);
    if (!row) throw new NotFoundError("certificate_not_found", "this submission has no certificate");
    return this.lookup(row.id);
  }

  async changeStatus(id: string, to: CertificateStatus, input: { reasonCode?: string; actor: string }): Promise<CertificateStatusView> {
    const row = await this.store.repos.certificates.findById(normaliseId(id));
    if (!row) throw new NotFoundError("certificate_not_found", `no certificate ${id}`);
    if (!CERTIFICATE_STATUS_TRANSITIONS[row.status].includes(to)) {
      throw new ConflictError("illegal_status_change", `a certificate cannot go from ${row.status} to ${to}`, { from: row.status, to });
    }
    if (to === "revoked" && !input.reasonCode) throw new ValidationError("reason_required", "revoking a certificate needs a reason code");
    const changed = await this.store.transaction((repos) => this.changeStatusIn(repos, row, to, input));
    this.statusCache.delete(row.id);
    if (!changed) throw new ConflictError("certificate_status_changed", `certificate ${id} changed concurrently; retry`);
    return { state: to, reason: input.reasonCode ?? null };
  }

  /** The compare-and-set of a status with its history row, log entry and on-chain mirror, in the caller's transaction. */
  private async changeStatusIn(repos: Repositories, row: { id: string; status: CertificateStatus }, to: CertificateStatus, input: { reasonCode?: string; actor: string }): Promise<boolean> {
    const done = await repos.certificates.changeStatus({ id: row.id, from: row.status, to, reasonCode: input.reasonCode ?? null, actor: input.actor });
    if (done) {
      await appendToLog(repos, [statusEntry({ certificateId: row.id, from: row.status, to, reason: input.reasonCode ?? null, at: toCertificateTime(this.clock()) })]);
      // An operator's decision is an operator action: one audit-log row in the same transaction (the expiry and renewal sweeps are not).
      if (input.actor.startsWith("operator:")) {
        await repos.auditLog.record({ actor: input.actor, action: "certificate.status", target: `certificate:${row.id}`, before: { status: row.status }, after: { status: to, reasonCode: input.reasonCode ?? null } });
      }
    }
    // Mirrored on chain by the anchor loop (a no-op there when the chain flag is off). The registry knows only
    // revocation, so an expiry is mirrored as a revocation with reason `expired` (revocation-codes.ts).
    if (done && (to === "revoked" || to === "expired")) {
      const reason = to === "expired" ? "expired" : (input.reasonCode ?? null);
      await repos.outbox.add({ topic: ANCHOR_REVOKE_TOPIC, payload: { certificateId: row.id, reason }, dedupeKey: `${ANCHOR_REVOKE_TOPIC}:${row.id}` });
    }
    return done;
  }

  /**
   * Verifies any JSON value as a certificate document against this issuer.
   * Hot path (public verify): the status is read at most once per
   * VERIFY_STATUS_TTL_MS per certificate in this process (changes made here
   * apply at once), and a result is reused only for the same document bytes,
   * the same status, the same key set and the same second, i.e. when
   * recomputing would give the identical result.
   */
  async verify(document: unknown, options: { documentKey?: string } = {}): Promise<CertificateVerifyResult> {
    const rawId = typeof (document as { id?: unknown })?.id === "string" ? (document as { id: string }).id : null;
    const id = rawId && DIGEST_PATTERN.test(rawId) ? rawId : null;
    // Awaits only on cache misses: this is the public hot path.
    const jwks = this.keys.cachedJwks() ?? (await this.keys.jwks());
    const caching = this.settings.verifyCache !== false;
    const status = id ? ((caching ? this.cachedStatus(id) : undefined) ?? (await this.loadStatus(id, caching))) : NO_STATUS;
    const row = status.row;
    const pendingAnchor = id && row ? this.anchors.stateOf(id, row.anchor) : NOT_ANCHORED;
    const anchor = pendingAnchor instanceof Promise ? await pendingAnchor : pendingAnchor;
    const now = this.clock();
    const second = Math.floor(now.getTime() / 1000);
    const statusKey = anchor === NOT_ANCHORED ? status.key : `${status.key}|${JSON.stringify(anchor)}`;
    const jwksKey = jwksKeyOf(jwks);
    // documentKey: a digest of the exact request bytes, when the caller has them.
    const cacheKey = caching ? (options.documentKey ?? documentKeyOf(document)) : null;
    const cached = cacheKey === null ? undefined : this.resultCache.get(cacheKey);
    if (cached && cached.second === second && cached.statusKey === statusKey && cached.jwksKey === jwksKey) return cached.result;

    let result = await this.verifyWith(document, jwks, row, anchor, now);
    if (!result.valid && result.checks.some((c) => c.name === "signature" && !c.ok)) {
      // Perhaps another process rotated keys since our JWKS was cached: look again once.
      const fresh = await this.keys.jwks({ fresh: true });
      if (fresh.keys.length !== jwks.keys.length) result = await this.verifyWith(document, fresh, row, anchor, now);
    }
    if (cacheKey !== null) {
      if (this.resultCache.size >= 10_000) this.resultCache.clear();
      this.resultCache.set(cacheKey, { second, statusKey, jwksKey, result });
    }
    return result;
  }

  private verifyWith(document: unknown, jwks: JSONWebKeySet, row: StatusRow, anchor: CertificateAnchorState, now: Date): Promise<CertificateVerifyResult> {
    return verifyCertificate(document, {
      jwks: jwks as { keys: Record<string, unknown>[] },
      allowedIssuers: [this.settings.issuerId],
      now,
      status: verifyStatusOf(row),
      anchor,
    }, this.crypto);
  }

  private cachedStatus(id: string): StatusEntry | undefined {
    const cached = this.statusCache.get(id);
    return cached && Date.now() - cached.at < VERIFY_STATUS_TTL_MS ? cached : undefined;
  }

  private async loadStatus(id: string, caching = true): Promise<StatusEntry> {
    const at = Date.now();
    const row = await this.statusReads.read(id);
    const entry = { at, row, key: row ? `${row.status}|${row.statusReasonCode ?? ""}|${JSON.stringify(row.anchor ?? null)}` : "none" };
    if (!caching) return entry;
    if (this.statusCache.size >= 100_000) this.statusCache.clear();
    this.statusCache.set(id, entry);
    return entry;
  }
}

/** A digest of a JSON value, or null when it cannot be serialised (e.g. nested too deep): then it is not cached. */
function documentKeyOf(document: unknown): string | null {
  try {
    return createHash("sha256").update(JSON.stringify(document) ?? "undefined").digest("hex");
  } catch {
    return null;
  }
}

const NO_STATUS: StatusEntry = { at: 0, row: null, key: "none" };

const jwksKeys = new WeakMap<JSONWebKeySet, string>();
function jwksKeyOf(jwks: JSONWebKeySet): string {
  let key = jwksKeys.get(jwks);
  if (key === undefined) jwksKeys.set(jwks, (key = jwks.keys.map((k) => k.kid).join(",")));
  return key;
}

function normaliseId(id: string): string {
  const lower = id.toLowerCase();
  if (!DIGEST_PATTERN.test(lower)) throw new NotFoundError("certificate_not_found", `no certificate ${id}`);
  return lower;
}

function documentOf(row: { id: string; payload: ReadJson; jws: string; anchor: ReadJson | null }): CertificateDocument {
  const payload = row.payload as unknown as CertificatePayload;
  // The stored id is the payload's id; recomputing guards against a corrupted row.
  if (certificateId(payload) !== row.id) throw new Error(`stored certificate ${row.id} does not hash to its id`);
  return { id: row.id as CertificateDocument["id"], payload, jws: row.jws, ...(row.anchor ? { anchor: row.anchor as Record<string, unknown> } : {}) };
}

function verifyStatusOf(row: { status: CertificateStatus; statusReasonCode: string | null } | null): VerifyStatus {
  if (!row) return { state: "unknown" };
  switch (row.status) {
    case "active":
      return { state: "active" };
    case "suspended":
      return row.statusReasonCode ? { state: "suspended", reason: row.statusReasonCode } : { state: "suspended" };
    case "revoked":
      return { state: "revoked", reason: row.statusReasonCode ?? "unspecified" };
    case "expired":
      return { state: "expired" };
  }
}

const NOT_ANCHORED: CertificateAnchorState = { state: "not-anchored" };

/** Chain flag off: the anchor state as the database recorded it (nothing, normally: not anchored). */
export const STORED_ANCHORS: AnchorStateSource = { stateOf: (_id, stored) => anchorStateOf(stored as ReadJson | null) };

function anchorStateOf(anchor: ReadJson | null | undefined): CertificateAnchorState {
  const state = (anchor as { state?: unknown } | null)?.state;
  if (state === "pending") return { state: "pending" };
  if (state === "anchored") {
    const a = anchor as { block?: unknown; tx?: unknown };
    if (typeof a.block === "number" && typeof a.tx === "string") return { state: "anchored", block: a.block, tx: a.tx };
  }
  return { state: "not-anchored" };
}
