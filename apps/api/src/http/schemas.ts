// Request schemas of the API (bodies, params, queries). Response shapes are the
// services' views. Shared request bodies (the packed runtime) come from
// @assay/platform so the CLI's contract and the server's stay one definition.
import { DIGEST_PATTERN } from "@assay/protocol";
import { OPERATOR_ROLES, SUBMISSION_STATUSES } from "@assay/platform";
import { z } from "zod";

export const SubmissionIdParams = z.strictObject({ id: z.string().uuid("expected a submission id (UUID)") });
export const CertificateIdParams = z.strictObject({
  id: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.string().regex(DIGEST_PATTERN, "expected a certificate id: 0x + 64 hex digits")),
});
export const ApiKeyIdParams = z.strictObject({ id: z.string().uuid("expected an API key id (UUID)") });

export const SubmissionListQuery = z.strictObject({
  status: z.enum(SUBMISSION_STATUSES).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const CreateApiKeyBody = z.strictObject({ name: z.string().trim().min(1).max(100) });

export const OperatorLoginBody = z.strictObject({
  email: z.string().email().max(320),
  password: z.string().min(1).max(1024),
  totp: z.string().regex(/^\d{6}$/, "expected the 6-digit code"),
});

export const CertificateStatusBody = z.strictObject({
  status: z.enum(["active", "suspended", "revoked", "expired"]),
  reasonCode: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/).optional(),
});

/** Any JSON object: the verify endpoint reports a malformed certificate as failed checks, not as 400. */
export const VerifyBody = z.record(z.string(), z.unknown());

export const OperatorRoleSchema = z.enum(OPERATOR_ROLES);
