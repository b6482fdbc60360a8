// Round settlement: reputation and stake after a round (SPEC §5; Kleros
// coherence, Yuma EMA). Pure: it returns deltas, the caller applies them.
//
// Coherence is judged against the assembly's *final* verdict (Kleros judges
// every appeal round by the final ruling):
//   coherent   (revealed, voted the final verdict)  reputation EMA → 1 (α), share of the reward pool
//   incoherent (revealed, voted the other verdict)  reputation EMA → 0 (α), loses incoherentStakeSlashBps of stake
//   no-show / void (did not validly reveal)         reputation EMA → 0 (α_noshow > α), loses noShowStakeSlashBps
//   unjudged   (revealed, assembly ended without a verdict: escalated)  unchanged
// Reward pool = feeRewardShareBps of the round's fee, plus the round's slashed
// stake when slashesToRewardPool. It is split among coherent voters in
// proportion to their seat weight with integers (largest remainder, ties by
// validator id); with no coherent voter it stays unallocated (the treasury keeps it).
import { z } from "zod";
import { applyBps, emaBps, splitProportionally } from "./arith";
import { AssemblyError, parseOrThrow } from "./errors";
import type { AssemblyParams } from "./params";
import type { RoundTally } from "./tally";
import { StakeAmount, ValidatorId } from "./validator";
import type { Verdict } from "./vote";

export type SettlementRole = "coherent" | "incoherent" | "unjudged" | "no_show" | "void";

export type SettlementEntry = {
  validatorId: string;
  role: SettlementRole;
  reputationBefore: number;
  reputationAfter: number;
  stakeBefore: bigint;
  stakeSlashed: bigint;
  reward: bigint;
  /** reward − stakeSlashed. */
  stakeDelta: bigint;
};

export type RoundSettlement = {
  assemblyId: string;
  round: number;
  finalVerdict: Verdict | null;
  /** Part of the fee the platform keeps (fee − validators' share). */
  platformFee: bigint;
  slashed: bigint;
  rewardPool: bigint;
  rewardsPaid: bigint;
  /** Pool left when nobody was coherent. */
  unallocated: bigint;
  /** One entry per seat, sorted by validator id. */
  entries: SettlementEntry[];
};

const ValidatorState = z.object({ id: ValidatorId, stake: StakeAmount, reputationBps: z.number().int().min(0).max(10_000) });
export type ValidatorStateInput = z.input<typeof ValidatorState>;

export type SettleInput = {
  tally: RoundTally;
  /** The assembly's final verdict; null when it ended without one (escalated). */
  finalVerdict: Verdict | null;
  /** Current stake and reputation of (at least) every seated validator. */
  validators: readonly ValidatorStateInput[];
  /** The part of the submission's fee attributed to this round (see roundFeeShares). */
  fee: bigint | string;
  params: AssemblyParams;
};

function roleOf(status: string, verdict: Verdict | null, finalVerdict: Verdict | null): SettlementRole {
  if (status === "no_show") return "no_show";
  if (status === "void") return "void";
  if (finalVerdict === null) return "unjudged";
  return verdict === finalVerdict ? "coherent" : "incoherent";
}

export function settleRound(input: SettleInput): RoundSettlement {
  const { tally, finalVerdict, params } = input;
  const fee = parseOrThrow(StakeAmount, input.fee, "fee");
  const states = new Map(parseOrThrow(z.array(ValidatorState), input.validators, "validators").map((v) => [v.id, v]));

  const drafts = tally.ballots.map((ballot) => {
    const state = states.get(ballot.validatorId);
    if (!state) throw new AssemblyError("INVALID_INPUT", `no state for seated validator ${ballot.validatorId}`);
    const role = roleOf(ballot.status, ballot.verdict, finalVerdict);
    let reputationAfter = state.reputationBps;
    let stakeSlashed = 0n;
    if (role === "coherent") reputationAfter = emaBps(state.reputationBps, 10_000, params.reputationAlphaBps);
    else if (role === "incoherent") {
      reputationAfter = emaBps(state.reputationBps, 0, params.reputationAlphaBps);
      stakeSlashed = applyBps(state.stake, params.incoherentStakeSlashBps);
    } else if (role === "no_show" || role === "void") {
      reputationAfter = emaBps(state.reputationBps, 0, params.noShowAlphaBps);
      stakeSlashed = applyBps(state.stake, params.noShowStakeSlashBps);
    }
    return { ballot, state, role, reputationAfter, stakeSlashed };
  });

  const slashed = drafts.reduce((s, d) => s + d.stakeSlashed, 0n);
  const feeReward = applyBps(fee, params.feeRewardShareBps);
  const rewardPool = feeReward + (params.slashesToRewardPool ? slashed : 0n);
  const coherent = drafts.filter((d) => d.role === "coherent");
  // Ballots are sorted by validator id, so the remainder rule's tie order is by id.
  const shares = splitProportionally(rewardPool, coherent.map((d) => BigInt(d.ballot.weight)));
  const rewardOf = new Map(coherent.map((d, i) => [d.ballot.validatorId, shares[i]!]));
  const rewardsPaid = shares.reduce((s, x) => s + x, 0n);

  return {
    assemblyId: tally.assemblyId,
    round: tally.round,
    finalVerdict,
    platformFee: fee - feeReward,
    slashed,
    rewardPool,
    rewardsPaid,
    unallocated: rewardPool - rewardsPaid,
    entries: drafts.map((d) => {
      const reward = rewardOf.get(d.ballot.validatorId) ?? 0n;
      return {
        validatorId: d.ballot.validatorId,
        role: d.role,
        reputationBefore: d.state.reputationBps,
        reputationAfter: d.reputationAfter,
        stakeBefore: d.state.stake,
        stakeSlashed: d.stakeSlashed,
        reward,
        stakeDelta: reward - d.stakeSlashed,
      };
    }),
  };
}

/**
 * Split a submission's fee among the rounds its assembly held, in proportion to
 * their seat counts (an appeal round with 2n+1 seats did more work), exactly.
 */
export function roundFeeShares(fee: bigint | string, seatCounts: readonly number[]): bigint[] {
  const total = parseOrThrow(StakeAmount, fee, "fee");
  return splitProportionally(total, seatCounts.map((s) => BigInt(s)));
}

/** The final verdict an assembly outcome settles against (null when escalated). */
export function finalVerdictOf(outcome: { kind: string; verdict?: Verdict }): Verdict | null {
  return outcome.kind === "resolved" ? (outcome.verdict ?? null) : null;
}
