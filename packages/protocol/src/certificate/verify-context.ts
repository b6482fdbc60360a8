// What a verifier supplies: everything outside the document that verification
// depends on. Verification is a pure function of (document, context); the caller
// fetches the issuer's JWKS, reads status from the registry/API and the anchor
// from the chain, and injects `now`.
import { z } from "zod";
import { DIGEST_PATTERN } from "../canonical";

/** Lifecycle state of a certificate as the caller learned it (SPEC §6). Only "active" passes. */
export const CertificateStatusSchema = z.discriminatedUnion("state", [
  z.strictObject({ state: z.literal("active") }),
  z.strictObject({ state: z.literal("suspended"), reason: z.string().optional() }),
  z.strictObject({ state: z.literal("revoked"), reason: z.string().min(1) }),
  z.strictObject({ state: z.literal("expired") }),
  z.strictObject({ state: z.literal("unknown") }),
]);
export type CertificateStatus = z.infer<typeof CertificateStatusSchema>;

const txHash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected a transaction hash");

/**
 * On-chain anchor state as the caller read it (SPEC §7). anchored and not-anchored
 * pass; pending passes with detail "pending"; revoked-on-chain and failed (the
 * anchor could not be confirmed) fail.
 */
export const CertificateAnchorStateSchema = z.discriminatedUnion("state", [
  z.strictObject({ state: z.literal("not-anchored") }),
  z.strictObject({ state: z.literal("pending"), tx: txHash.optional() }),
  z.strictObject({ state: z.literal("anchored"), block: z.number().int().nonnegative(), tx: txHash }),
  z.strictObject({ state: z.literal("revoked-on-chain"), reason: z.string().optional() }),
  z.strictObject({ state: z.literal("failed"), error: z.string().optional() }),
]);
export type CertificateAnchorState = z.infer<typeof CertificateAnchorStateSchema>;

export const VerifyCertificateContextSchema = z.object({
  /** The issuer's published key set (its /.well-known/jwks.json), obtained by the caller, never from the document. */
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
  /** Issuer ids this verifier trusts. */
  allowedIssuers: z.array(z.string().min(1)),
  /** The instant to check the validity window against (injected for determinism). */
  now: z.date(),
  status: CertificateStatusSchema,
  anchor: CertificateAnchorStateSchema,
  /** Subject digest of a local artifact to compare with payload.subject.digest; omit to skip. */
  artifactDigest: z.string().regex(DIGEST_PATTERN).optional(),
});
export type VerifyCertificateContext = z.infer<typeof VerifyCertificateContextSchema>;

/** Checks in the fixed order in which they are always reported. */
export const CERTIFICATE_CHECKS = [
  "schema",
  "id",
  "jws-payload",
  "signature",
  "issuer",
  "time-window",
  "status",
  "anchor",
  "artifact",
] as const;
export const CertificateCheckName = z.enum(CERTIFICATE_CHECKS);
export type CertificateCheckName = z.infer<typeof CertificateCheckName>;

export const CertificateCheckSchema = z.object({ name: CertificateCheckName, ok: z.boolean(), detail: z.string() });
export type CertificateCheck = z.infer<typeof CertificateCheckSchema>;

/** The verify result shared by the API, the CLI and the web page (SPEC §11). */
export const CertificateVerifyResultSchema = z.object({ valid: z.boolean(), checks: z.array(CertificateCheckSchema) });
export type CertificateVerifyResult = z.infer<typeof CertificateVerifyResultSchema>;
