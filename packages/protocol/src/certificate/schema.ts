// The certificate payload `assay.certificate/v1` and the certificate document
// (SPEC §6, §11). The payload is what is hashed (id) and signed (JWS), so every
// number in it is an integer and every object is strict: an unknown key is a
// different format, not something to ignore. Rationale: docs/decisions/0004.
import { z } from "zod";
import { DIGEST_PATTERN } from "../canonical";
import { MetricValueSchema } from "../report";
import { isCertificateTime } from "./time";

export const CERTIFICATE_FORMAT = "assay.certificate/v1";

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

export const CertificatePayloadSchema = z
  .strictObject({
    format: z.literal(CERTIFICATE_FORMAT),
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
  })
  .superRefine((p, ctx) => {
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
  });
export type CertificatePayload = z.infer<typeof CertificatePayloadSchema>;

/** Compact JWS: three base64url segments. */
export const COMPACT_JWS_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The certificate document (SPEC §11). `anchor` is unsigned, informational data
 * (e.g. a Merkle inclusion proof) owned by the chain side; verification reads the
 * chain state from the caller, never from the document.
 */
export const CertificateDocumentSchema = z.object({
  id: digest,
  payload: CertificatePayloadSchema,
  jws: z.string().regex(COMPACT_JWS_PATTERN, "expected a compact JWS"),
  anchor: z.record(z.string(), z.unknown()).optional(),
});
export type CertificateDocument = z.infer<typeof CertificateDocumentSchema>;
