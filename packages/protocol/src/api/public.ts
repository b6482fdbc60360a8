// Response views of the public plane (the certificate document and verify result
// schemas live in ../certificate; the log's in ../transparency).
import { z } from "zod";
import { CertificateDocumentSchema } from "../certificate/schema";
import { CertificateAnchorStateSchema } from "../certificate/verify-context";
import { IsoTime } from "./common";
import { CertificateRegistryViewSchema } from "./registry";
import { AuditReportSchema } from "../report";

export const HealthSchema = z.strictObject({
  status: z.enum(["ok", "degraded"]),
  checks: z.strictObject({ database: z.enum(["ok", "down"]), queue: z.enum(["ok", "down"]) }),
  time: IsoTime,
});

/** A certificate state as the server stores it. */
export const CertificateStateSchema = z.enum(["active", "suspended", "revoked", "expired"]);
export const CertificateStatusViewSchema = z.strictObject({ state: CertificateStateSchema, reason: z.string().nullable() });

export const CertificateStatusHistorySchema = z.array(
  z.strictObject({ from: CertificateStateSchema.nullable(), to: CertificateStateSchema, reason: z.string().nullable(), at: IsoTime }),
);

/**
 * GET /v1/public/certificates/:id — the document plus what the server knows now;
 * `registry` is what the certificate's public page shows beyond the document
 * (registry status, claims with their evidence, renewals, flags; issue 12 item 5).
 */
export const PublicCertificateSchema = CertificateDocumentSchema.extend({
  status: CertificateStatusViewSchema,
  statusHistory: CertificateStatusHistorySchema,
  anchorState: CertificateAnchorStateSchema,
  registry: CertificateRegistryViewSchema,
  /**
   * The audit report behind the certificate (its `audit.reportDigest`), when the
   * developer made it public (PUT /v1/developer/submissions/:id/report/visibility);
   * null when private or not held here; absent from servers before the flag existed.
   */
  report: AuditReportSchema.nullable().optional(),
});

/** GET /v1/developer/submissions/:id/certificate — the document with its status. */
export const CertificateWithStatusSchema = CertificateDocumentSchema.extend({ status: CertificateStatusViewSchema });

export const JwksSchema = z.strictObject({
  keys: z.array(z.looseObject({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string(), kid: z.string() })),
});

export const DiscoverySchema = z.strictObject({
  issuer: z.string(),
  apiBase: z.string(),
  jwksUri: z.string(),
  verifyUrl: z.string(),
  certificateUrlTemplate: z.string(),
  docsUrl: z.string(),
  certificateFormats: z.array(z.string()),
  signatureAlgorithms: z.array(z.string()),
  chain: z
    .strictObject({
      chainId: z.number().int().nullable(),
      registry: z.string(),
      validatorRegistry: z.string().optional(),
      treasury: z.string().optional(),
      rpcUrl: z.string(),
      deployedAtBlock: z.number().int().nullable().optional(),
      merkleLeafEncoding: z.array(z.string()),
    })
    .nullable(),
  chainId: z.number().int().nullable(),
  registry: z.string().nullable(),
  supportedSuites: z.array(z.string()),
});
