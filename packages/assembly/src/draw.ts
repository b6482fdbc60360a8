// Seat draw (SPEC §5): stake-weighted, by walking cumulative weight in
// validator-id order, with no validator seated twice and, when enabled, no
// model family repeated while the eligible set allows.
//
// For each seat, the *available* validators are those not yet seated and —
// while at least one validator of an unseated family (or a person / an agent
// without family) remains — not of a family already seated. With A the total
// available weight, the next uniform draw x ∈ [0, A) from the seed stream picks
// the available validator whose interval contains x when the available
// validators' weights are laid end to end in id order. When no diverse choice
// is left, the family rule falls back to "not yet seated" only. When every
// eligible validator is seated, the draw stops with fewer seats than asked.
//
// This is exactly "sample proportionally to weight among the available", and
// the index makes each seat O(log² N) instead of a walk over the whole set.
import type { Digest } from "@assay/protocol";
import { z } from "zod";
import { amountText } from "./arith";
import { AssemblyError } from "./errors";
import { DrawStream } from "./seed";
import type { EligibleSnapshot, FamilyIndex } from "./snapshot";

export const SeatSchema = z
  .object({
    validatorId: z.string().min(1).max(128),
    weight: z.string().regex(/^[1-9][0-9]*$/),
    family: z.string().nullable(),
  })
  .strict();
export type Seat = z.infer<typeof SeatSchema>;

export type DrawOptions = { diversity?: boolean };

/** Weight of a family's members at snapshot positions ≤ position. */
function familyPrefix(family: FamilyIndex, position: number): bigint {
  let lo = 0;
  let hi = family.indices.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (family.indices[mid]! <= position) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? 0n : family.cumulative[found]!;
}

export function drawSeats(snapshot: EligibleSnapshot, seed: Digest, seatCount: number, options: DrawOptions = {}): Seat[] {
  if (!Number.isInteger(seatCount) || seatCount < 1) throw new AssemblyError("INVALID_INPUT", `seatCount must be a positive integer`);
  const n = snapshot.ids.length;
  if (n === 0) throw new AssemblyError("NO_ELIGIBLE_VALIDATORS", "the eligible set is empty");
  const diversity = options.diversity ?? true;
  const stream = new DrawStream(seed);
  const seated = new Set<number>();
  const seatedFamilies = new Set<string>();
  const seats: Seat[] = [];

  while (seats.length < Math.min(seatCount, n)) {
    // Validators excluded one by one, and whole families excluded at once.
    let excludedFamilies: FamilyIndex[] = [];
    let excludedPositions: number[] = [];
    let excludedWeight = 0n;
    const familyless = [...seated].filter((i) => snapshot.families[i] === null);
    if (diversity) {
      excludedFamilies = [...seatedFamilies].map((f) => snapshot.familyIndex.get(f)!);
      excludedPositions = familyless;
      excludedWeight =
        excludedFamilies.reduce((s, f) => s + f.total, 0n) + familyless.reduce((s, i) => s + snapshot.weights[i]!, 0n);
    }
    if (!diversity || excludedWeight >= snapshot.totalWeight) {
      // No diverse choice left (or diversity off): only "not yet seated" applies.
      excludedFamilies = [];
      excludedPositions = [...seated];
      excludedWeight = excludedPositions.reduce((s, i) => s + snapshot.weights[i]!, 0n);
    }
    const available = snapshot.totalWeight - excludedWeight;
    if (available <= 0n) break;
    excludedPositions.sort((a, b) => a - b);

    const availableUpTo = (position: number): bigint => {
      let excluded = 0n;
      for (const f of excludedFamilies) excluded += familyPrefix(f, position);
      for (const p of excludedPositions) {
        if (p > position) break;
        excluded += snapshot.weights[p]!;
      }
      return snapshot.cumulative[position]! - excluded;
    };

    const x = stream.below(available);
    // Smallest position whose available cumulative weight exceeds x; that
    // position is necessarily available (its own weight makes the step).
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (availableUpTo(mid) > x) hi = mid;
      else lo = mid + 1;
    }
    seated.add(lo);
    const family = snapshot.families[lo]!;
    if (family !== null) seatedFamilies.add(family);
    seats.push({ validatorId: snapshot.ids[lo]!, weight: amountText(snapshot.weights[lo]!), family });
  }
  return seats;
}
