import fc from "fast-check";
import { canonicalJson } from "@assay/protocol";
import { wellFormed, wellFormedString } from "../src/sandbox/well-formed";

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("wellFormed (what crosses from the isolate into Node)", () => {
  it("leaves no lone surrogate, keeps every pair and every other code unit, and is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (text) => {
        const out = wellFormedString(text);
        expect(LONE.test(out)).toBe(false);
        expect(out.length).toBe(text.length);
        expect(wellFormedString(out)).toBe(out);
        if (!LONE.test(text)) expect(out).toBe(text);
      }),
    );
  });

  it("makes any parsed JSON value canonicalisable (keys included) without turning __proto__ into a prototype", () => {
    fc.assert(
      fc.property(fc.json({ depthSize: "small" }), fc.string({ unit: "binary", maxLength: 8 }), (json, extra) => {
        const value = wellFormed({ ...(JSON.parse(json) as object), [extra]: extra, nested: [extra, { [extra]: 1 }] });
        expect(() => canonicalJson(value)).not.toThrow();
      }),
    );
    const parsed = wellFormed(JSON.parse('{"__proto__":{"polluted":1},"a":"\\ud800"}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsed.a).toBe("\uFFFD");
    expect(Object.keys(parsed)).toEqual(["__proto__", "a"]);
  });
});
