// What a certificate says about its claims, for the human output of `assay
// verify` and `assay certificate --out`: the granted SRIPs and (format v2) the
// ones asked for and withheld, with the reason and the findings against them.
// Read from a document that parses as a certificate; null otherwise, so nothing
// is shown from a document the verifier could not read.
import { AnyCertificatePayloadSchema, CERTIFICATE_FORMAT_V1, type ClaimNotGranted } from "@assay/protocol";

export type ClaimsView = {
  format: string;
  granted: string[];
  /** null for a legacy v1 certificate, which does not record withheld claims. */
  notGranted: ClaimNotGranted[] | null;
};

export function claimsView(document: unknown): ClaimsView | null {
  const payload = (document as { payload?: unknown } | null)?.payload;
  const parsed = AnyCertificatePayloadSchema.safeParse(payload);
  if (!parsed.success) return null;
  const p = parsed.data;
  return {
    format: p.format,
    granted: [...p.claims],
    notGranted: p.format === CERTIFICATE_FORMAT_V1 ? null : p.claimsNotGranted.map((c) => ({ ...c, findings: [...c.findings] })),
  };
}

/** Two lines: "claims granted …" and "claims not granted …" (or why that is unknown). */
export function claimsLines(view: ClaimsView): [string, string] {
  const withheld =
    view.notGranted === null
      ? `unknown (${view.format} does not record them)`
      : view.notGranted.length === 0
        ? "none"
        : view.notGranted.map((c) => `${c.srip} (${c.reason}${c.findings.length > 0 ? `: ${c.findings.join(", ")}` : ""})`).join("; ");
  return [`claims granted      ${view.granted.join(", ")}`, `claims not granted  ${withheld}`];
}
