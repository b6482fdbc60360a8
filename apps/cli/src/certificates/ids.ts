// The two kinds of id the platform commands take, recognised before any request
// so a malformed one is a usage error (exit 2) that names the expected forms.
import { UsageError } from "../errors";

const CERTIFICATE_ID = /^0x[0-9a-fA-F]{64}$/;
const SUBMISSION_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export type ParsedId = { kind: "certificate"; id: string } | { kind: "submission"; id: string };

export function isCertificateId(value: string): boolean {
  return CERTIFICATE_ID.test(value);
}

export function parseSubmissionId(value: string): string {
  if (!SUBMISSION_ID.test(value)) throw new UsageError(`invalid submission id "${value}": expected a UUID such as 3f2c…-…, as printed by assay submit`);
  return value.toLowerCase();
}

/** A certificate id (0x + 64 hex) or a submission id (UUID). */
export function parseCertificateOrSubmissionId(value: string): ParsedId {
  if (CERTIFICATE_ID.test(value)) return { kind: "certificate", id: value.toLowerCase() };
  if (SUBMISSION_ID.test(value)) return { kind: "submission", id: value.toLowerCase() };
  throw new UsageError(`invalid id "${value}": expected a certificate id (0x + 64 hex digits) or a submission id (UUID)`);
}
