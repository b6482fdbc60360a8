// Assembly parameters: every knob of the consensus is an operator flag with a
// named, documented default. All values are integers or booleans because the
// resolved parameters are written into the hashed assembly record.
import { z } from "zod";
import { AssemblyError, parseOrThrow } from "./errors";

const bps = z.number().int().min(0).max(10_000);
const seconds = z.number().int().min(1).max(30 * 24 * 3600);

/** Defaults, each with the reason it has this value. */
export const DEFAULT_ASSEMBLY_PARAMS = {
  /** Seats of the first round (Kleros starts small; appeals grow to 2n+1). */
  seatCount: 5,
  /** Rounds before the assembly escalates to operators (5 → 11 → 23 seats). */
  maxRounds: 3,
  /** Revealed weight / seated weight needed to resolve (UMA's participation threshold). */
  minParticipationBps: 5_000,
  /** A verdict resolves with at least numerator/denominator of revealed weight (exactly 2/3). */
  supermajorityNumerator: 2,
  supermajorityDenominator: 3,
  /** Share of weight that does not depend on reputation: weight = stake × (floor + (1 − floor) × reputation). */
  reputationFloorBps: 2_500,
  /** Validators on probation are drawn with this fraction of their weight. */
  probationWeightBps: 5_000,
  /** Reputation given to a newly activated validator. */
  initialReputationBps: 5_000,
  /** EMA step for voters: coherent move toward 1, incoherent toward 0 (Yuma-style EMA). */
  reputationAlphaBps: 1_000,
  /** EMA step toward 0 for no-shows and void reveals: larger, so not showing up is worse than losing. */
  noShowAlphaBps: 2_000,
  /** Stake slice a no-show (or void reveal) loses. */
  noShowStakeSlashBps: 100,
  /** Stake slice an incoherent voter loses (Kleros coherence penalty). */
  incoherentStakeSlashBps: 50,
  /** Share of a round's fee paid to its coherent voters (the rest stays with the platform). */
  feeRewardShareBps: 7_000,
  /** Slashed stake joins the round's reward pool for coherent voters (Kleros redistribution). */
  slashesToRewardPool: true,
  /** Seats avoid repeating an agent model family while the eligible set allows. */
  modelFamilyDiversity: true,
  /** Beacon window before the draw: admitted validators add randomness the platform cannot know at open (docs/decisions/0009). */
  beaconSeconds: 5,
  /** Phase durations; a phase closes early when every seat has acted. */
  reviewSeconds: 3_600,
  commitSeconds: 1_800,
  revealSeconds: 1_800,
} as const;

const ParamsShape = z
  .object({
    seatCount: z.number().int().min(1).max(101),
    maxRounds: z.number().int().min(1).max(6),
    minParticipationBps: bps,
    supermajorityNumerator: z.number().int().min(1).max(1_000),
    supermajorityDenominator: z.number().int().min(1).max(1_000),
    reputationFloorBps: bps,
    probationWeightBps: bps,
    initialReputationBps: bps,
    reputationAlphaBps: bps,
    noShowAlphaBps: bps,
    noShowStakeSlashBps: bps,
    incoherentStakeSlashBps: bps,
    feeRewardShareBps: bps,
    slashesToRewardPool: z.boolean(),
    modelFamilyDiversity: z.boolean(),
    beaconSeconds: seconds,
    reviewSeconds: seconds,
    commitSeconds: seconds,
    revealSeconds: seconds,
  })
  .strict();

export const AssemblyParams = ParamsShape.superRefine((p, ctx) => {
  // Above one half, two verdicts can never both reach the threshold; at most one,
  // a threshold above 1 could never be met.
  if (2 * p.supermajorityNumerator <= p.supermajorityDenominator) {
    ctx.addIssue({ code: "custom", path: ["supermajorityNumerator"], message: "supermajority must be more than 1/2" });
  }
  if (p.supermajorityNumerator > p.supermajorityDenominator) {
    ctx.addIssue({ code: "custom", path: ["supermajorityNumerator"], message: "supermajority must be at most 1" });
  }
});
export type AssemblyParams = z.infer<typeof ParamsShape>;

/** Operator overrides: any subset of the parameters; unknown names are refused (a typo must not pass silently). */
export const AssemblyParamOverrides = ParamsShape.partial().strict();
export type AssemblyParamOverrides = z.infer<typeof AssemblyParamOverrides>;

/** Validate operator overrides and merge them over the defaults. */
export function resolveParams(overrides: unknown = {}): AssemblyParams {
  const partial = parseOrThrow(AssemblyParamOverrides, overrides ?? {}, "assembly parameter overrides", "INVALID_PARAMS");
  return parseOrThrow(AssemblyParams, { ...DEFAULT_ASSEMBLY_PARAMS, ...partial }, "assembly parameters", "INVALID_PARAMS");
}

/** Validate a complete parameter object (e.g. one read back from a record). */
export function parseParams(value: unknown): AssemblyParams {
  return parseOrThrow(AssemblyParams, value, "assembly parameters", "INVALID_PARAMS");
}

export const PARAM_DESCRIPTIONS: Record<keyof AssemblyParams, string> = {
  seatCount: "seats in round 1; round r+1 has 2·seats(r)+1",
  maxRounds: "rounds before escalation to operators",
  minParticipationBps: "minimum revealed weight / seated weight",
  supermajorityNumerator: "numerator of the winning share of revealed weight",
  supermajorityDenominator: "denominator of the winning share of revealed weight",
  reputationFloorBps: "weight share independent of reputation",
  probationWeightBps: "weight multiplier for validators on probation",
  initialReputationBps: "reputation of a newly activated validator",
  reputationAlphaBps: "EMA step for coherent (→1) and incoherent (→0) voters",
  noShowAlphaBps: "EMA step toward 0 for no-shows and void reveals",
  noShowStakeSlashBps: "stake slice lost by a no-show or void reveal",
  incoherentStakeSlashBps: "stake slice lost by an incoherent voter",
  feeRewardShareBps: "share of the round's fee paid to coherent voters",
  slashesToRewardPool: "slashed stake is added to the coherent voters' reward pool",
  modelFamilyDiversity: "avoid seating two agents of one model family while possible",
  beaconSeconds: "beacon window before the draw (validators contribute randomness)",
  reviewSeconds: "review phase duration",
  commitSeconds: "commit phase duration",
  revealSeconds: "reveal phase duration",
};

/** Seats of a round: n, then 2n+1 per appeal (Kleros). Rounds are 1-based. */
export function seatCountForRound(round: number, params: Pick<AssemblyParams, "seatCount">): number {
  if (!Number.isInteger(round) || round < 1) throw new AssemblyError("INVALID_INPUT", `round must be a positive integer, got ${round}`);
  let seats = params.seatCount;
  for (let r = 1; r < round; r++) seats = 2 * seats + 1;
  return seats;
}
