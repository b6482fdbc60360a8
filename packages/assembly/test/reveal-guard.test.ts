import fc from "fast-check";
import { isReveal, RevealSchema } from "../src";
import { ballot, vote } from "./helpers";

const weird = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.boolean(),
  fc.integer({ min: -5, max: 70_000 }),
  fc.double(),
  fc.string({ maxLength: 5 }),
  fc.constantFrom("certify", "reject", "confirm", "dispute", "0x" + "ab".repeat(16), "0x" + "AB".repeat(16), "0x" + "ab".repeat(15), "x".repeat(129), "x".repeat(4_001)),
  fc.dictionary(fc.constantFrom("A@b", "bad key", "CODE@scen", "A@", "Z9_@x@y"), fc.constantFrom<unknown>("confirm", "dispute", "maybe", 1)),
  fc.dictionary(fc.constantFrom("SRIP-03", "SRIP-05", "SRIP-13", "SRIP-99", "srip-05", "__proto__x"), fc.constantFrom<unknown>("grant", "deny", "confirm", undefined, null, 1)),
);
const keys = ["verdict", "stabilityScore", "findingOpinions", "claims", "notes", "assemblyId", "round", "validatorId", "salt", "extra"];

describe("isReveal", () => {
  const base = ballot("asm-g", 2, "val-g", vote("certify", { notes: "n", findingOpinions: { "CODE@scen": "confirm" }, claims: { "SRIP-05": "grant", "SRIP-13": "deny" } })).reveal;

  it("accepts exactly what RevealSchema accepts (property over mutated reveals)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...keys), fc.option(weird, { nil: "__delete__" as const })), { maxLength: 4 }), (mutations) => {
        const candidate: Record<string, unknown> = { ...base };
        for (const [key, value] of mutations) {
          if (value === "__delete__") delete candidate[key];
          else candidate[key] = value;
        }
        expect(isReveal(candidate)).toBe(RevealSchema.safeParse(candidate).success);
      }),
      { numRuns: 2_000 },
    );
  });

  it("accepts a valid reveal and refuses non-objects", () => {
    expect(isReveal(base)).toBe(true);
    for (const v of [null, undefined, 1, "x", [base]]) expect(isReveal(v)).toBe(false);
  });
});
