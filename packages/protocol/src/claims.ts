// Per-claim conformance (SPEC §4, issue 8). A manifest claims SRIPs; the audit
// says, per claimed SRIP, whether its evidence supports the claim. The table
// below is the one place that says which finding counts against which SRIP
// (docs/metrics.md repeats it for readers).
import { z } from "zod";
import { FindingCode, type Finding, type Severity } from "./findings";
import { SripClaim } from "./manifest";
import { DEFAULT_ROLLOUT, type Rollout } from "./rollout";

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
  /** Sorted, unique codes of the major/critical findings that map to this SRIP and count against it. */
  findings: z.array(FindingCode),
  /**
   * Under `srip13.mode` shadow only: sorted, unique codes of the major/critical
   * SRIP-13 findings that were checked and reported but do not count against the
   * claim. Absent when empty.
   */
  shadowed: z.array(FindingCode).min(1).optional(),
});
export type ClaimResult = z.infer<typeof ClaimResultSchema>;

/**
 * The findings the SRIP-13 check produces: the codes that count against SRIP-13
 * and nothing else (a runtime crash counts against every SRIP and is not an
 * SRIP-13 check). `srip13.mode` off drops them; shadow stops them counting.
 */
export const SRIP13_CHECK_CODES: readonly FindingCode[] = FindingCode.options.filter((code) => {
  const srips = FINDING_SRIPS[code];
  return srips.length === 1 && srips[0] === "SRIP-13";
});

/** Under `srip13.mode` off the SRIP-13 check does not run: its findings are not part of the audit. */
export function findingsUnderRollout<F extends Pick<Finding, "code">>(findings: readonly F[], rollout: Rollout = DEFAULT_ROLLOUT): F[] {
  return rollout.srip13 === "off" ? findings.filter((f) => !SRIP13_CHECK_CODES.includes(f.code)) : [...findings];
}

/** The SRIPs an audit tested under the rollout: off takes SRIP-13 out (it was not checked). */
export function testedUnderRollout(tested: readonly SripClaim[], rollout: Rollout = DEFAULT_ROLLOUT): SripClaim[] {
  return rollout.srip13 === "off" ? tested.filter((s) => s !== "SRIP-13") : [...tested];
}

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
  rollout: Rollout = DEFAULT_ROLLOUT,
): ClaimResult[] {
  const testedSet = new Set(testedUnderRollout(tested, rollout));
  const blocking = findingsUnderRollout(findings, rollout).filter((f) => CLAIM_BLOCKING_SEVERITIES.includes(f.severity));
  const shadow = rollout.srip13 === "shadow";
  return [...new Set(claimed)].sort().map((srip) => {
    const mapped = [...new Set(blocking.filter((f) => FINDING_SRIPS[f.code].includes(srip)).map((f) => f.code))].sort();
    const codes = shadow ? mapped.filter((c) => !SRIP13_CHECK_CODES.includes(c)) : mapped;
    const shadowed = shadow ? mapped.filter((c) => SRIP13_CHECK_CODES.includes(c)) : [];
    const status: ClaimStatus = !testedSet.has(srip) ? "not-tested" : codes.length === 0 ? "evidenced" : "not-evidenced";
    return { srip, status, findings: codes, ...(shadowed.length > 0 ? { shadowed } : {}) };
  });
}

/** True when every claim is evidenced (and there is at least one claim). */
export function allClaimsEvidenced(claims: readonly ClaimResult[]): boolean {
  return claims.length > 0 && claims.every((c) => c.status === "evidenced");
}
