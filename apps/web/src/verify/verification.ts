// In-browser verification: the protocol's verifyCertificate over the document,
// with the issuer's keys fetched from /.well-known/jwks.json (never from the
// document), trusted issuer ids chosen by the reader, the server-reported status
// and anchor state, and this browser's clock. Then a check-by-check comparison
// with the server's own verdict.
import {
  verifyCertificate,
  type CertificateAnchorState,
  type CertificateStatus,
  type CertificateVerifyResult,
} from "@assay/protocol";
import type { DiscoveryDocument, Jwks } from "../api/client";

export type LocalVerifyInput = {
  document: unknown;
  jwks: Jwks;
  allowedIssuers: string[];
  status: CertificateStatus;
  anchor: CertificateAnchorState;
  artifactDigest?: string;
  now?: Date;
};

export function verifyInBrowser(input: LocalVerifyInput): Promise<CertificateVerifyResult> {
  return verifyCertificate(input.document, {
    jwks: input.jwks,
    allowedIssuers: input.allowedIssuers,
    now: input.now ?? new Date(),
    status: input.status,
    anchor: input.anchor,
    ...(input.artifactDigest ? { artifactDigest: input.artifactDigest } : {}),
  });
}

export type Disagreement = { name: string; browser: string; server: string };

/** Where the browser's and the server's results differ (verdict or any check's outcome). */
export function disagreements(browser: CertificateVerifyResult, server: CertificateVerifyResult): Disagreement[] {
  const out: Disagreement[] = [];
  const serverChecks = new Map(server.checks.map((c) => [c.name, c]));
  for (const check of browser.checks) {
    const theirs = serverChecks.get(check.name);
    if (!theirs) out.push({ name: check.name, browser: okText(check.ok), server: "not reported" });
    else if (theirs.ok !== check.ok) out.push({ name: check.name, browser: okText(check.ok), server: okText(theirs.ok) });
  }
  const browserNames = new Set(browser.checks.map((c) => c.name));
  for (const check of server.checks) {
    if (!browserNames.has(check.name)) out.push({ name: check.name, browser: "not reported", server: okText(check.ok) });
  }
  if (browser.valid !== server.valid) {
    out.unshift({ name: "verdict", browser: browser.valid ? "valid" : "invalid", server: server.valid ? "valid" : "invalid" });
  }
  return out;
}

const okText = (ok: boolean) => (ok ? "pass" : "fail");

/** Issuer ids the discovery document names; the reader can change them. */
export function issuersFromDiscovery(discovery: Pick<DiscoveryDocument, "issuer"> | null): string[] {
  if (!discovery) return [];
  return discovery.issuer !== "" ? [discovery.issuer] : [];
}
