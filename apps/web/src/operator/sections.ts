// Which operator sections exist is read from the operator plane's OpenAPI
// document: a section is shown only when its GET route is published, so the
// console never offers something the API does not have.
import type { OpenApiDocument } from "../api/client";

export type OperatorSection = { key: string; title: string; path: string };

/** Sections the console knows how to show, in display order (SPEC §8 operator plane). */
export const KNOWN_SECTIONS: readonly { key: string; title: string; candidates: readonly string[] }[] = [
  { key: "signing-keys", title: "Signing keys", candidates: ["/v1/operator/signing-keys"] },
  { key: "pricing", title: "Pricing", candidates: ["/v1/operator/pricing", "/v1/operator/prices", "/v1/operator/price-catalogue"] },
  { key: "payment-methods", title: "Payment methods", candidates: ["/v1/operator/payment-methods"] },
  { key: "validators", title: "Validators", candidates: ["/v1/operator/validators"] },
  { key: "usage", title: "Usage", candidates: ["/v1/operator/usage"] },
  { key: "flags", title: "Feature flags", candidates: ["/v1/operator/flags", "/v1/operator/feature-flags"] },
  { key: "audit-log", title: "Audit log", candidates: ["/v1/operator/audit-log", "/v1/operator/audit"] },
];

export function availableSections(doc: OpenApiDocument | null): OperatorSection[] {
  if (!doc) return [];
  const out: OperatorSection[] = [];
  for (const section of KNOWN_SECTIONS) {
    const path = section.candidates.find((p) => typeof doc.paths[p]?.get === "object");
    if (path) out.push({ key: section.key, title: section.title, path });
  }
  return out;
}

/** OpenAPI spelling of the certificate status route (POST, admin). */
export const CERTIFICATE_STATUS_ROUTE = "/v1/operator/certificates/{id}/status";

export function canChangeCertificateStatus(doc: OpenApiDocument | null): boolean {
  return typeof doc?.paths[CERTIFICATE_STATUS_ROUTE]?.post === "object";
}

/** Rows of a list response ({ items: [...] }, a bare array, or an object of arrays' first). */
export function rowsOf(value: unknown): Record<string, unknown>[] | null {
  const list = Array.isArray(value)
    ? value
    : typeof value === "object" && value !== null && Array.isArray((value as { items?: unknown }).items)
      ? (value as { items: unknown[] }).items
      : null;
  if (!list || !list.every((r) => typeof r === "object" && r !== null && !Array.isArray(r))) return null;
  return list as Record<string, unknown>[];
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}
