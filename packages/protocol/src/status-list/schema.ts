// The signed status list (docs/decisions/0022): a compact JWS (EdDSA, the
// issuer's certificate-signing keys) whose payload is the RFC 8785 JSON of a
// StatusListPayload. Every number is an integer; times are certificate times.
import { z } from "zod";
import { COMPACT_JWS_PATTERN } from "../certificate/schema";
import { isCertificateTime } from "../certificate/time";
import { isStatusListSize } from "./bitstring";

export const STATUS_LIST_FORMAT = "assay.status-list/v1";
export const STATUS_LIST_JWS_TYP = "assay-status-list+jws";
/** What a set bit means: the issuer withdrew the certificate (revoked or suspended). */
export const STATUS_LIST_PURPOSE = "revocation-or-suspension";
/** The check `assay verify` reports for the certificate's bit. */
export const STATUS_LIST_CHECK_NAME = "status-list";

const certificateTime = z.string().refine(isCertificateTime, "expected an ISO-8601 UTC time with second precision, e.g. 2026-01-31T12:00:00Z");

/** The list id of an issuer's (single) status list; certificates name it in credentialStatus.list. */
export function statusListId(issuerId: string): string {
  return `${issuerId}/status-list/1`;
}

export const StatusListPayloadSchema = z
  .strictObject({
    format: z.literal(STATUS_LIST_FORMAT),
    /** The list id, as certificates name it in credentialStatus.list. */
    id: z.string().min(1),
    /** The issuer id (payload.issuer.id of the certificates it covers). */
    issuer: z.string().min(1),
    purpose: z.literal(STATUS_LIST_PURPOSE),
    /** Publication number, +1 per publication: a verifier can refuse to go back to an older list. */
    sequence: z.number().int().min(1),
    publishedAt: certificateTime,
    /** After this instant the list must not be relied on: fetch a newer one. */
    validUntil: certificateTime,
    /** Length of the bitstring in bits (a multiple of 131,072). */
    size: z.number().int().refine(isStatusListSize, "expected a multiple of 8 between 131072 and 2^31"),
    /** "u" + base64url(gzip(bitstring)) — W3C Bitstring Status List's encodedList. */
    encodedList: z.string().regex(/^u[A-Za-z0-9_-]+$/, "expected multibase base64url (prefix u)"),
  })
  .refine((p) => !isCertificateTime(p.publishedAt) || !isCertificateTime(p.validUntil) || p.publishedAt < p.validUntil, {
    message: "validUntil must be after publishedAt",
    path: ["validUntil"],
  });
export type StatusListPayload = z.infer<typeof StatusListPayloadSchema>;

/**
 * `GET /v1/public/status-list`: the signed list (`jws`, what a verifier checks
 * and may save for offline use) and its payload decoded for reading. Only the
 * JWS is trusted; `list` is a convenience copy.
 */
export const StatusListResponseSchema = z.object({
  jws: z.string().regex(COMPACT_JWS_PATTERN, "expected a compact JWS"),
  list: StatusListPayloadSchema,
});
export type StatusListResponse = z.infer<typeof StatusListResponseSchema>;
