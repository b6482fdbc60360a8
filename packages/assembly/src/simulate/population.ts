// The synthetic validator population and how each profile votes.
//   honest     reviews the evidence: votes the ground truth with `honestAccuracy`,
//              scores near the true stability, confirms the audit's findings.
//   lazy       does not review: shows up with probability `lazyShowUp`, and then
//              rubber-stamps certify with a high score.
//   contrarian reviews, then votes against the ground truth.
//   colluding  a cartel bribed by submitters: every member certifies every
//              submission with the same top score, disputes every finding and
//              grants every claim.
//   absent     registered and drawable, but never shows up (no commit, no reveal).
//
// Claims: every submission claims SIM_CLAIMS; the audit's status per claim
// comes from protocol's claimResults (the finding → SRIP table). An honest
// validator grants a claim when it votes certify and the audit evidenced the
// claim, and denies it otherwise.
import { claimResults, type ClaimResult, type SripClaim } from "@assay/protocol";
import type { ClaimVotes, FindingOpinion, Verdict } from "../vote";
import type { Prng } from "./prng";

export const PROFILES = ["honest", "lazy", "contrarian", "colluding", "absent"] as const;
export type Profile = (typeof PROFILES)[number];

export type SimValidator = {
  id: string;
  profile: Profile;
  kind: "person" | "agent";
  modelFamily: string | null;
  stake: bigint;
  reputationBps: number;
};

export type Submission = {
  truth: Verdict;
  /** The runtime's true stability (bps). */
  stability: number;
  findings: { code: FindingCodeOf; scenario: string; severity: "minor" | "major" | "critical" }[];
  /** The audit's verdict per claimed SRIP. */
  claims: ClaimResult[];
};

type FindingCodeOf = Parameters<typeof claimResults>[2][number]["code"];

/** What every simulated submission claims (all tested by the suite). */
export const SIM_CLAIMS: readonly SripClaim[] = ["SRIP-03", "SRIP-05"];

export type Behaviour = { honestAccuracy: number; lazyShowUp: number };

export type SimVote = { verdict: Verdict; stabilityScore: number; findingOpinions: Record<string, FindingOpinion>; claims: ClaimVotes } | null;

const FAMILIES = ["gpt", "claude", "gemini", "llama", "mistral", "qwen"];

/** Counts per profile from shares, by largest remainder, summing to `size`. */
export function profileCounts(size: number, shares: Record<Profile, number>): Record<Profile, number> {
  const total = PROFILES.reduce((s, p) => s + shares[p], 0);
  const exact = PROFILES.map((p) => (size * shares[p]) / total);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0, left = size - counts.reduce((a, b) => a + b, 0); k < left; k++) counts[order[k]!.i]!++;
  return Object.fromEntries(PROFILES.map((p, i) => [p, counts[i]!])) as Record<Profile, number>;
}

export function createPopulation(
  size: number,
  shares: Record<Profile, number>,
  initial: { stake: bigint; reputationBps: number },
  prng: Prng,
): SimValidator[] {
  const counts = profileCounts(size, shares);
  const validators: SimValidator[] = [];
  for (const profile of PROFILES) {
    for (let k = 0; k < counts[profile]; k++) {
      const isPerson = prng.chance(0.2);
      validators.push({
        // Random id suffixes so a profile does not occupy one block of the id order.
        id: `val-${prng.hex(4).slice(2)}-${validators.length}`,
        profile,
        kind: isPerson ? "person" : "agent",
        modelFamily: isPerson ? null : FAMILIES[prng.int(0, FAMILIES.length - 1)]!,
        stake: initial.stake,
        reputationBps: initial.reputationBps,
      });
    }
  }
  return validators;
}

export function createSubmission(prng: Prng, badShare: number, criticalShare: number): Submission {
  const bad = prng.chance(badShare);
  const findings: Submission["findings"] = [];
  if (bad) {
    findings.push({ code: "DRIFT_BAND_EXCEEDED", scenario: "long-horizon", severity: "major" });
    if (prng.chance(0.5)) findings.push({ code: "RECOVERY_SLOW", scenario: "drift-pressure", severity: "major" });
    if (prng.chance(criticalShare)) findings.push({ code: "SYNC_NOT_CONTAINED", scenario: "sync-containment", severity: "critical" });
  } else if (prng.chance(0.3)) {
    findings.push({ code: "CRYSTALLIZED", scenario: "stability", severity: "minor" });
  }
  return {
    truth: bad ? "reject" : "certify",
    stability: bad ? prng.int(3_000, 6_000) : prng.int(7_500, 9_500),
    findings,
    claims: claimResults(SIM_CLAIMS, SIM_CLAIMS, findings),
  };
}

const clampBps = (x: number) => Math.max(0, Math.min(10_000, Math.round(x)));
const opinions = (s: Submission, opinion: FindingOpinion) =>
  Object.fromEntries(s.findings.map((f) => [`${f.code}@${f.scenario}`, opinion]));
/** Grant the claims `grant` picks, deny the rest. */
const claimVotes = (s: Submission, grant: (c: ClaimResult) => boolean): ClaimVotes =>
  Object.fromEntries(s.claims.map((c) => [c.srip, grant(c) ? "grant" : "deny"]));

/** The vote a validator reveals, or null when it does not show up. */
export function castVote(v: SimValidator, s: Submission, behaviour: Behaviour, prng: Prng): SimVote {
  const other: Verdict = s.truth === "certify" ? "reject" : "certify";
  switch (v.profile) {
    case "honest": {
      const verdict = prng.chance(behaviour.honestAccuracy) ? s.truth : other;
      return {
        verdict,
        stabilityScore: clampBps(s.stability + prng.int(-500, 500)),
        findingOpinions: opinions(s, "confirm"),
        claims: claimVotes(s, (c) => verdict === "certify" && c.status === "evidenced"),
      };
    }
    case "lazy":
      return prng.chance(behaviour.lazyShowUp) ? { verdict: "certify", stabilityScore: 9_000, findingOpinions: {}, claims: claimVotes(s, () => true) } : null;
    case "contrarian":
      return {
        verdict: other,
        stabilityScore: clampBps(10_000 - s.stability),
        findingOpinions: opinions(s, "dispute"),
        claims: claimVotes(s, (c) => c.status !== "evidenced"),
      };
    case "colluding":
      return { verdict: "certify", stabilityScore: 10_000, findingOpinions: opinions(s, "dispute"), claims: claimVotes(s, () => true) };
    case "absent":
      return null;
  }
}
