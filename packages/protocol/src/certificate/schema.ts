// The certificate payload and the certificate document (SPEC §6, §11). The
// payload is what is hashed (id) and signed (JWS), so every number in it is an
// integer and every object is strict: an unknown key is a different format, not
// something to ignore. Rationale: docs/decisions/0004.
//
// `assay.certificate/v2` (issued) lists in `claims` only the SRIPs the evidence
// supports (and, with an assembly, the validators granted), and in
// `claimsNotGranted` the ones asked for and withheld, with the reason.
// `assay.certificate/v1` is legacy: never issued any more, still verified.
import { z } from "zod";
import { DIGEST_PATTERN } from "../canonical";
import { FindingCode } from "../findings";
import { MetricValueSchema } from "../report";
import { RolloutSchema } from "../rollout";
import { isCertificateTime } from "./time";

/**
 * The per-claim format (v2): still signable by `signCertificate` (tools, tests),
 * no longer issued by the platform, which issues v3 (v2 + `credentialStatus`).
 */
export const CERTIFICATE_FORMAT = "assay.certificate/v2";
/** The format the platform issues: v2 plus the certificate's entry in the issuer's status list (decision 0022). */
export const CERTIFICATE_FORMAT_V3 = "assay.certificate/v3";
/** The legacy format: certificates issued before per-claim conformance; verified, never issued. */
export const CERTIFICATE_FORMAT_V1 = "assay.certificate/v1";
/** Every format verification accepts, newest first. */
export const CERTIFICATE_FORMATS = [CERTIFICATE_FORMAT_V3, CERTIFICATE_FORMAT, CERTIFICATE_FORMAT_V1] as const;

const int = z.number().int();
const bps = int.min(0).max(10_000);
const digest = z.string().regex(DIGEST_PATTERN, "expected 0x + 64 lowercase hex digits");
const text = z.string().min(1);
const certificateTime = z
  .string()
  .refine(isCertificateTime, "expected an ISO-8601 UTC time with second precision, e.g. 2026-01-31T12:00:00Z");

/** SRIP identifiers as in the manifest's `claims`, e.g. SRIP-05. */
export const SripIdSchema = z.string().regex(/^SRIP-\d{2,}$/, "expected an SRIP id such as SRIP-05");

const ascendingUnique = (values: readonly string[]) => values.every((v, i) => i === 0 || values[i - 1]! < v);

export const CertificateSubjectSchema = z.strictObject({
  name: text,
  version: text,
  /** Subject digest of the certified artifact (see subjectDigest). */
  digest,
});

export const CertificateAuditSchema = z
  .strictObject({
    suite: z.strictObject({ id: text, version: text }),
    seed: int.nonnegative(),
    engine: z.strictObject({ name: text, version: text }),
    /** Summary metrics copied from the audit report: integers (bps, counts, turns), null when unverified. */
    metrics: z.array(MetricValueSchema),
    /** digestOf(report.findings). */
    findingsDigest: digest,
    /** The audit report's own digest (report.digest). */
    reportDigest: digest,
    criticalFindings: int.nonnegative(),
    /**
     * The rollout modes the audit ran under (report.rollout), e.g. whether
     * SRIP-13 was enforced, shadowed or off. Absent on certificates issued
     * before the flag existed (they were issued under enforce).
     */
    rollout: RolloutSchema.optional(),
  })
  .refine((a) => new Set(a.metrics.map((m) => m.id)).size === a.metrics.length, {
    message: "metric ids must be unique",
    path: ["metrics"],
  });

export const CertificateTallySchema = z.strictObject({
  verdict: z.literal("certify"),
  /** Share of revealed weight that voted certify. */
  certifyWeightBps: bps,
  /** Revealed weight as a share of the seated weight. */
  participationBps: bps,
  /** Weighted median of the validators' stability scores. */
  stabilityScoreBps: bps,
});

export const CertificateAssemblySchema = z.strictObject({
  /** Digest of the replayable assembly record (snapshot, seed, seats, commits, reveals, tally). */
  recordDigest: digest,
  rounds: int.min(1),
  /** Seats of the deciding round. */
  seats: int.min(1),
  tally: CertificateTallySchema,
});

export const CertificateLevel = z.enum(["audit-only", "assembly"]);
export type CertificateLevel = z.infer<typeof CertificateLevel>;

export const CertificateIssuerSchema = z.strictObject({
  id: text,
  /** Key id (RFC 7638 thumbprint) of the signing key; a hint for verifiers, not trust. */
  kid: text,
});

/** Why a claimed SRIP is not in `claims`. */
export const ClaimNotGrantedReason = z.enum(["not-evidenced", "not-tested", "denied-by-assembly"]);
export type ClaimNotGrantedReason = z.infer<typeof ClaimNotGrantedReason>;

export const ClaimNotGrantedSchema = z.strictObject({
  srip: SripIdSchema,
  reason: ClaimNotGrantedReason,
  /** Codes of the major/critical findings that count against the SRIP: sorted, unique (may be empty). */
  findings: z.array(FindingCode).refine(ascendingUnique, "findings must be sorted ascending without duplicates"),
});
export type ClaimNotGranted = z.infer<typeof ClaimNotGrantedSchema>;

/** Fields shared by every format (v1 and v2). */
const commonPayloadFields = {
  subject: CertificateSubjectSchema,
  /** SRIPs the certificate states conformance evidence for: sorted, unique, at least one. */
  claims: z.array(SripIdSchema).min(1).refine(ascendingUnique, "claims must be sorted ascending without duplicates"),
  audit: CertificateAuditSchema,
  /** null for an audit-only certificate (level "audit-only"). */
  assembly: CertificateAssemblySchema.nullable(),
  verdict: z.literal("certified"),
  level: CertificateLevel,
  issuedAt: certificateTime,
  validUntil: certificateTime,
  /** Id of the certificate this one renews, or null. */
  supersedes: digest.nullable(),
  issuer: CertificateIssuerSchema,
};

type CommonPayload = {
  level: CertificateLevel;
  assembly: unknown;
  audit: { criticalFindings: number };
  issuedAt: string;
  validUntil: string;
};

function refineCommon(p: CommonPayload, ctx: z.RefinementCtx): void {
  if ((p.level === "assembly") !== (p.assembly !== null)) {
    ctx.addIssue({
      code: "custom",
      path: ["assembly"],
      message: 'level "assembly" requires an assembly record; level "audit-only" requires assembly: null',
    });
  }
  // Why: an objective critical finding vetoes certify (SPEC §4-5).
  if (p.audit.criticalFindings !== 0) {
    ctx.addIssue({ code: "custom", path: ["audit", "criticalFindings"], message: "a certified subject has no critical findings" });
  }
  if (isCertificateTime(p.issuedAt) && isCertificateTime(p.validUntil) && !(p.issuedAt < p.validUntil)) {
    ctx.addIssue({ code: "custom", path: ["validUntil"], message: "validUntil must be after issuedAt" });
  }
}

/** The claims asked for (the manifest's) and not granted, ascending by SRIP, none of them in `claims`. */
const claimsNotGrantedField = { claimsNotGranted: z.array(ClaimNotGrantedSchema) };

function refinePerClaim(p: CommonPayload & { claims: string[]; claimsNotGranted: ClaimNotGranted[] }, ctx: z.RefinementCtx): void {
  refineCommon(p, ctx);
  const withheld = p.claimsNotGranted.map((c) => c.srip);
  if (!ascendingUnique(withheld)) {
    ctx.addIssue({ code: "custom", path: ["claimsNotGranted"], message: "claimsNotGranted must be sorted by srip without duplicates" });
  }
  const granted = new Set(p.claims);
  withheld.forEach((srip, i) => {
    if (granted.has(srip)) {
      ctx.addIssue({ code: "custom", path: ["claimsNotGranted", i, "srip"], message: `${srip} is both granted and not granted` });
    }
  });
  // Why: an assembly denial only exists when an assembly sat.
  p.claimsNotGranted.forEach((c, i) => {
    if (c.reason === "denied-by-assembly" && p.assembly === null) {
      ctx.addIssue({ code: "custom", path: ["claimsNotGranted", i, "reason"], message: "denied-by-assembly needs an assembly" });
    }
  });
}

/** The per-claim payload `assay.certificate/v2` (signable; the platform issues v3). */
export const CertificatePayloadSchema = z
  .strictObject({ format: z.literal(CERTIFICATE_FORMAT), ...commonPayloadFields, ...claimsNotGrantedField })
  .superRefine(refinePerClaim);
export type CertificatePayload = z.infer<typeof CertificatePayloadSchema>;

/** Largest status-list index: a list is a bitstring addressed by a 31-bit index. */
export const STATUS_LIST_INDEX_MAX = 2 ** 31 - 1;

/**
 * Where the certificate's bit is in its issuer's status list (decision 0022):
 * `list` is the list's id (the `id` of the signed list document), `index` the
 * bit (0 = the most significant bit of the first byte, as in W3C Bitstring
 * Status List). Assigned at issuance, never reused.
 */
export const CredentialStatusSchema = z.strictObject({ list: text, index: int.min(0).max(STATUS_LIST_INDEX_MAX) });
export type CredentialStatus = z.infer<typeof CredentialStatusSchema>;

/** The payload the platform issues, `assay.certificate/v3`: v2 plus `credentialStatus`, covered by the id and signature. */
export const CertificatePayloadV3Schema = z
  .strictObject({ format: z.literal(CERTIFICATE_FORMAT_V3), ...commonPayloadFields, ...claimsNotGrantedField, credentialStatus: CredentialStatusSchema })
  .superRefine(refinePerClaim);
export type CertificatePayloadV3 = z.infer<typeof CertificatePayloadV3Schema>;

/** Payloads `signCertificate` signs: v3 (issued by the platform) and v2. */
export const SignableCertificatePayloadSchema = z.discriminatedUnion("format", [CertificatePayloadV3Schema, CertificatePayloadSchema]);
export type SignableCertificatePayload = z.infer<typeof SignableCertificatePayloadSchema>;

/** The legacy payload `assay.certificate/v1`: accepted by verification, never issued. */
export const CertificatePayloadV1Schema = z
  .strictObject({ format: z.literal(CERTIFICATE_FORMAT_V1), ...commonPayloadFields })
  .superRefine(refineCommon);
export type CertificatePayloadV1 = z.infer<typeof CertificatePayloadV1Schema>;

/** Any payload verification accepts, discriminated on `format`. */
export const AnyCertificatePayloadSchema = z.discriminatedUnion("format", [CertificatePayloadV3Schema, CertificatePayloadSchema, CertificatePayloadV1Schema]);
export type AnyCertificatePayload = z.infer<typeof AnyCertificatePayloadSchema>;


/** Compact JWS: three base64url segments. */
export const COMPACT_JWS_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The certificate document (SPEC §11). `anchor` is unsigned, informational data
 * (e.g. a Merkle inclusion proof) owned by the chain side; verification reads the
 * chain state from the caller, never from the document.
 */
export const CertificateDocumentSchema = z.object({
  id: digest,
  /** v3 (with its status-list entry), v2, or a legacy v1 certificate issued before per-claim conformance. */
  payload: AnyCertificatePayloadSchema,
  jws: z.string().regex(COMPACT_JWS_PATTERN, "expected a compact JWS"),
  anchor: z.record(z.string(), z.unknown()).optional(),
});
export type CertificateDocument = z.infer<typeof CertificateDocumentSchema>;
