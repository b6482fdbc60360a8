import fc from "fast-check";
import { applyBps, emaBps, governanceWeight, splitProportionally } from "../src";
import { PARAMS } from "./helpers";

describe("governanceWeight", () => {
  it("is stake × (0.25 + 0.75 × reputation) for active validators", () => {
    expect(governanceWeight(1_000_000n, 10_000, "active", PARAMS)).toBe(1_000_000n);
    expect(governanceWeight(1_000_000n, 0, "active", PARAMS)).toBe(250_000n);
    expect(governanceWeight(1_000_000n, 5_000, "active", PARAMS)).toBe(625_000n);
  });
  it("halves on probation and is zero when suspended or without stake", () => {
    expect(governanceWeight(1_000_000n, 5_000, "probation", PARAMS)).toBe(312_500n);
    expect(governanceWeight(1_000_000n, 10_000, "suspended", PARAMS)).toBe(0n);
    expect(governanceWeight(0n, 10_000, "active", PARAMS)).toBe(0n);
  });
  it("stays exact beyond 2^53 (wei-scale stakes)", () => {
    const stake = 10n ** 24n + 7n;
    expect(governanceWeight(stake, 10_000, "active", PARAMS)).toBe(stake);
  });
  it("is monotone in stake and reputation (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.integer({ min: 0, max: 9_999 }), (stake, extra, rep) => {
        const w = governanceWeight(stake, rep, "active", PARAMS);
        expect(governanceWeight(stake + extra, rep, "active", PARAMS)).toBeGreaterThanOrEqual(w);
        expect(governanceWeight(stake, rep + 1, "active", PARAMS)).toBeGreaterThanOrEqual(w);
        expect(w).toBeLessThanOrEqual(stake);
      }),
    );
  });
});

describe("integer helpers", () => {
  it("applyBps floors", () => {
    expect(applyBps(999n, 100)).toBe(9n);
    expect(applyBps(10_000n, 1)).toBe(1n);
  });
  it("emaBps moves toward the target and stays in range", () => {
    expect(emaBps(5_000, 10_000, 1_000)).toBe(5_500);
    expect(emaBps(5_000, 0, 2_000)).toBe(4_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 10_000), fc.integer({ min: 0, max: 10_000 }), (cur, target, alpha) => {
        const next = emaBps(cur, target, alpha);
        expect(next).toBeGreaterThanOrEqual(0);
        expect(next).toBeLessThanOrEqual(10_000);
        expect(Math.abs(target - next)).toBeLessThanOrEqual(Math.abs(target - cur));
      }),
    );
  });
  it("splitProportionally is exact, proportional within one unit, and gives remainders by order on ties", () => {
    expect(splitProportionally(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(splitProportionally(0n, [1n, 2n])).toEqual([0n, 0n]);
    expect(splitProportionally(5n, [0n, 0n])).toEqual([0n, 0n]);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 20 }), (total, weights) => {
        const parts = splitProportionally(total, weights);
        const sum = weights.reduce((a, b) => a + b, 0n);
        if (sum === 0n) return;
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
        parts.forEach((p, i) => {
          const exactFloor = (total * weights[i]!) / sum;
          expect(p === exactFloor || p === exactFloor + 1n).toBe(true);
        });
      }),
    );
  });
});
