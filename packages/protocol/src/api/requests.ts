// Request shapes of the API that are not a domain document of their own: path
// parameters, list queries and small bodies. The server parses with these (its
// ZodPipes), the OpenAPI documents are generated from them, and clients may
// validate before sending.
import { z } from "zod";
import { searchTerm } from "../search-term";
import { DIGEST_PATTERN } from "../canonical";
import { SUBMISSION_STATUSES } from "../submission";

export const SubmissionIdParams = z.strictObject({ id: z.string().uuid("expected a submission id (UUID)") });
export const CertificateIdParams = z.strictObject({
  id: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.string().regex(DIGEST_PATTERN, "expected a certificate id: 0x + 64 hex digits")),
});
export const ApiKeyIdParams = z.strictObject({ id: z.string().uuid("expected an API key id (UUID)") });
export const AssemblyIdParams = z.strictObject({ id: z.string().uuid("expected an assembly id (UUID)") });

export const SubmissionListQuery = z.strictObject({
  status: z.enum(SUBMISSION_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export type SubmissionListQuery = z.infer<typeof SubmissionListQuery>;

export const CreateApiKeyBody = z.strictObject({ name: z.string().trim().min(1).max(100) });

/** Developer portal sign-up (docs/decisions/0029); passwords of 12+ characters (argon2id at rest). */
export const DeveloperSignUpBody = z.strictObject({
  email: z.string().trim().email("expected an email address").max(320),
  name: z.string().trim().min(1, "tell us a name to show on your account").max(100),
  password: z.string().min(12, "choose a password of at least 12 characters").max(1024),
});
export type DeveloperSignUpBody = z.infer<typeof DeveloperSignUpBody>;
export const DeveloperSignInBody = z.strictObject({
  email: z.string().trim().email("expected an email address").max(320),
  password: z.string().min(1, "enter your password").max(1024),
});
export type DeveloperSignInBody = z.infer<typeof DeveloperSignInBody>;
/** GET /v1/developer/credits/journal */
export const CreditJournalQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).optional() });

export const OperatorLoginBody = z.strictObject({
  email: z.string().email().max(320),
  password: z.string().min(1).max(1024),
  totp: z.string().regex(/^\d{6}$/, "expected the 6-digit code"),
});
export type OperatorLoginBody = z.infer<typeof OperatorLoginBody>;

export const CertificateStatusBody = z.strictObject({
  status: z.enum(["active", "suspended", "revoked", "expired"]),
  reasonCode: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/).optional(),
});
export type CertificateStatusBody = z.infer<typeof CertificateStatusBody>;

/** Any JSON object: the verify endpoint reports a malformed certificate as failed checks, not as 400. */
export const VerifyBody = z.record(z.string(), z.unknown());

/**
 * Cursor pagination of the operator's lists (decision 0032): `limit` rows (default
 * and maximum per list, see each route), then `nextCursor` of the answer as
 * `cursor` for the next page; filters apply on the server, before paging.
 */
export const OperatorPageQuery = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
};

/** Operator: assemblies, optionally only the escalation queue or one status; cursor-paginated, newest first. */
export const AssemblyListQuery = z.strictObject({
  escalated: z.enum(["true", "false"]).optional(),
  status: z.enum(["open", "certified", "rejected", "escalated", "resolved"]).optional(),
  ...OperatorPageQuery,
});

/** Operator: campaigns or vouchers, newest first, one page (decision 0032). */
export const OperatorListPageQuery = z.strictObject({ ...OperatorPageQuery });

/** Operator: the audit log, newest first; exact filters by action, actor and target; cursor-paginated. */
export const AuditLogQuery = z.strictObject({
  action: searchTerm(128).optional(),
  actor: searchTerm(200).optional(),
  target: searchTerm(200).optional(),
  ...OperatorPageQuery,
});
/** Operator: decide an escalated assembly. */
export const ResolveEscalationBody = z.strictObject({ decision: z.enum(["certify", "reject"]), reason: z.string().trim().min(1).max(2_000) });
export type ResolveEscalationBody = z.infer<typeof ResolveEscalationBody>;
