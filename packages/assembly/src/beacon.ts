// The draw beacon (docs/decisions/0009, "Beacon"): a value nobody — the
// platform included — can compute when the audit report is stored, and anyone
// recomputes afterwards from the inputs the assembly record carries.
//
//   commitment = SHA-256(platformShare)                 published at open
//   beacon     = digestOf({ format: "assay.beacon/v2", reportDigest,
//                           platformShare, commitment,
//                           contributions: [{ validatorId, value }] sorted by validatorId,
//                           block: { number, hash } | null })
//
// platformShare is 32 random bytes the platform picks at open and keeps secret
// until the draw (it commits to it first, so it cannot change it after seeing
// the contributions); contributions are 32 random bytes each from admitted
// validators during the beacon window; block is the first chain block mined
// after open (chain mode). Any one input that was unknown at open makes the
// beacon unknown at open. `beaconTrust` says which of them the record holds.
import { createHash } from "node:crypto";
import { DIGEST_PATTERN, digestOf, type Digest } from "@assay/protocol";
import { z } from "zod";
import { AssemblyError, parseOrThrow } from "./errors";

export const BEACON_FORMAT = "assay.beacon/v2";

/** 32 random bytes as 0x + 64 hex; upper-case hex is accepted and stored lower-case. */
export const BeaconValue = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x + 64 hex digits (32 bytes)")
  .transform((v) => v.toLowerCase() as Digest);

export const BeaconContributionSchema = z.strictObject({ validatorId: z.string().min(1).max(128), value: BeaconValue });
export type BeaconContribution = z.infer<typeof BeaconContributionSchema>;

/** A chain block: decimal number (block numbers exceed 2^53 in principle) and its hash. */
export const BeaconBlockSchema = z.strictObject({ number: z.string().regex(/^(0|[1-9][0-9]*)$/), hash: BeaconValue });
export type BeaconBlock = z.infer<typeof BeaconBlockSchema>;

export const BeaconInputsSchema = z
  .strictObject({
    format: z.literal(BEACON_FORMAT),
    reportDigest: z.string().regex(DIGEST_PATTERN),
    platformShare: BeaconValue,
    commitment: z.string().regex(DIGEST_PATTERN),
    contributions: z.array(BeaconContributionSchema).max(100_000),
    block: BeaconBlockSchema.nullable(),
  })
  .superRefine((inputs, ctx) => {
    if (beaconCommitment(inputs.platformShare) !== inputs.commitment) {
      ctx.addIssue({ code: "custom", path: ["platformShare"], message: "the platform share does not open the published commitment" });
    }
    for (let i = 1; i < inputs.contributions.length; i++) {
      // UTF-16 code-unit order, the order JCS and the snapshot use; strictly increasing = one per validator.
      if (!(inputs.contributions[i - 1]!.validatorId < inputs.contributions[i]!.validatorId)) {
        ctx.addIssue({ code: "custom", path: ["contributions", i], message: "contributions must be sorted by validatorId, one per validator" });
        return;
      }
    }
  });
export type BeaconInputs = z.infer<typeof BeaconInputsSchema>;

/** SHA-256 over the share's 32 raw bytes, 0x-hex: what the platform publishes at open. */
export function beaconCommitment(platformShare: string): Digest {
  const share = parseOrThrow(BeaconValue, platformShare, "platformShare");
  return `0x${createHash("sha256").update(Buffer.from(share.slice(2), "hex")).digest("hex")}`;
}

/**
 * Assemble the beacon inputs from what the platform holds at the close of the
 * window: contributions in any order (sorted here; two from one validator are
 * refused), the share, and the block (or null). Throws INVALID_INPUT when the
 * share does not open the commitment.
 */
export function beaconInputsOf(args: {
  reportDigest: string;
  platformShare: string;
  commitment: string;
  contributions: readonly { validatorId: string; value: string }[];
  block: { number: bigint | string; hash: string } | null;
}): BeaconInputs {
  const contributions = [...args.contributions]
    .map((c) => ({ validatorId: c.validatorId, value: c.value.toLowerCase() }))
    .sort((a, b) => (a.validatorId < b.validatorId ? -1 : a.validatorId > b.validatorId ? 1 : 0));
  for (let i = 1; i < contributions.length; i++) {
    if (contributions[i - 1]!.validatorId === contributions[i]!.validatorId) {
      throw new AssemblyError("DUPLICATE_VALIDATOR", `two beacon contributions from validator ${contributions[i]!.validatorId}`);
    }
  }
  const block = args.block === null ? null : { number: args.block.number.toString(), hash: args.block.hash.toLowerCase() };
  return parseOrThrow(
    BeaconInputsSchema,
    { format: BEACON_FORMAT, reportDigest: args.reportDigest, platformShare: args.platformShare.toLowerCase(), commitment: args.commitment, contributions, block },
    "beacon inputs",
  );
}

/**
 * The beacon from its inputs, after checking them (schema, commitment opened,
 * contributions sorted and unique). Pure: anyone holding the stored inputs
 * gets the same 0x + 64 hex, which `drawSeed` then takes per round.
 */
export function recomputeBeacon(inputs: unknown): Digest {
  const parsed = parseOrThrow(BeaconInputsSchema, inputs, "beacon inputs");
  return digestOf(parsed);
}

/**
 * What the beacon's unpredictability rests on, as the record shows it:
 * `platformKnewSeed` is true when no input outside the platform's hands was
 * mixed in (no validator contribution and no chain block) — the platform then
 * chose the seed alone and said so.
 */
export type BeaconTrust = { contributions: number; block: boolean; platformKnewSeed: boolean };

export function beaconTrust(inputs: BeaconInputs): BeaconTrust {
  return { contributions: inputs.contributions.length, block: inputs.block !== null, platformKnewSeed: inputs.contributions.length === 0 && inputs.block === null };
}

/**
 * Checks a record's beacon against its stored inputs: every round's beacon is
 * the recomputed one. (The seeds and seats follow from the beacon and the
 * snapshot; `replayAssembly` checks those.)
 */
export function checkRecordBeacon(inputs: unknown, record: { rounds: readonly { round: number; beacon: string }[] }): { ok: boolean; beacon: Digest | null; detail: string } {
  let beacon: Digest;
  try {
    beacon = recomputeBeacon(inputs);
  } catch (error) {
    return { ok: false, beacon: null, detail: (error as Error).message };
  }
  const off = record.rounds.find((r) => r.beacon.toLowerCase() !== beacon);
  return off ? { ok: false, beacon, detail: `round ${off.round} was drawn from beacon ${off.beacon}, the inputs give ${beacon}` } : { ok: true, beacon, detail: "every round's beacon recomputes from the inputs" };
}
