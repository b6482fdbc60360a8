// Response shapes the CLI relies on, checked with zod at the edge. Objects are
// not strict: the server may add fields without breaking the CLI; the fields
// read here must be present and well-typed.
import { DIGEST_PATTERN } from "@assay/protocol";
import { z } from "zod";

export {
  SUBMISSION_STATUSES,
  SubmissionStatusSchema,
  SubmissionProgressSchema,
  type SubmissionStatus,
  type SubmissionProgress,
} from "@assay/protocol";
import { FINAL_SUBMISSION_STATUSES, SubmissionProgressSchema, SubmissionStatusSchema, type SubmissionStatus } from "@assay/protocol";

export const FINAL_STATUSES: readonly SubmissionStatus[] = FINAL_SUBMISSION_STATUSES;
export const isFinalStatus = (status: SubmissionStatus): boolean => FINAL_STATUSES.includes(status);

const CertificateIdSchema = z.string().regex(DIGEST_PATTERN);

/** GET /v1/developer/submissions/:id (platform's SubmissionView). */
export const SubmissionViewSchema = z.object({
  id: z.string().min(1),
  status: SubmissionStatusSchema,
  subjectDigest: z.string().optional(),
  progress: SubmissionProgressSchema.optional(),
  outcome: z.object({ code: z.string(), message: z.string().nullable() }).nullable().optional(),
  certificateId: CertificateIdSchema.nullable().optional(),
});
export type SubmissionView = z.infer<typeof SubmissionViewSchema>;

/** POST /v1/developer/submissions answers with the new submission's view. */
export const CreatedSubmissionSchema = SubmissionViewSchema;

/** GET /v1/developer/me (platform's DeveloperView). */
export const DeveloperSchema = z.looseObject({ id: z.string(), email: z.string(), name: z.string() });
export type Developer = z.infer<typeof DeveloperSchema>;

/** A certificate's lifecycle state as the issuer records it. */
export const ServerCertificateStatusSchema = z.object({
  state: z.enum(["active", "suspended", "revoked", "expired"]),
  reason: z.string().nullable().optional(),
});
export type ServerCertificateStatus = z.infer<typeof ServerCertificateStatusSchema>;

/**
 * GET /v1/public/certificates/:id and GET /v1/developer/submissions/:id/certificate:
 * the document's fields plus `status`. The document part is not validated here:
 * `assay verify` must report a malformed document as failed checks, not refuse it.
 */
export const CertificateLookupSchema = z
  .object({ id: z.string(), status: ServerCertificateStatusSchema })
  .passthrough();
export type CertificateLookup = z.infer<typeof CertificateLookupSchema>;

/** The document part of a lookup: `{ id, payload, jws, anchor? }` and nothing else (SPEC §11). */
export function documentOfLookup(lookup: Record<string, unknown>): Record<string, unknown> {
  const { id, payload, jws, anchor } = lookup;
  return { id, payload, jws, ...(anchor !== undefined && anchor !== null ? { anchor } : {}) };
}

/** GET /.well-known/assay.json: what the CLI needs from discovery. */
export const DiscoverySchema = z.object({
  issuer: z.string().min(1),
  jwksUri: z.string().url(),
  /** The registry this issuer anchors to (null or absent: it does not anchor). */
  chain: z
    .object({
      chainId: z.number().int().nullable(),
      registry: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
      validatorRegistry: z.string().regex(/^0x[0-9a-fA-F]{40}$/).optional(),
      treasury: z.string().regex(/^0x[0-9a-fA-F]{40}$/).optional(),
      rpcUrl: z.string().url().optional(),
      deployedAtBlock: z.number().int().nonnegative().optional(),
    })
    .nullable()
    .optional(),
});
export type Discovery = z.infer<typeof DiscoverySchema>;

/** GET /.well-known/jwks.json. Keys are checked one by one by the verifier. */
export const JwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
export type Jwks = z.infer<typeof JwksSchema>;

/** The API's error body: `{ error: { code, message, details? } }`. */
export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

