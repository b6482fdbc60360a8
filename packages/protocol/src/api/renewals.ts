// Certificate renewal (issue 12 item 1, docs/decisions/0020): the developer's
// auto-renew opt-in, renewal attempts as the developer plane shows them, and
// the public supersedes chain of a certificate.
import { z } from "zod";
import { DIGEST_PATTERN } from "../canonical";
import { IsoTime } from "./common";
import { CertificateStateSchema } from "./public";

const digest = z.string().regex(DIGEST_PATTERN, "expected 0x + 64 lowercase hex digits");

/** PUT /v1/developer/auto-renew body. */
export const AutoRenewRequestSchema = z.strictObject({ enabled: z.boolean() });
export type AutoRenewRequest = z.infer<typeof AutoRenewRequestSchema>;

/** GET/PUT /v1/developer/auto-renew: the opt-in and when renewals start. */
export const AutoRenewSettingSchema = z.strictObject({
  enabled: z.boolean(),
  /** A certificate is re-audited this many days before its validUntil (and whenever its suite version changes). */
  windowDays: z.number().int().positive(),
});
export type AutoRenewSetting = z.infer<typeof AutoRenewSettingSchema>;

export const RenewalStatusSchema = z.enum(["declined", "auditing", "renewed", "failed"]);
/** expiry / versions: the sweep; flag: an operator ordered a re-audit when deciding a public flag. */
export const RenewalTriggerSchema = z.enum(["expiry", "versions", "flag"]);

/** One renewal attempt of a certificate under one target suite version. */
export const CertificateRenewalSchema = z.strictObject({
  id: z.uuid(),
  certificateId: digest,
  trigger: RenewalTriggerSchema,
  /** `<suite>@<version>` the certificate is (to be) re-audited under. */
  targetVersion: z.string(),
  status: RenewalStatusSchema,
  /** The re-audit submission (null when declined or not paid for). */
  submissionId: z.uuid().nullable(),
  /** The superseding certificate, when renewed. */
  newCertificateId: digest.nullable(),
  /** Why it was declined or failed (a machine code and a sentence), null otherwise. */
  reason: z.strictObject({ code: z.string(), message: z.string().nullable() }).nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type CertificateRenewalView = z.infer<typeof CertificateRenewalSchema>;

/** GET /v1/developer/renewals — newest first. */
export const CertificateRenewalListSchema = z.strictObject({ items: z.array(CertificateRenewalSchema) });
export type CertificateRenewalList = z.infer<typeof CertificateRenewalListSchema>;

/** One certificate of a supersedes chain. */
export const CertificateChainLinkSchema = z.strictObject({
  id: digest,
  status: CertificateStateSchema,
  reason: z.string().nullable(),
  issuedAt: IsoTime,
  validUntil: IsoTime,
  supersedes: digest.nullable(),
});
export type CertificateChainLink = z.infer<typeof CertificateChainLinkSchema>;

/** GET /v1/public/certificates/:id/chain — the chain through this certificate, newest → oldest. */
export const CertificateChainSchema = z.strictObject({
  certificateId: digest,
  /** The newest certificate of the chain (the one to show and verify). */
  current: digest,
  items: z.array(CertificateChainLinkSchema).min(1),
});
export type CertificateChain = z.infer<typeof CertificateChainSchema>;

/** GET /v1/developer/renewals query. */
export const RenewalListQuery = z.strictObject({
  certificateId: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.string().regex(DIGEST_PATTERN, "expected a certificate id: 0x + 64 hex digits"))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
