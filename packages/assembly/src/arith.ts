// Integer arithmetic shared by weight, tally and settlement. Everything that is
// hashed or moves stake is an integer: bigint for stake-sized amounts, plain
// integers for basis points (0..10_000).

export const BPS = 10_000;
export const BPS_BIG = 10_000n;

/** floor(value × bps / 10_000) for non-negative amounts. */
export function applyBps(value: bigint, bps: number): bigint {
  return (value * BigInt(bps)) / BPS_BIG;
}

/**
 * One EMA step in basis points: floor(((10_000 − α)·current + α·target) / 10_000).
 * Flooring keeps the result an integer in [0, 10_000] whatever the inputs
 * (both terms are in range), and the same on every machine.
 */
export function emaBps(current: number, target: number, alphaBps: number): number {
  return Math.floor(((BPS - alphaBps) * current + alphaBps * target) / BPS);
}

/** floor(part × 10_000 / whole) as a number, 0 when whole is 0. */
export function ratioBps(part: bigint, whole: bigint): number {
  if (whole === 0n) return 0;
  return Number((part * BPS_BIG) / whole);
}

/** Canonical decimal text of a non-negative integer amount (how amounts are hashed). */
export const amountText = (value: bigint): string => value.toString(10);

export const AMOUNT_PATTERN = /^(0|[1-9][0-9]*)$/;

/**
 * Split `total` among shares proportionally to `weights` with integers only:
 * each gets floor(total·w/W); the units left over go one each to the largest
 * fractional remainders, ties broken by the order of `weights` (callers pass
 * them sorted by validator id). Hamilton's method: deterministic and exact
 * (the parts always sum to `total`).
 */
export function splitProportionally(total: bigint, weights: readonly bigint[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n || total === 0n) return weights.map(() => 0n);
  const parts = weights.map((w) => (total * w) / sum);
  const remainders = weights.map((w, index) => ({ index, rest: (total * w) % sum }));
  let left = total - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index] = parts[index]! + 1n;
    left -= 1n;
  }
  return parts;
}
