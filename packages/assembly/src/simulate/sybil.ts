// The Sybil scenario (issue 8, point 6): one party registers k of the N
// identities and tries to hold a majority of an assembly's seats. The same
// population is drawn under two admission rules, through the real snapshot and
// draw code:
//
//   open      today's rule before admission: a validator is drawable as soon as
//             it activates, weighed by the stake it declares. The attacker
//             declares a huge stake on every identity.
//   admitted  a validator is drawable only once its stake is seen on chain (or
//             approved by an operator), weighed by that stake. The attacker's
//             identities therefore split one real economic budget; every one
//             starts at the initial reputation.
//
// captureRate = share of assemblies whose round-1 draw gives the attacker more
// than half of the seats. Assumptions are part of the output (`assumptions`),
// so a reader sees what the figure rests on. Pure: no I/O.
import { sha256Hex } from "@assay/protocol";
import { z } from "zod";
import { AssemblyError, parseOrThrow } from "../errors";
import { resolveParams, type AssemblyParams } from "../params";
import { openRound } from "../record";
import { snapshotEligible, type EligibleSnapshot } from "../snapshot";
import type { ValidatorInput } from "../validator";
import { Prng } from "./prng";

const FAMILIES = ["gpt", "claude", "gemini", "llama", "mistral", "qwen"];

export const SybilOptions = z
  .object({
    /** Assemblies drawn per admission rule. */
    assemblies: z.number().int().min(1).max(100_000).default(1_000),
    seed: z.union([z.number().int(), z.string()]).default(1),
    /** Registered identities in total, the attacker's included. */
    identities: z.number().int().min(2).max(10_000).default(100),
    /** Share of the registered identities the attacker controls. */
    attackerShare: z.number().gt(0).lt(1).default(0.3),
    /** Open rule: the stake each attacker identity declares (decimal text; the issue's probe used ~10^18). */
    declaredStake: z.string().regex(/^[1-9]\d{0,40}$/).default(`1${"0".repeat(30)}`),
    /** Admitted rule: the attacker's whole budget, as a multiple of the median honest stake. */
    budgetMultiple: z.number().positive().max(1_000_000).default(1),
    /** Median honest stake (the honest stakes spread log-uniformly over ×2^±1.5 around it). */
    honestMedianStake: z.number().int().positive().default(1_000_000),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type SybilOptionsInput = z.input<typeof SybilOptions>;

export type CaptureRates = { open: number; admitted: number };

export type SybilResult = {
  captureRate: CaptureRates;
  /** The same draws when every attacker identity is an agent of one model family (the diversity rule then binds). */
  captureRateSharedFamily: CaptureRates;
  /** The attacker's share of the eligible governance weight (0..1). */
  attackerWeightShare: CaptureRates;
  /** Mean attacker seats per assembly. */
  meanAttackerSeats: CaptureRates;
  assemblies: number;
  seed: number | string;
  identities: number;
  attackerIdentities: number;
  honestIdentities: number;
  seatCount: number;
  modelFamilyDiversity: boolean;
  honestStake: { median: string; min: string; max: string };
  honestReputationBps: { min: number; max: number };
  attacker: {
    open: { declaredStakePerIdentity: string; reputationBps: number };
    admitted: { budget: string; stakePerIdentity: string; reputationBps: number };
  };
  assumptions: string[];
};

type Variant = { validators: ValidatorInput[]; attacker: ReadonlySet<string> };

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

function medianOf(values: readonly bigint[]): bigint {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2n;
}

/** The honest validators: established, spread in stake and reputation, 80 % agents across six families. */
function honestPopulation(count: number, medianStake: number, params: AssemblyParams, prng: Prng): ValidatorInput[] {
  return Array.from({ length: count }, (_, i) => {
    const isPerson = prng.chance(0.2);
    return {
      id: `honest-${prng.hex(4).slice(2)}-${i}`,
      stake: BigInt(Math.round(medianStake * 2 ** (prng.next() * 3 - 1.5))),
      // Between a newcomer and the ≈ 0.85–0.9 honest validators reach in the reputation simulation.
      reputationBps: prng.int(params.initialReputationBps, 9_000),
      standing: "active",
      kind: isPerson ? "person" : "agent",
      modelFamily: isPerson ? null : FAMILIES[prng.int(0, FAMILIES.length - 1)]!,
    } satisfies ValidatorInput;
  });
}

/** Split `budget` into `parts` stakes that sum to it (the first ones take the remainder). */
function splitBudget(budget: bigint, parts: number): bigint[] {
  const each = budget / BigInt(parts);
  const rest = Number(budget - each * BigInt(parts));
  return Array.from({ length: parts }, (_, i) => each + (i < rest ? 1n : 0n));
}

function measure(variant: Variant, options: z.infer<typeof SybilOptions>, params: AssemblyParams) {
  const snapshot: EligibleSnapshot = snapshotEligible(variant.validators, { params });
  let attackerWeight = 0n;
  for (const v of snapshot.document.validators) if (variant.attacker.has(v.id)) attackerWeight += BigInt(v.weight);
  let captured = 0;
  let attackerSeats = 0;
  for (let a = 0; a < options.assemblies; a++) {
    const assemblyId = `sybil-${options.seed}-${a}`;
    // One beacon per assembly, shared by every variant: the variants differ only in who is registered and how they weigh.
    const beacon = `0x${sha256Hex(`sybil-beacon/${options.seed}/${a}`)}`;
    const { seats } = openRound({ assemblyId, round: 1, beacon, snapshot, params });
    const held = seats.filter((s) => variant.attacker.has(s.validatorId)).length;
    attackerSeats += held;
    if (held * 2 > seats.length) captured++;
  }
  return {
    captureRate: round4(captured / options.assemblies),
    weightShare: round4(Number((attackerWeight * 1_000_000n) / BigInt(snapshot.document.totalWeight)) / 1_000_000),
    meanSeats: round4(attackerSeats / options.assemblies),
  };
}

export function runSybilScenario(input: SybilOptionsInput = {}): SybilResult {
  const options = parseOrThrow(SybilOptions, input, "sybil options");
  const params = resolveParams(options.params);
  const prng = new Prng(`sybil/${options.seed}`);
  const k = Math.max(1, Math.round(options.identities * options.attackerShare));
  if (k >= options.identities) throw new AssemblyError("INVALID_INPUT", "sybil options: the attacker must leave at least one honest identity");
  const honest = honestPopulation(options.identities - k, options.honestMedianStake, params, prng);
  const honestStakes = honest.map((v) => BigInt(v.stake));
  const median = medianOf(honestStakes);
  // budgetMultiple × median, in integers (4 decimal places of the multiple).
  const budget = (median * BigInt(Math.round(options.budgetMultiple * 10_000))) / 10_000n;
  const admittedStakes = splitBudget(budget, k);
  const declared = BigInt(options.declaredStake);
  const initial = params.initialReputationBps;
  // The attacker's family: "none" = persons (or agents without a family), so the
  // diversity rule never limits them — the worst case, used for captureRate.
  // "shared" = agents of one model family, for captureRateSharedFamily.
  // Random id parts, like the honest ones: the draw lays weights out in id order.
  const ids = Array.from({ length: k }, (_, i) => `sybil-${prng.hex(4).slice(2)}-${i}`);
  const withIds = (stakes: readonly bigint[], family: string | null): ValidatorInput[] =>
    ids.map((id, i) => ({ id, stake: stakes[i]!, reputationBps: initial, standing: "active", kind: family === null ? "person" : "agent", modelFamily: family }));
  const attacker = new Set(ids);
  const variant = (sybils: ValidatorInput[]): Variant => ({ validators: [...honest, ...sybils], attacker });
  const sharedFamily = FAMILIES[0]!;

  const open = measure(variant(withIds(Array(k).fill(declared), null)), options, params);
  const admitted = measure(variant(withIds(admittedStakes, null)), options, params);
  const openShared = measure(variant(withIds(Array(k).fill(declared), sharedFamily)), options, params);
  const admittedShared = measure(variant(withIds(admittedStakes, sharedFamily)), options, params);

  const honestReps = honest.map((v) => v.reputationBps);
  const sortedStakes = [...honestStakes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    captureRate: { open: open.captureRate, admitted: admitted.captureRate },
    captureRateSharedFamily: { open: openShared.captureRate, admitted: admittedShared.captureRate },
    attackerWeightShare: { open: open.weightShare, admitted: admitted.weightShare },
    meanAttackerSeats: { open: open.meanSeats, admitted: admitted.meanSeats },
    assemblies: options.assemblies,
    seed: options.seed,
    identities: options.identities,
    attackerIdentities: k,
    honestIdentities: options.identities - k,
    seatCount: params.seatCount,
    modelFamilyDiversity: params.modelFamilyDiversity,
    honestStake: { median: median.toString(), min: sortedStakes[0]!.toString(), max: sortedStakes[sortedStakes.length - 1]!.toString() },
    honestReputationBps: { min: Math.min(...honestReps), max: Math.max(...honestReps) },
    attacker: {
      open: { declaredStakePerIdentity: declared.toString(), reputationBps: initial },
      admitted: { budget: budget.toString(), stakePerIdentity: admittedStakes[0]!.toString(), reputationBps: initial },
    },
    assumptions: [
      "captured = the attacker holds more than half of the seats of an assembly's round-1 draw (params.seatCount seats)",
      `open: every identity is drawable at once, weighed by its self-declared stake; each attacker identity declares ${declared}`,
      `admitted: only stake seen on chain or approved by an operator counts; the attacker's identities split one budget of ${options.budgetMultiple} × the median honest stake (${budget} in total)`,
      `every attacker identity starts at the initial reputation (${initial} bps) and has no history; reputations do not change during the run`,
      `honest identities: stakes log-uniform over median × 2^[-1.5, 1.5], reputations uniform in [${params.initialReputationBps}, 9000] bps, 80 % agents across ${FAMILIES.length} model families, 20 % persons`,
      "captureRate: the attacker's identities declare no model family (persons), so the family-diversity rule never limits them (worst case); captureRateSharedFamily: they are agents of one family, and the rule seats at most one of them while another family is available",
    ],
  };
}
