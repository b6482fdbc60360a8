// What the transparency log records (docs/decisions/0016): one leaf per
// certificate issued and one per status change. The leaf bytes are the RFC 8785
// JSON of the entry, so anyone can rebuild an issuance leaf from the
// certificate document alone (its id and issuedAt) and check it is in the log.
import { z } from "zod";
import { canonicalJson, DIGEST_PATTERN } from "../canonical";
import { isCertificateTime } from "../certificate/time";
import { leafHash, type Hash } from "./merkle-hash";

export const LOG_ENTRY_FORMAT = "assay.log-entry/v1";

const CertificateIdSchema = z.string().regex(DIGEST_PATTERN, "expected 0x + 64 lowercase hex digits");
const TimeSchema = z.string().refine(isCertificateTime, "expected a certificate time (YYYY-MM-DDTHH:MM:SSZ)");
export const LogCertificateState = z.enum(["active", "suspended", "revoked", "expired"]);
export type LogCertificateState = z.infer<typeof LogCertificateState>;

export const LogIssuedEntrySchema = z.strictObject({
  format: z.literal(LOG_ENTRY_FORMAT),
  kind: z.literal("issued"),
  certificateId: CertificateIdSchema,
  issuedAt: TimeSchema,
});
export const LogStatusEntrySchema = z.strictObject({
  format: z.literal(LOG_ENTRY_FORMAT),
  kind: z.literal("status"),
  certificateId: CertificateIdSchema,
  from: LogCertificateState,
  to: LogCertificateState,
  reason: z.string().min(1).max(200).nullable(),
  at: TimeSchema,
});
export const LogEntrySchema = z.discriminatedUnion("kind", [LogIssuedEntrySchema, LogStatusEntrySchema]);
export type LogEntry = z.infer<typeof LogEntrySchema>;
export type LogIssuedEntry = z.infer<typeof LogIssuedEntrySchema>;

export function issuedEntry(certificateId: string, issuedAt: string): LogIssuedEntry {
  return LogIssuedEntrySchema.parse({ format: LOG_ENTRY_FORMAT, kind: "issued", certificateId, issuedAt });
}

export function statusEntry(input: { certificateId: string; from: LogCertificateState; to: LogCertificateState; reason: string | null; at: string }): LogEntry {
  return LogStatusEntrySchema.parse({ format: LOG_ENTRY_FORMAT, kind: "status", ...input });
}

/** The leaf's bytes as text: canonical JSON of the validated entry. */
export function logLeafText(entry: LogEntry): string {
  return canonicalJson(LogEntrySchema.parse(entry));
}

export function logLeafHash(leafText: string): Hash {
  return leafHash(new TextEncoder().encode(leafText));
}

/** Parses leaf text and insists it is already canonical (one spelling per entry, one leaf hash). */
export function parseLogLeaf(leafText: string): LogEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(leafText);
  } catch {
    return null;
  }
  const parsed = LogEntrySchema.safeParse(value);
  if (!parsed.success) return null;
  return canonicalJson(parsed.data) === leafText ? parsed.data : null;
}
