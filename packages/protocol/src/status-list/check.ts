// The verifier's `status-list` check (docs/decisions/0022): the certificate's
// bit in its issuer's signed status list. Pure: the caller supplies the signed
// list (fetched, or saved for offline use), the issuer's keys and `now`.
import { AnyCertificatePayloadSchema, CERTIFICATE_FORMAT_V3 } from "../certificate/schema";
import type { Gzip } from "./bitstring";
import { statusBit } from "./bitstring";
import { STATUS_LIST_CHECK_NAME, type StatusListPayload } from "./schema";
import { verifyStatusList } from "./sign";

export type StatusListCheck = { name: typeof STATUS_LIST_CHECK_NAME; ok: boolean; detail: string };

export type StatusListCheckInput = {
  /** The certificate document (any JSON value). */
  document: unknown;
  /** The signed list (compact JWS), or null with `missing` saying why there is none. */
  list: string | null;
  missing?: string;
  /** Where the list came from, for the detail (e.g. "fetched from …", "saved file …"). */
  source?: string;
  /** The issuer's key set and id (the ones the certificate's own checks used). */
  jwks: { keys: ReadonlyArray<Record<string, unknown>> };
  issuer: string;
  now: Date;
  gzip?: Gzip;
};

export type StatusListCheckResult = {
  check: StatusListCheck;
  /** The certificate's bit when the list verified and covers it: true = withdrawn (revoked or suspended). */
  withdrawn: boolean | null;
  /** The verified list's payload (its bitstring is not repeated). */
  list: StatusListPayload | null;
};

export async function checkStatusList(input: StatusListCheckInput): Promise<StatusListCheckResult> {
  const result = (ok: boolean, detail: string, withdrawn: boolean | null = null, list: StatusListPayload | null = null): StatusListCheckResult => ({
    check: { name: STATUS_LIST_CHECK_NAME, ok, detail },
    withdrawn,
    list,
  });
  const payload = AnyCertificatePayloadSchema.safeParse((input.document as { payload?: unknown } | null)?.payload);
  if (!payload.success) return result(false, "not checked: the certificate payload does not parse");
  if (payload.data.format !== CERTIFICATE_FORMAT_V3) {
    // Issued before status lists: nothing in the signed payload names a bit; the `status` check is its revocation check.
    return result(true, `not applicable: an ${payload.data.format} certificate names no status-list entry (status lists begin with ${CERTIFICATE_FORMAT_V3}); see the status check`);
  }
  const entry = payload.data.credentialStatus;
  if (payload.data.issuer.id !== input.issuer) return result(false, `not checked: the certificate's issuer ${payload.data.issuer.id} is not ${input.issuer}`);
  if (input.list === null) return result(false, `no status list: ${input.missing ?? "none supplied"}`);
  const verified = await verifyStatusList(input.list, { jwks: input.jwks, issuer: input.issuer, listId: entry.list, now: input.now, ...(input.gzip ? { gzip: input.gzip } : {}) });
  const from = input.source ? ` (${input.source})` : "";
  if (!verified.ok) return result(false, `status list rejected${from}: ${verified.reason}`);
  const list = verified.payload;
  if (entry.index >= list.size) {
    return result(false, `status list #${list.sequence} has ${list.size} bits; index ${entry.index} is beyond it (the list does not cover this certificate)`, null, list);
  }
  const at = `index ${entry.index} of list #${list.sequence} published ${list.publishedAt}, valid until ${list.validUntil}${from}`;
  return statusBit(verified.bits, entry.index)
    ? result(false, `revoked or suspended: bit set at ${at}`, true, list)
    : result(true, `not revoked or suspended: bit clear at ${at}`, false, list);
}
