// The public registry (issue 12 item 5): search over issued certificates, the
// registry view of one certificate (what its public page shows beyond the signed
// document) and the status vocabulary the badge speaks. Rationale and the exact
// status rule: docs/decisions/0017.
import { z } from "zod";
import { DIGEST_PATTERN } from "../canonical";
import { CertificateLevel, ClaimNotGrantedReason, SripIdSchema } from "../certificate/schema";
import { FindingCode, Severity } from "../findings";

/**
 * A certificate's status as the registry shows it. "certified" is an active
 * certificate inside its validity window; a certificate past `validUntil` is
 * "expired" even before the expiry sweep has recorded it; revoked wins over
 * everything, expiry over suspension.
 */
export const REGISTRY_STATUSES = ["certified", "expired", "suspended", "revoked"] as const;
export const RegistryStatusSchema = z.enum(REGISTRY_STATUSES);
export type RegistryStatus = z.infer<typeof RegistryStatusSchema>;

/** The stored certificate state plus the clock → the registry status (the one rule; the search query mirrors it in SQL). */
export function registryStatusOf(stored: "active" | "suspended" | "revoked" | "expired", validUntil: Date, now: Date): RegistryStatus {
  if (stored === "revoked") return "revoked";
  if (stored === "expired" || validUntil.getTime() <= now.getTime()) return "expired";
  return stored === "suspended" ? "suspended" : "certified";
}

const digest = z.string().regex(DIGEST_PATTERN);
// Control characters never name a runtime; NUL cannot even reach PostgreSQL text.
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
// At least three characters: what a trigram index can serve (and one or two match most of a registry anyway).
const searchText = z.string().max(100).trim().min(3, "at least 3 characters").regex(NO_CONTROL, "no control characters");
// An ISO-8601 instant (with Z or an offset) or a calendar date (its midnight UTC), from 1970 on, four-digit year.
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
export function isSearchInstant(s: string): boolean {
  if (s < "1970") return false;
  if (DATE_ONLY.test(s)) {
    const date = new Date(`${s}T00:00:00Z`);
    // A calendar date: 2026-02-30 would roll over to March.
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === s;
  }
  return z.iso.datetime({ offset: true }).safeParse(s).success && !Number.isNaN(Date.parse(s));
}
const searchInstant = z
  .string()
  .max(40)
  .refine(isSearchInstant, { message: "expected an ISO-8601 date (2026-12-01) or instant (2026-12-01T09:00:00Z), from 1970 on" });

/** GET /v1/public/registry/certificates — every filter optional, combined with AND. */
export const RegistrySearchQuery = z.strictObject({
  /** Runtime name contains this (case-insensitive, at least 3 characters; `%` and `_` are literal). */
  name: searchText.optional(),
  /** The certificate evidences this SRIP (it is in the payload's `claims`); case-insensitive. */
  claim: z
    .string()
    .max(16)
    .transform((s) => s.toUpperCase())
    .pipe(SripIdSchema)
    .optional(),
  status: RegistryStatusSchema.optional(),
  /** Audit suite id, e.g. core. */
  suite: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, "expected a suite id such as core").optional(),
  /** Audit suite version exactly, e.g. 1.0.0. */
  suiteVersion: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/, "expected a suite version such as 1.0.0").optional(),
  /** Issued at or after this instant (a date means its midnight UTC). */
  issuedFrom: searchInstant.optional(),
  /** Issued strictly before this instant. */
  issuedBefore: searchInstant.optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type RegistrySearchQuery = z.infer<typeof RegistrySearchQuery>;

/** One search result: a certificate as the registry lists it (newest issued first, ties by id). */
export const RegistryEntrySchema = z.strictObject({
  id: digest,
  runtime: z.strictObject({ name: z.string(), version: z.string() }),
  status: RegistryStatusSchema,
  /** Reason code of a suspension or revocation; null otherwise. */
  statusReason: z.string().nullable(),
  /** The evidenced (granted) SRIPs, ascending. */
  claims: z.array(SripIdSchema),
  suite: z.strictObject({ id: z.string(), version: z.string() }),
  level: CertificateLevel,
  issuedAt: z.string(),
  validUntil: z.string(),
  supersedes: digest.nullable(),
  /** Absolute URLs on this API: the certificate (document + registry view) and its SVG badge. */
  links: z.strictObject({ certificate: z.string(), badge: z.string() }),
});
export type RegistryEntry = z.infer<typeof RegistryEntrySchema>;

export const RegistryPageSchema = z.strictObject({ items: z.array(RegistryEntrySchema), nextCursor: z.string().nullable() });
export type RegistryPage = z.infer<typeof RegistryPageSchema>;

/** A granted claim with what the audit noted about it. */
export const GrantedClaimEvidenceSchema = z.strictObject({
  srip: SripIdSchema,
  granted: z.literal(true),
  /** "assembly": evidenced by the audit and granted by a validator assembly; "audit": an audit-only certificate. */
  grantedBy: z.enum(["audit", "assembly"]),
  /**
   * Non-blocking (info, minor) findings of the certificate's audit report that map
   * to this SRIP, by code; null when this server holds no report with the
   * certificate's `audit.reportDigest`.
   */
  notedFindings: z.array(z.strictObject({ code: FindingCode, severity: Severity, count: z.number().int().positive() })).nullable(),
});

/** A claim asked for and not granted (format v2 `claimsNotGranted`). */
export const WithheldClaimEvidenceSchema = z.strictObject({
  srip: SripIdSchema,
  granted: z.literal(false),
  reason: ClaimNotGrantedReason,
  /** The major/critical finding codes that count against it. */
  findings: z.array(FindingCode),
});

export const ClaimEvidenceSchema = z.discriminatedUnion("granted", [GrantedClaimEvidenceSchema, WithheldClaimEvidenceSchema]);
export type ClaimEvidence = z.infer<typeof ClaimEvidenceSchema>;

/** Public flags on the certificate, counted by state (GET …/flags has each decided one). */
export const RegistryFlagSummarySchema = z.strictObject({
  open: z.number().int().nonnegative(),
  dismissed: z.number().int().nonnegative(),
  suspended: z.number().int().nonnegative(),
  reauditOrdered: z.number().int().nonnegative(),
  /** The most recently decided flag's public outcome, if any. */
  latest: z
    .strictObject({ status: z.enum(["dismissed", "suspended", "reaudit_ordered"]), outcome: z.string().nullable(), resolvedAt: z.string().nullable() })
    .nullable(),
});

/** `registry` of GET /v1/public/certificates/:id: what the certificate's public page shows beyond the signed document. */
export const CertificateRegistryViewSchema = RegistryEntrySchema.extend({
  /** Granted claims first (ascending), then the withheld ones (ascending). */
  claimsEvidence: z.array(ClaimEvidenceSchema),
  /** Certificates that renew this one (their `supersedes` is this id), newest first. */
  supersededBy: z.array(digest),
  flags: RegistryFlagSummarySchema,
});
export type CertificateRegistryView = z.infer<typeof CertificateRegistryViewSchema>;

/** GET /badge/:id.svg — any id that names no certificate (malformed ones too) is answered with the "unknown" badge and 404. */
export const BadgeParams = z.strictObject({ id: z.string().min(1).max(200) });

/** The badge's text for the claims: "SRIP-03 · SRIP-05". */
export function badgeClaimsText(claims: readonly string[]): string {
  return claims.join(" · ");
}
