// The certificate's `claims` and `claimsNotGranted` (format v2) from the audit
// report's per-claim results and, with an assembly, the claims it granted. One
// pure function, so the issuer and anyone holding the report and the assembly
// record derive the same two lists.
import type { ClaimResult } from "../claims";
import { CertificateError } from "./errors";
import type { ClaimNotGranted } from "./schema";

export type CertificateClaims = {
  /** Granted SRIPs, ascending. May be empty: then there is nothing to certify (reject with no_evidenced_claim). */
  claims: string[];
  /** Every other claimed SRIP, ascending, with the reason and the findings that count against it. */
  claimsNotGranted: ClaimNotGranted[];
};

/**
 * `assemblyGranted` = the SRIPs the assembly granted (grantedClaims of its
 * record), or null/undefined for an audit-only certificate. A claim is granted
 * only when the audit evidenced it AND (without an assembly, or) the assembly
 * granted it: the assembly can withhold an evidenced claim, never add one.
 */
export function certificateClaims(reportClaims: readonly ClaimResult[], assemblyGranted?: readonly string[] | null): CertificateClaims {
  const byAssembly = assemblyGranted === null || assemblyGranted === undefined ? null : new Set(assemblyGranted);
  const claims: string[] = [];
  const claimsNotGranted: ClaimNotGranted[] = [];
  const bySrip = new Map<string, ClaimResult>();
  for (const c of reportClaims) {
    if (bySrip.has(c.srip)) throw new CertificateError("PAYLOAD_INVALID", `the report lists claim ${c.srip} twice`);
    bySrip.set(c.srip, c);
  }
  for (const srip of [...bySrip.keys()].sort()) {
    const c = bySrip.get(srip)!;
    const findings = [...new Set(c.findings)].sort();
    if (c.status === "not-evidenced") claimsNotGranted.push({ srip, reason: "not-evidenced", findings });
    else if (c.status === "not-tested") claimsNotGranted.push({ srip, reason: "not-tested", findings });
    else if (byAssembly !== null && !byAssembly.has(srip)) claimsNotGranted.push({ srip, reason: "denied-by-assembly", findings });
    else claims.push(srip);
  }
  return { claims, claimsNotGranted };
}
