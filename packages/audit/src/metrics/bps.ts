// Conversions into basis points. Everything that leaves the metrics is an
// integer in 0..10000 (round half up), so reports hash identically everywhere.
import { BPS } from "./profile";

/** Round half up of n/d for non-negative integers, exact (no floating point). */
export function divRoundHalfUp(n: number, d: number): number {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || n < 0 || d <= 0) {
    throw new RangeError(`divRoundHalfUp needs integers n >= 0, d > 0 (got ${n}/${d})`);
  }
  return Math.floor((2 * n + d) / (2 * d));
}

/** Share n/d in basis points, exact; n <= d is not required but the result is clamped. */
export function ratioBps(n: number, d: number): number {
  return clampBps(divRoundHalfUp(n * BPS, d));
}

/** A float ratio in basis points: clamp to [0,1], then round half up. */
export function toBps(x: number): number {
  if (Number.isNaN(x)) throw new RangeError("toBps: NaN");
  if (x <= 0) return 0;
  if (x >= 1) return BPS;
  return clampBps(Math.floor(x * BPS + 0.5));
}

export function clampBps(v: number): number {
  return v < 0 ? 0 : v > BPS ? BPS : v;
}
