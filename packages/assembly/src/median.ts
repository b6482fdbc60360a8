// Stake-weighted median (Bittensor Yuma's consensus on scores): the smallest
// score s such that the weight of scores ≤ s is at least half the total. Ties
// in score are ordered by validator id, so the result never depends on input
// order. A minority of any weight below one half cannot move it past the
// scores of the majority — which is why it clips outliers better than a mean.

export type WeightedScore = { validatorId: string; score: number; weight: bigint };

export function weightedMedian(entries: readonly WeightedScore[]): number | null {
  const positive = entries.filter((e) => e.weight > 0n);
  if (positive.length === 0) return null;
  const sorted = [...positive].sort((a, b) =>
    a.score !== b.score ? a.score - b.score : a.validatorId < b.validatorId ? -1 : a.validatorId > b.validatorId ? 1 : 0,
  );
  const total = sorted.reduce((s, e) => s + e.weight, 0n);
  let running = 0n;
  for (const e of sorted) {
    running += e.weight;
    if (running * 2n >= total) return e.score;
  }
  return sorted[sorted.length - 1]!.score;
}
