// Certificate times are ISO-8601 UTC strings with second precision
// ("2026-11-21T23:45:43Z"): readable in the document, no floats, no time zones,
// and one spelling per instant so the JCS bytes (and the id) are unambiguous.
import { CertificateError } from "./errors";

export const CERTIFICATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** True for a well-formed certificate time naming a real calendar instant. */
export function isCertificateTime(value: string): boolean {
  if (!CERTIFICATE_TIME_PATTERN.test(value)) return false;
  const ms = Date.parse(value);
  // Why the round trip: Date.parse accepts 2026-02-30 and rolls it over.
  return Number.isFinite(ms) && new Date(ms).toISOString() === value.replace("Z", ".000Z");
}

/** The certificate time of an instant, truncated to the second. */
export function toCertificateTime(instant: Date): string {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) throw new CertificateError("TIME_INVALID", "invalid Date");
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** Whole seconds since the Unix epoch of a certificate time. */
export function certificateTimeSeconds(value: string): number {
  if (!isCertificateTime(value)) throw new CertificateError("TIME_INVALID", `not a certificate time: ${value}`);
  return Date.parse(value) / 1000;
}
