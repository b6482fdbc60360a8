// The public registry (issue 12 item 5, docs/decisions/0017): search over issued
// certificates (filters, keyset pagination in the API's cursor encoding), the
// registry view of one certificate (what its public page shows beyond the signed
// document) and the little a badge needs. Read-only; the status shown is
// registryStatusOf(stored status, validUntil, now).
import {
  DIGEST_PATTERN,
  FINDING_SRIPS,
  registryStatusOf,
  type AnyCertificatePayload,
  type CertificateRegistryView,
  type ClaimEvidence,
  type FindingCode,
  type RegistryEntry,
  type RegistryPage,
  type RegistrySearchQuery,
  type RegistryStatus,
  type Severity,
} from "@assay/protocol";
import { ValidationError } from "../errors";
import type { Store } from "../repositories";
import type { RegistryRow } from "../repositories/registry-repository";
import type { CertificateLookup } from "./certificate-service";

export const REGISTRY_DEFAULT_LIMIT = 20;
export const REGISTRY_MAX_LIMIT = 100;

/** What a badge shows: the registry status and the evidenced claims; null when the id names no certificate here. */
export type BadgeFacts = { id: string; status: RegistryStatus; claims: string[]; runtime: { name: string; version: string } };

type EntryFields = Pick<
  RegistryRow,
  "id" | "runtimeName" | "runtimeVersion" | "suiteId" | "suiteVersion" | "claims" | "status" | "statusReasonCode" | "level" | "issuedAt" | "validUntil" | "supersedesId"
>;

export class RegistryService {
  constructor(
    private readonly store: Store,
    private readonly settings: { publicUrl: string },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async search(query: RegistrySearchQuery): Promise<RegistryPage> {
    const limit = Math.min(Math.max(query.limit ?? REGISTRY_DEFAULT_LIMIT, 1), REGISTRY_MAX_LIMIT);
    const now = this.clock();
    const rows = await this.store.registry.search({
      name: query.name,
      claim: query.claim,
      status: query.status,
      suiteId: query.suite,
      suiteVersion: query.suiteVersion,
      issuedFrom: query.issuedFrom !== undefined ? instantOf(query.issuedFrom) : undefined,
      issuedBefore: query.issuedBefore !== undefined ? instantOf(query.issuedBefore) : undefined,
      after: query.cursor !== undefined ? decodeRegistryCursor(query.cursor) : undefined,
      now,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map((row) => this.entryOf(row, now)), nextCursor: rows.length > limit && last ? encodeRegistryCursor(last) : null };
  }

  /** The registry view of a looked-up certificate (CertificateService.lookup). */
  async view(found: CertificateLookup): Promise<CertificateRegistryView> {
    const payload = found.document.payload as AnyCertificatePayload;
    const now = this.clock();
    const [supersededBy, flags, reportFindings] = await Promise.all([
      this.store.registry.supersededBy(found.document.id),
      this.store.registry.flagSummary(found.document.id),
      this.store.registry.reportFindings(payload.audit.reportDigest),
    ]);
    const entry = this.entryOf(fieldsOfPayload(found.document.id, payload, found.status), now);
    return {
      ...entry,
      claimsEvidence: claimsEvidenceOf(payload, reportFindings),
      supersededBy,
      flags: {
        ...flags,
        latest: flags.latest
          ? { status: flags.latest.status as "dismissed" | "suspended" | "reaudit_ordered", outcome: flags.latest.outcome, resolvedAt: flags.latest.resolvedAt?.toISOString() ?? null }
          : null,
      },
    };
  }

  /** The facts of a badge; null for anything that is not the id of a certificate here (malformed ids included). */
  async badge(id: string): Promise<BadgeFacts | null> {
    const normalised = id.toLowerCase();
    if (!DIGEST_PATTERN.test(normalised)) return null;
    const row = await this.store.repos.certificates.findById(normalised);
    if (!row) return null;
    return {
      id: row.id,
      status: registryStatusOf(row.status, row.validUntil, this.clock()),
      claims: [...row.claims].sort(),
      runtime: { name: row.runtimeName, version: row.runtimeVersion },
    };
  }

  private entryOf(row: EntryFields, now: Date): RegistryEntry {
    const status = registryStatusOf(row.status, row.validUntil, now);
    const base = this.settings.publicUrl;
    return {
      id: row.id,
      runtime: { name: row.runtimeName, version: row.runtimeVersion },
      status,
      // A reason belongs to a suspension or revocation that is what the registry shows.
      statusReason: (status === "suspended" || status === "revoked") && row.statusReasonCode ? row.statusReasonCode : null,
      claims: [...row.claims].sort(),
      suite: { id: row.suiteId, version: row.suiteVersion },
      level: row.level === "assembly" ? "assembly" : "audit-only",
      issuedAt: certificateTimeOf(row.issuedAt),
      validUntil: certificateTimeOf(row.validUntil),
      supersedes: row.supersedesId,
      links: { certificate: `${base}/v1/public/certificates/${row.id}`, badge: `${base}/badge/${row.id}.svg` },
    };
  }
}

function fieldsOfPayload(id: string, payload: AnyCertificatePayload, status: CertificateLookup["status"]): EntryFields {
  return {
    id,
    runtimeName: payload.subject.name,
    runtimeVersion: payload.subject.version,
    suiteId: payload.audit.suite.id,
    suiteVersion: payload.audit.suite.version,
    claims: payload.claims,
    status: status.state,
    statusReasonCode: status.reason,
    level: payload.level,
    issuedAt: new Date(payload.issuedAt),
    validUntil: new Date(payload.validUntil),
    supersedesId: payload.supersedes,
  };
}

/**
 * Granted claims with the non-blocking findings the audit noted against each
 * (FINDING_SRIPS: the one table of which finding counts against which SRIP),
 * then the withheld claims as the payload states them.
 */
export function claimsEvidenceOf(payload: AnyCertificatePayload, reportFindings: { code: string; severity: string }[] | null): ClaimEvidence[] {
  const grantedBy = payload.level === "assembly" ? "assembly" : "audit";
  const granted: ClaimEvidence[] = [...payload.claims].sort().map((srip) => {
    if (reportFindings === null) return { srip, granted: true, grantedBy, notedFindings: null };
    const counts = new Map<string, { code: FindingCode; severity: Severity; count: number }>();
    for (const f of reportFindings) {
      if (f.severity !== "info" && f.severity !== "minor") continue;
      const srips = FINDING_SRIPS[f.code as FindingCode] as readonly string[] | undefined;
      if (!srips?.includes(srip)) continue;
      const key = `${f.code}\u0000${f.severity}`;
      const seen = counts.get(key);
      if (seen) seen.count++;
      else counts.set(key, { code: f.code as FindingCode, severity: f.severity, count: 1 });
    }
    const notedFindings = [...counts.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.severity < b.severity ? -1 : 1));
    return { srip, granted: true, grantedBy, notedFindings };
  });
  const withheld: ClaimEvidence[] =
    // v2 and v3 (v2 + credentialStatus, decision 0022) list the withheld claims; legacy v1 does not.
    payload.format !== "assay.certificate/v1"
      ? payload.claimsNotGranted.map((c) => ({ srip: c.srip, granted: false as const, reason: c.reason, findings: c.findings }))
      : [];
  return [...granted, ...withheld];
}

/** Certificate times have second precision (2026-01-31T12:00:00Z), as in the payload. */
function certificateTimeOf(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A date (midnight UTC) or an ISO instant, already validated by RegistrySearchQuery. */
function instantOf(text: string): Date {
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
}

// Cursors in the API's one encoding (as submission lists): base64url of the JSON
// [instant, key] of the last item; the key here is the certificate id.
const CURSOR_INSTANT = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeRegistryCursor(row: { issuedAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.issuedAt.toISOString(), row.id])).toString("base64url");
}

export function decodeRegistryCursor(cursor: string): { issuedAt: Date; id: string } {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (!Array.isArray(decoded) || decoded.length !== 2) throw new Error("bad cursor");
    const [issuedAt, id] = decoded as [unknown, unknown];
    // Only what encodeRegistryCursor writes: an instant PostgreSQL can hold, and a certificate id.
    if (typeof issuedAt !== "string" || !CURSOR_INSTANT.test(issuedAt)) throw new Error("bad cursor");
    const date = new Date(issuedAt);
    if (Number.isNaN(date.getTime()) || date.toISOString() !== issuedAt || typeof id !== "string" || !DIGEST_PATTERN.test(id)) throw new Error("bad cursor");
    return { issuedAt: date, id };
  } catch {
    throw new ValidationError("cursor_invalid", "the pagination cursor is not valid", [{ path: "cursor", message: "not a cursor from this API" }]);
  }
}
