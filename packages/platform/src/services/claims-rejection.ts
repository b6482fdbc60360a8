// The rejection of a submission none of whose claims can be certified: the
// audit evidenced none (audit-only path, at the audit decision), or the
// assembly granted none (assembly path, at finish). A certificate always names
// at least one claim (issue 8: a certificate that names an SRIP the audit
// showed broken is worse than none).
import type { ClaimResult } from "@assay/protocol";

export const NO_EVIDENCED_CLAIM = "no_evidenced_claim";

export function noEvidencedClaimMessage(claims: readonly Pick<ClaimResult, "srip" | "status" | "findings">[]): string {
  if (claims.length === 0) return "the manifest claims no SRIP";
  const parts = claims.map((c) => `${c.srip} ${c.status}${c.findings.length ? ` (${c.findings.join(", ")})` : ""}`);
  return `no claim is evidenced: ${parts.join("; ")}`;
}
