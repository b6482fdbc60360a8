import fc from "fast-check";
import { AssemblyError, drawSeats, drawSeed, DrawStream, snapshotEligible, snapshotFromDocument, type ValidatorInput } from "../src";
import { hex32, PARAMS, validator } from "./helpers";

describe("drawSeed", () => {
  it("is SHA-256 over the length-prefixed beacon, assembly id and round", () => {
    const { createHash } = require("node:crypto") as typeof import("node:crypto");
    const beacon = Buffer.from("00ff", "hex");
    const id = Buffer.from("asm-1", "utf8");
    const u32 = (n: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    const expected = createHash("sha256").update(Buffer.concat([u32(2), beacon, u32(5), id, u32(3)])).digest("hex");
    expect(drawSeed("0x00ff", "asm-1", 3)).toBe(`0x${expected}`);
  });

  it("separates inputs that plain concatenation would confuse", () => {
    expect(drawSeed("0x01", "2asm", 1)).not.toBe(drawSeed("0x0132", "asm", 1));
    expect(drawSeed("0x01", "a", 1)).not.toBe(drawSeed("0x01", "a", 2));
    expect(drawSeed("0xAB", "a", 1)).toBe(drawSeed("0xab", "a", 1));
  });

  it("refuses malformed beacons, ids and rounds", () => {
    expect(() => drawSeed("abcd", "a", 1)).toThrow(AssemblyError);
    expect(() => drawSeed("0xabc", "a", 1)).toThrow(AssemblyError);
    expect(() => drawSeed("0xab", "", 1)).toThrow(AssemblyError);
    expect(() => drawSeed("0xab", "a", 0)).toThrow(AssemblyError);
  });
});

describe("DrawStream", () => {
  it("is reproducible and stays below the bound", () => {
    const a = new DrawStream(hex32("s") as `0x${string}`);
    const b = new DrawStream(hex32("s") as `0x${string}`);
    for (let i = 0; i < 50; i++) {
      const x = a.below(7n);
      expect(x).toBe(b.below(7n));
      expect(x >= 0n && x < 7n).toBe(true);
    }
  });
});

const idArb = fc.stringMatching(/^[a-z0-9]{1,6}$/);
const validatorArb = fc.record({
  stake: fc.bigInt({ min: 0n, max: 10n ** 9n }),
  reputationBps: fc.integer({ min: 0, max: 10_000 }),
  standing: fc.constantFrom("active" as const, "probation" as const, "suspended" as const),
  kind: fc.constantFrom("person" as const, "agent" as const),
  modelFamily: fc.option(fc.constantFrom("gpt", "claude", "gemini", "llama"), { nil: null }),
});
const populationArb = fc
  .uniqueArray(idArb, { minLength: 1, maxLength: 30 })
  .chain((ids) => fc.tuple(fc.constant(ids), fc.array(validatorArb, { minLength: ids.length, maxLength: ids.length }), fc.subarray(ids)))
  .map(([ids, vs, conflicts]) => ({ validators: ids.map((id, i): ValidatorInput => ({ id, ...vs[i]! })), conflicts }));
const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString("hex")}` as `0x${string}`);

describe("drawSeats", () => {
  it("recomputes the same seats from the snapshot document and seed, never seats twice, a conflicted, suspended or weightless validator (property)", () => {
    fc.assert(
      fc.property(populationArb, seedArb, fc.integer({ min: 1, max: 12 }), fc.boolean(), ({ validators, conflicts }, seed, seatCount, diversity) => {
        const snapshot = snapshotEligible(validators, { conflicts, params: PARAMS });
        if (snapshot.ids.length === 0) {
          expect(() => drawSeats(snapshot, seed, seatCount)).toThrow(expect.objectContaining({ code: "NO_ELIGIBLE_VALIDATORS" }));
          return;
        }
        const seats = drawSeats(snapshot, seed, seatCount, { diversity });
        const replayed = drawSeats(snapshotFromDocument(JSON.parse(JSON.stringify(snapshot.document)), snapshot.digest), seed, seatCount, { diversity });
        expect(replayed).toEqual(seats);
        const ids = seats.map((s) => s.validatorId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(seats.length).toBe(Math.min(seatCount, snapshot.ids.length));
        const byId = new Map(validators.map((v) => [v.id, v]));
        for (const id of ids) {
          expect(conflicts).not.toContain(id);
          expect(byId.get(id)!.standing).not.toBe("suspended");
          expect(BigInt(seats.find((s) => s.validatorId === id)!.weight) > 0n).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("repeats a model family only when no validator of a new family (or a person) is left (property)", () => {
    fc.assert(
      fc.property(populationArb, seedArb, fc.integer({ min: 1, max: 12 }), ({ validators }, seed, seatCount) => {
        const snapshot = snapshotEligible(validators, { params: PARAMS });
        if (snapshot.ids.length === 0) return;
        const seats = drawSeats(snapshot, seed, seatCount, { diversity: true });
        seats.forEach((seat, j) => {
          const before = seats.slice(0, j);
          const usedFamilies = new Set(before.map((s) => s.family).filter((f) => f !== null));
          if (seat.family === null || !usedFamilies.has(seat.family)) return;
          const seatedIds = new Set(before.map((s) => s.validatorId));
          const diverseLeft = snapshot.ids.some((id, i) => !seatedIds.has(id) && (snapshot.families[i] === null || !usedFamilies.has(snapshot.families[i]!)));
          expect(diverseLeft).toBe(false);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("falls back to repeating families when the eligible set has too few", () => {
    const snapshot = snapshotEligible(
      ["a", "b", "c", "d"].map((id) => validator(id, { kind: "agent", modelFamily: id < "c" ? "gpt" : "claude" })),
    );
    const seats = drawSeats(snapshot, hex32("x") as `0x${string}`, 4);
    expect(seats).toHaveLength(4);
    expect(new Set(seats.slice(0, 2).map((s) => s.family)).size).toBe(2);
  });

  it("ignores families with diversity off and treats persons as their own opinion", () => {
    const vs = [validator("p1"), validator("p2"), validator("p3")];
    const seats = drawSeats(snapshotEligible(vs), hex32("y") as `0x${string}`, 3);
    expect(seats.map((s) => s.validatorId).sort()).toEqual(["p1", "p2", "p3"]);
  });

  it("seats validators in proportion to weight over a fixed set of seeds (chi-square, df = 9, p = 0.001 critical value 27.88)", () => {
    const stakes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => BigInt(k) * 100_000n);
    const snapshot = snapshotEligible(stakes.map((stake, i) => validator(`w${i}`, { stake, reputationBps: 10_000 })));
    const draws = 5_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < draws; i++) {
      const [seat] = drawSeats(snapshot, drawSeed(`0x${i.toString(16).padStart(8, "0")}`, "chi-square", 1), 1);
      counts.set(seat!.validatorId, (counts.get(seat!.validatorId) ?? 0) + 1);
    }
    const total = Number(snapshot.totalWeight);
    let chi2 = 0;
    snapshot.ids.forEach((id, i) => {
      const expected = (draws * Number(snapshot.weights[i]!)) / total;
      chi2 += ((counts.get(id) ?? 0) - expected) ** 2 / expected;
    });
    expect(chi2).toBeLessThan(27.88);
    // And it is not trivially uniform: the heaviest is drawn far more than the lightest.
    expect(counts.get("w9")!).toBeGreaterThan(5 * counts.get("w0")!);
  });

  it("refuses a non-positive seat count", () => {
    expect(() => drawSeats(snapshotEligible([validator("a")]), hex32("z") as `0x${string}`, 0)).toThrow(AssemblyError);
  });
});
