// The assembly simulation: a seeded synthetic population reviews a stream of
// submissions whose ground truth is known, through the real draw, commit–reveal,
// tally, record and settlement code. It measures how reputation and stake move
// per profile and how often the assembly gets the verdict wrong. Pure: no I/O.
import { sha256Hex, type Digest } from "@assay/protocol";
import { z } from "zod";
import { voteCommitment } from "../commitment";
import { parseOrThrow } from "../errors";
import { resolveParams, type AssemblyParams } from "../params";
import { buildAssemblyRecord, closeRound, openRound, type AssemblyRecord, type RoundRecord } from "../record";
import { roundFeeShares, settleRound } from "../settle";
import { snapshotEligible, type EligibleSnapshot } from "../snapshot";
import type { Commit, Reveal, Verdict } from "../vote";
import { castVote, createPopulation, createSubmission, PROFILES, type Profile, type SimValidator } from "./population";
import { Prng } from "./prng";

const share = z.number().min(0).max(1);

export const SimulationOptions = z
  .object({
    /** Submissions reviewed, one assembly each. */
    rounds: z.number().int().min(1).max(100_000).default(200),
    seed: z.union([z.number().int(), z.string()]).default(1),
    validators: z.number().int().min(4).max(10_000).default(60),
    shares: z
      .object({ honest: share, lazy: share, contrarian: share, colluding: share, absent: share.default(0) })
      .default({ honest: 0.55, lazy: 0.15, contrarian: 0.15, colluding: 0.15, absent: 0 })
      .refine((s) => s.honest + s.lazy + s.contrarian + s.colluding + s.absent > 0, "shares must not all be 0"),
    /** Share of submissions whose truth is reject. */
    badShare: share.default(0.4),
    /** Share of bad submissions that carry an objective critical finding. */
    criticalShare: share.default(0.3),
    honestAccuracy: share.default(0.9),
    lazyShowUp: share.default(0.5),
    initialStake: z.number().int().positive().default(1_000_000),
    fee: z.number().int().nonnegative().default(100_000),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type SimulationOptionsInput = z.input<typeof SimulationOptions>;

export type ProfileSummary = { share: number; count: number; reputation: number; stake: number };

export type SimulationResult = {
  rounds: number;
  seed: number | string;
  validators: number;
  profiles: Record<Profile, ProfileSummary>;
  /** Fraction of assemblies that resolved to the wrong verdict. */
  wrongOutcomes: number;
  /** Fraction of assemblies escalated to operators. */
  escalatedOutcomes: number;
  /** Mean rounds per assembly. */
  meanAssemblyRounds: number;
  /** Mean reputation (0..1) per profile with members after each assembly, index 0 = before the first. */
  history: Partial<Record<Profile, number[]>>;
};

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

function meanReputation(validators: readonly SimValidator[]): number {
  return validators.length === 0 ? 0 : validators.reduce((s, v) => s + v.reputationBps, 0) / validators.length / 10_000;
}

function meanStake(validators: readonly SimValidator[]): number {
  if (validators.length === 0) return 0;
  return Number(validators.reduce((s, v) => s + v.stake, 0n) / BigInt(validators.length));
}

/** Observers for tests and tools: each finished assembly with the snapshots its rounds drew from. */
export type SimulationHooks = {
  onAssembly?(assembly: { record: AssemblyRecord; digest: Digest; snapshots: EligibleSnapshot[]; truth: Verdict }): void;
};

export function runSimulation(input: SimulationOptionsInput = {}, hooks: SimulationHooks = {}): SimulationResult {
  const options = parseOrThrow(SimulationOptions, input, "simulation options");
  const params: AssemblyParams = resolveParams(options.params);
  const prng = new Prng(options.seed);
  const population = createPopulation(
    options.validators,
    options.shares,
    { stake: BigInt(options.initialStake), reputationBps: params.initialReputationBps },
    prng,
  );
  const byId = new Map(population.map((v) => [v.id, v]));
  const byProfile = Object.fromEntries(PROFILES.map((p) => [p, population.filter((v) => v.profile === p)])) as Record<Profile, SimValidator[]>;
  const present = PROFILES.filter((p) => byProfile[p].length > 0);
  const history: Partial<Record<Profile, number[]>> = Object.fromEntries(present.map((p) => [p, [round4(meanReputation(byProfile[p]))]]));
  let wrong = 0;
  let escalated = 0;
  let roundsHeld = 0;

  for (let a = 0; a < options.rounds; a++) {
    const assemblyId = `sim-${options.seed}-${a}`;
    const submission = createSubmission(prng, options.badShare, options.criticalShare);
    const rounds: RoundRecord[] = [];
    const snapshots: EligibleSnapshot[] = [];
    for (let round = 1; ; round++) {
      const snapshot = snapshotEligible(
        population.map((v) => ({ id: v.id, stake: v.stake, reputationBps: v.reputationBps, standing: "active", kind: v.kind, modelFamily: v.modelFamily })),
        { params },
      );
      snapshots.push(snapshot);
      const beacon = `0x${sha256Hex(`beacon/${options.seed}/${a}/${round}`)}`;
      const opening = openRound({ assemblyId, round, beacon, snapshot, params });
      const commits: Commit[] = [];
      const reveals: Reveal[] = [];
      for (const seat of opening.seats) {
        const vote = castVote(byId.get(seat.validatorId)!, submission, options, prng);
        if (vote === null) continue;
        const reveal: Reveal = { ...vote, assemblyId, round, validatorId: seat.validatorId, salt: prng.hex(32) };
        commits.push({ assemblyId, round, validatorId: seat.validatorId, commitment: voteCommitment(reveal) });
        reveals.push(reveal);
      }
      const closed = closeRound(opening, { assemblyId, params, findings: submission.findings, claims: submission.claims, commits, reveals });
      rounds.push(closed);
      if (closed.tally.outcome.kind !== "roll") break;
    }
    const { record, digest } = buildAssemblyRecord({ assemblyId, params, findings: submission.findings, claims: submission.claims, rounds });
    hooks.onAssembly?.({ record, digest, snapshots, truth: submission.truth });
    roundsHeld += rounds.length;

    let finalVerdict: Verdict;
    if (record.outcome.kind === "escalate") {
      // Operators rule on escalated assemblies; the simulation assumes they rule
      // the ground truth, and settles every round against that ruling.
      escalated++;
      finalVerdict = submission.truth;
    } else {
      finalVerdict = record.outcome.kind;
      if (finalVerdict !== submission.truth) wrong++;
    }
    const fees = roundFeeShares(BigInt(options.fee), rounds.map((r) => r.seatCount));
    rounds.forEach((r, i) => {
      const settlement = settleRound({
        tally: r.tally,
        finalVerdict,
        validators: r.seats.map((s) => {
          const v = byId.get(s.validatorId)!;
          return { id: v.id, stake: v.stake, reputationBps: v.reputationBps };
        }),
        fee: fees[i]!,
        params,
      });
      for (const e of settlement.entries) {
        const v = byId.get(e.validatorId)!;
        v.reputationBps = e.reputationAfter;
        v.stake += e.stakeDelta;
      }
    });
    for (const p of present) history[p]!.push(round4(meanReputation(byProfile[p])));
  }

  const totalShares = PROFILES.reduce((s, p) => s + options.shares[p], 0);
  const profiles = Object.fromEntries(
    PROFILES.map((p) => [
      p,
      {
        share: round4(options.shares[p] / totalShares),
        count: byProfile[p].length,
        reputation: round4(meanReputation(byProfile[p])),
        stake: meanStake(byProfile[p]),
      },
    ]),
  ) as Record<Profile, ProfileSummary>;
  return {
    rounds: options.rounds,
    seed: options.seed,
    validators: options.validators,
    profiles,
    wrongOutcomes: round4(wrong / options.rounds),
    escalatedOutcomes: round4(escalated / options.rounds),
    meanAssemblyRounds: round4(roundsHeld / options.rounds),
    history,
  };
}
