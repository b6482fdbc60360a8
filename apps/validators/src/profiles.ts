// How each demo profile votes, as a pure function of the evidence and a random
// draw (SPEC §5 demo validators). "Honest" votes with the sandbox facts:
// certify iff the audit passed, no finding is critical, the drift index is low
// and at least one claim is evidenced; per claim, grant iff the audit
// evidenced it. The others deviate in one way each, so reputation separates
// them: contrarian votes the opposite (verdict and every claim), colluding
// certifies and grants everything, lazy is honest when it shows up.
import type { ClaimVotes, Vote } from "@assay/assembly";
import { AssemblyEvidenceSchema, ClaimStatus, SripClaim } from "@assay/protocol";
import { z } from "zod";

export const PROFILES = ["honest", "lazy", "contrarian", "colluding"] as const;
export type Profile = (typeof PROFILES)[number];

/** The part of GET /v1/agent/assemblies/:id/evidence (AssemblyEvidenceSchema) a profile reads. */
export const EvidenceSchema = z.object({
  auditVerdict: AssemblyEvidenceSchema.shape.auditVerdict,
  metrics: z.array(z.object({ id: z.string(), value: z.number().int().nullable() })),
  findings: z.array(z.object({ key: z.string(), severity: z.enum(["info", "minor", "major", "critical"]) })),
  claims: z.array(z.object({ srip: SripClaim, status: ClaimStatus })),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

/** Mean composite drift index (bps) above which an honest validator does not certify. */
export const DI_CERTIFY_BELOW_BPS = 5_000;
/** Share of assignments a lazy validator ignores. */
export const LAZY_ABSENCE = 0.6;

const DI_METRIC = "srs.composite_drift_index_mean.v1";
const STABILITY_METRIC = "srs.stability_index.v1";

/** The honest reading of the evidence: the vote the sandbox facts support. */
export function honestVote(evidence: Evidence): Vote {
  const di = evidence.metrics.find((m) => m.id === DI_METRIC)?.value ?? null;
  const critical = evidence.findings.some((f) => f.severity === "critical");
  const anyEvidenced = evidence.claims.some((c) => c.status === "evidenced");
  const certify = evidence.auditVerdict === "pass" && !critical && anyEvidenced && (di === null || di < DI_CERTIFY_BELOW_BPS);
  const stability = evidence.metrics.find((m) => m.id === STABILITY_METRIC)?.value ?? (di === null ? 5_000 : 10_000 - Math.min(10_000, di));
  return {
    verdict: certify ? "certify" : "reject",
    stabilityScore: Math.max(0, Math.min(10_000, stability)),
    findingOpinions: Object.fromEntries(evidence.findings.map((f) => [f.key, "confirm" as const])),
    claims: claimVotes(evidence, (c) => (c.status === "evidenced" ? "grant" : "deny")),
  };
}

function claimVotes(evidence: Evidence, verdict: (claim: Evidence["claims"][number]) => "grant" | "deny"): ClaimVotes {
  return Object.fromEntries(evidence.claims.map((c) => [c.srip, verdict(c)]));
}

/** The vote of a profile, or null when it stays away (random in [0, 1)). */
export function voteOf(profile: Profile, evidence: Evidence, random: number): Vote | null {
  const honest = honestVote(evidence);
  switch (profile) {
    case "honest":
      return honest;
    case "lazy":
      return random < LAZY_ABSENCE ? null : honest;
    case "contrarian":
      return {
        verdict: honest.verdict === "certify" ? "reject" : "certify",
        stabilityScore: 10_000 - honest.stabilityScore,
        findingOpinions: Object.fromEntries(Object.keys(honest.findingOpinions).map((k) => [k, "dispute" as const])),
        claims: claimVotes(evidence, (c) => (honest.claims[c.srip] === "grant" ? "deny" : "grant")),
      };
    case "colluding":
      return {
        verdict: "certify",
        stabilityScore: 10_000,
        findingOpinions: Object.fromEntries(Object.keys(honest.findingOpinions).map((k) => [k, "dispute" as const])),
        claims: claimVotes(evidence, () => "grant"),
      };
  }
}

/** Parses `honest:5,lazy:1,contrarian:1,colluding:1` into one profile per agent. */
export function parseMix(text: string): Profile[] {
  const out: Profile[] = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [name, count = "1"] = part.split(":");
    if (!PROFILES.includes(name as Profile)) throw new Error(`unknown profile ${name} (expected ${PROFILES.join(", ")})`);
    const n = Number(count);
    if (!Number.isInteger(n) || n < 0 || n > 100) throw new Error(`bad count for ${name}: ${count}`);
    for (let i = 0; i < n; i++) out.push(name as Profile);
  }
  return out;
}

/** The default demo population: an honest majority and one of each other profile. */
export const DEFAULT_MIX = "honest:5,lazy:1,contrarian:1,colluding:1";
