// Per-claim conformance (SPEC §4, issue 8). A manifest claims SRIPs; the audit
// says, per claimed SRIP, whether its evidence supports the claim. The table
// below is the one place that says which finding counts against which SRIP
// (docs/metrics.md repeats it for readers).
import { z } from "zod";
import { FindingCode, type Finding, type Severity } from "./findings";
import { SripClaim } from "./manifest";

const ALL_SRIPS: readonly SripClaim[] = SripClaim.options;

/**
 * The SRIPs each finding code counts against. Runtime faults, non-determinism,
 * an invalid manifest and unverifiable evidence undermine every claim: nothing
 * the audit measured can be trusted for any SRIP when they occur.
 */
export const FINDING_SRIPS: Readonly<Record<FindingCode, readonly SripClaim[]>> = {
  MANIFEST_INVALID: ALL_SRIPS,
  RUNTIME_CRASH: ALL_SRIPS,
  RUNTIME_TIMEOUT: ALL_SRIPS,
  RUNTIME_MEMORY: ALL_SRIPS,
  RUNTIME_OUTPUT_LIMIT: ALL_SRIPS,
  RUNTIME_FORBIDDEN_API: ALL_SRIPS,
  RUNTIME_NONDETERMINISTIC: ALL_SRIPS,
  EVIDENCE_UNVERIFIED: ALL_SRIPS,
  // SRIP-03: identity stays in its drift band and recovers without crystallising.
  DRIFT_BAND_EXCEEDED: ["SRIP-03"],
  RECOVERY_SLOW: ["SRIP-03"],
  CRYSTALLIZED: ["SRIP-03"],
  // SRIP-05: synchronisation is contained, recentred, honestly self-reported in valid packets.
  SYNC_NOT_CONTAINED: ["SRIP-05"],
  RECENTER_MISSING: ["SRIP-05"],
  SELF_REPORT_MISMATCH: ["SRIP-05"],
  PACKET_INVALID: ["SRIP-05"],
  // SRIP-13: names stay in their scope and the runtime does not mythologise itself.
  ALIAS_SCOPE_LEAK: ["SRIP-13"],
  PARTICIPANT_SCOPE_LEAK: ["SRIP-13"],
  SESSION_LEAK: ["SRIP-13"],
  RUNTIME_MYTHOLOGIZED: ["SRIP-13"],
};

/** Severities that withhold a claim: a minor or info finding is noted, not disqualifying. */
export const CLAIM_BLOCKING_SEVERITIES: readonly Severity[] = ["major", "critical"];

export const ClaimStatus = z.enum(["evidenced", "not-evidenced", "not-tested"]);
export type ClaimStatus = z.infer<typeof ClaimStatus>;

export const ClaimResultSchema = z.strictObject({
  srip: SripClaim,
  status: ClaimStatus,
  /** Sorted, unique codes of the major/critical findings that map to this SRIP. */
  findings: z.array(FindingCode),
});
export type ClaimResult = z.infer<typeof ClaimResultSchema>;

/**
 * One result per claimed SRIP, ascending. "not-tested" when no scenario of the
 * suite tests the SRIP; otherwise "evidenced" iff no major/critical finding
 * maps to it, else "not-evidenced". `findings` lists the blocking codes in
 * every case (a not-tested claim can still carry e.g. a runtime crash).
 */
export function claimResults(
  claimed: readonly SripClaim[],
  tested: readonly SripClaim[],
  findings: readonly Pick<Finding, "code" | "severity">[],
): ClaimResult[] {
  const testedSet = new Set(tested);
  const blocking = findings.filter((f) => CLAIM_BLOCKING_SEVERITIES.includes(f.severity));
  return [...new Set(claimed)].sort().map((srip) => {
    const codes = [...new Set(blocking.filter((f) => FINDING_SRIPS[f.code].includes(srip)).map((f) => f.code))].sort();
    const status: ClaimStatus = !testedSet.has(srip) ? "not-tested" : codes.length === 0 ? "evidenced" : "not-evidenced";
    return { srip, status, findings: codes };
  });
}

/** True when every claim is evidenced (and there is at least one claim). */
export function allClaimsEvidenced(claims: readonly ClaimResult[]): boolean {
  return claims.length > 0 && claims.every((c) => c.status === "evidenced");
}
