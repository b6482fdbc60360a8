// The eligible set, frozen at assembly open (SPEC §5). The snapshot is a
// document anyone can hash and draw from, plus an in-memory index (cumulative
// weights in id order, per-family prefix sums) built once so every draw on it
// is logarithmic.
//
// Eligibility rule: standing active or probation (suspended and pending —
// not yet admitted — validators are out), governance weight > 0, and not among the conflicts (the submitter's own
// accounts). Validators are sorted by id in UTF-16 code-unit order, the order
// JCS uses for keys, so the snapshot sorts the same everywhere.
import { hash } from "node:crypto";
import type { Digest } from "@assay/protocol";
import { z } from "zod";
import { AMOUNT_PATTERN, amountText } from "./arith";
import { AssemblyError, parseOrThrow } from "./errors";
import { DEFAULT_ASSEMBLY_PARAMS } from "./params";
import { diversityFamily, Standing, ValidatorId, ValidatorSchema, type ValidatorInput } from "./validator";
import { governanceWeight, type WeightParams } from "./weight";

export const SNAPSHOT_FORMAT = "assay.eligible-snapshot/v1";

const amount = z.string().regex(AMOUNT_PATTERN);

export const SnapshotEntrySchema = z
  .object({
    id: ValidatorId,
    stake: amount,
    reputationBps: z.number().int().min(0).max(10_000),
    standing: Standing,
    weight: amount,
    family: z.string().nullable(),
  })
  .strict();
export type SnapshotEntry = z.infer<typeof SnapshotEntrySchema>;

export const SnapshotDocumentSchema = z
  .object({
    format: z.literal(SNAPSHOT_FORMAT),
    weightRule: z
      .object({
        reputationFloorBps: z.number().int().min(0).max(10_000),
        probationWeightBps: z.number().int().min(0).max(10_000),
      })
      .strict(),
    totalWeight: amount,
    validators: z.array(SnapshotEntrySchema),
  })
  .strict();
export type SnapshotDocument = z.infer<typeof SnapshotDocumentSchema>;

/** Prefix sums of one model family's weights, by position in the snapshot. */
export type FamilyIndex = { indices: number[]; cumulative: bigint[]; total: bigint };

export type EligibleSnapshot = {
  readonly document: SnapshotDocument;
  readonly digest: Digest;
  readonly ids: readonly string[];
  readonly weights: readonly bigint[];
  /** cumulative[i] = weights[0] + … + weights[i]. */
  readonly cumulative: readonly bigint[];
  readonly totalWeight: bigint;
  readonly families: readonly (string | null)[];
  readonly familyIndex: ReadonlyMap<string, FamilyIndex>;
};

export type SnapshotOptions = {
  /** Validator ids that may not sit (the submitter's own accounts). */
  conflicts?: Iterable<string>;
  params?: WeightParams;
};

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function snapshotEligible(validators: readonly ValidatorInput[], options: SnapshotOptions = {}): EligibleSnapshot {
  const params = options.params ?? DEFAULT_ASSEMBLY_PARAMS;
  const conflicts = new Set(options.conflicts ?? []);
  const parsed = parseOrThrow(z.array(ValidatorSchema), validators, "validators");
  const seen = new Set<string>();
  const entries: SnapshotEntry[] = [];
  for (const v of parsed) {
    if (seen.has(v.id)) throw new AssemblyError("DUPLICATE_VALIDATOR", `validator ${v.id} appears twice`);
    seen.add(v.id);
    if (v.standing === "suspended" || v.standing === "pending" || conflicts.has(v.id)) continue;
    const weight = governanceWeight(v.stake, v.reputationBps, v.standing, params);
    if (weight <= 0n) continue;
    entries.push({
      id: v.id,
      stake: amountText(v.stake),
      reputationBps: v.reputationBps,
      standing: v.standing,
      weight: amountText(weight),
      family: diversityFamily(v),
    });
  }
  entries.sort((a, b) => compareIds(a.id, b.id));
  const total = entries.reduce((sum, e) => sum + BigInt(e.weight), 0n);
  const document: SnapshotDocument = {
    format: SNAPSHOT_FORMAT,
    weightRule: { reputationFloorBps: params.reputationFloorBps, probationWeightBps: params.probationWeightBps },
    totalWeight: amountText(total),
    validators: entries,
  };
  return indexSnapshot(document);
}

/**
 * Rebuild a snapshot from its stored document (e.g. to replay a record),
 * checking that it is well formed, sorted, and that every weight follows the
 * recorded weight rule. Pass the expected digest to bind it to a record.
 */
export function snapshotFromDocument(value: unknown, expectedDigest?: Digest): EligibleSnapshot {
  const document = parseOrThrow(SnapshotDocumentSchema, value, "snapshot document");
  const { validators, weightRule } = document;
  let total = 0n;
  for (let i = 0; i < validators.length; i++) {
    const e = validators[i]!;
    if (i > 0 && compareIds(validators[i - 1]!.id, e.id) >= 0) {
      throw new AssemblyError("INVALID_INPUT", `snapshot validators must be sorted by id and unique (at ${e.id})`);
    }
    const weight = governanceWeight(BigInt(e.stake), e.reputationBps, e.standing, weightRule);
    if (weight <= 0n || weight !== BigInt(e.weight)) {
      throw new AssemblyError("INVALID_INPUT", `snapshot weight of ${e.id} does not follow the weight rule`);
    }
    total += weight;
  }
  if (total !== BigInt(document.totalWeight)) throw new AssemblyError("INVALID_INPUT", "snapshot totalWeight is not the sum of weights");
  const snapshot = indexSnapshot(document);
  if (expectedDigest !== undefined && snapshot.digest !== expectedDigest) {
    throw new AssemblyError("SNAPSHOT_DIGEST_MISMATCH", `snapshot digest ${snapshot.digest} is not ${expectedDigest}`);
  }
  return snapshot;
}

function indexSnapshot(document: SnapshotDocument): EligibleSnapshot {
  const n = document.validators.length;
  const ids = new Array<string>(n);
  const weights = new Array<bigint>(n);
  const cumulative = new Array<bigint>(n);
  const families = new Array<string | null>(n);
  const familyIndex = new Map<string, FamilyIndex>();
  let running = 0n;
  for (let i = 0; i < n; i++) {
    const e = document.validators[i]!;
    const w = BigInt(e.weight);
    ids[i] = e.id;
    weights[i] = w;
    running += w;
    cumulative[i] = running;
    families[i] = e.family;
    if (e.family !== null) {
      let f = familyIndex.get(e.family);
      if (!f) familyIndex.set(e.family, (f = { indices: [], cumulative: [], total: 0n }));
      f.total += w;
      f.indices.push(i);
      f.cumulative.push(f.total);
    }
  }
  return { document, digest: snapshotDigest(document), ids, weights, cumulative, totalWeight: running, families, familyIndex };
}

/**
 * JCS text of a snapshot document, written directly for this fixed shape.
 * Equal to canonicalJson(document) (a property test holds it to that); the
 * generic path builds a deeply concatenated string that took seconds to hash
 * at 100,000 validators, this one joins an array into one flat string.
 */
export function snapshotDocumentJson(document: SnapshotDocument): string {
  const q = JSON.stringify;
  const entries = document.validators.map(
    (e) =>
      `{"family":${e.family === null ? "null" : q(e.family)},"id":${q(e.id)},"reputationBps":${e.reputationBps},` +
      `"stake":${q(e.stake)},"standing":${q(e.standing)},"weight":${q(e.weight)}}`,
  );
  const rule = document.weightRule;
  return (
    `{"format":${q(document.format)},"totalWeight":${q(document.totalWeight)},"validators":[${entries.join(",")}],` +
    `"weightRule":{"probationWeightBps":${rule.probationWeightBps},"reputationFloorBps":${rule.reputationFloorBps}}}`
  );
}

/** digestOf(document), computed through the direct writer. */
export function snapshotDigest(document: SnapshotDocument): Digest {
  return `0x${hash("sha256", snapshotDocumentJson(document), "hex")}`;
}
