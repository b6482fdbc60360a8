import fc from "fast-check";
import { canonicalJson, digestOf, DIGEST_PATTERN, sha256Hex, sha256HexPortable, useSha256Implementation } from "../src";
import { nodeSha256Hex, useNodeSha256 } from "../src/node";

// Arbitrary JSON values without -0 (JCS maps -0 to 0, which we reject on purpose).
const jsonValue = fc.jsonValue().filter((v) => !JSON.stringify(v).includes("-0") || true);
const safe = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? 0 : x)));

function shuffleKeys(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rand));
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    entries.sort(() => rand() - 0.5);
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, rand)]));
  }
  return value;
}

describe("canonical JSON (RFC 8785)", () => {
  it("matches the RFC 8785 example ordering and number forms", () => {
    expect(canonicalJson({ b: 2, a: [1, "x", { d: true, c: null }], "€": 1e21, n: 1.5 })).toBe(
      '{"a":[1,"x",{"c":null,"d":true}],"b":2,"n":1.5,"€":1e+21}',
    );
  });

  it("is independent of key order (property)", () => {
    fc.assert(
      fc.property(jsonValue, fc.integer(), (raw, seed) => {
        const value = safe(raw);
        let s = seed;
        const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
        expect(canonicalJson(shuffleKeys(value, rand))).toBe(canonicalJson(value));
      }),
    );
  });

  it("round-trips: parsing the canonical text gives an equal value (property)", () => {
    fc.assert(
      fc.property(jsonValue, (raw) => {
        const value = safe(raw);
        expect(JSON.parse(canonicalJson(value))).toEqual(value);
      }),
    );
  });

  it("is idempotent (property)", () => {
    fc.assert(
      fc.property(jsonValue, (raw) => {
        const once = canonicalJson(safe(raw));
        expect(canonicalJson(JSON.parse(once))).toBe(once);
      }),
    );
  });

  it("gives distinct digests for distinct canonical values (property)", () => {
    fc.assert(
      fc.property(jsonValue, jsonValue, (a, b) => {
        const [x, y] = [safe(a), safe(b)];
        fc.pre(canonicalJson(x) !== canonicalJson(y));
        expect(digestOf(x)).not.toBe(digestOf(y));
      }),
    );
  });

  it("writes digests as 0x + 64 hex", () => {
    expect(digestOf({ a: 1 })).toMatch(DIGEST_PATTERN);
    expect(digestOf({ a: 1 })).toBe(digestOf({ a: 1 }));
  });

  it.each([
    [{ x: Number.NaN }, "non-finite"],
    [{ x: Infinity }, "non-finite"],
    [{ x: -0 }, "negative zero"],
    [{ x: undefined }, "undefined"],
    [{ x: () => 1 }, "not JSON"],
  ])("rejects values JSON cannot carry faithfully: %p", (value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it("names the path of a bad value however deep, and accepts every JSON value (property)", () => {
    const bad = fc.constantFrom<[unknown, string]>([Number.NaN, "non-finite"], [-Infinity, "non-finite"], [-0, "negative zero"], [undefined, "undefined"], [() => 1, "not JSON"], [1n, "not JSON"]);
    const step = fc.oneof(fc.record({ key: fc.string({ minLength: 1, maxLength: 6 }) }), fc.record({ index: fc.nat(3) }));
    // fast-check's jsonValue includes -0, which JSON text cannot carry: take values as JSON carries them.
    const json = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    fc.assert(
      fc.property(json, fc.array(step, { maxLength: 6 }), bad, json, (good, steps, [leaf, message], sibling) => {
        expect(() => canonicalJson(good)).not.toThrow();
        // Wrap the bad leaf in containers along the path, each with a good sibling value.
        let value: unknown = leaf;
        let path = "";
        for (const s of [...steps].reverse()) {
          if ("key" in s) {
            value = { [`${s.key}~`]: sibling, [s.key]: value };
            path = `.${s.key}${path}`;
          } else {
            value = [...Array.from({ length: s.index }, () => sibling), value];
            path = `[${s.index}]${path}`;
          }
        }
        expect(() => canonicalJson(value)).toThrow(`$${path}`);
        expect(() => canonicalJson(value)).toThrow(message);
      }),
      { numRuns: 300 },
    );
  });
});

describe("SHA-256: Node's native hash and the browser's @noble/hashes agree", () => {
  afterEach(() => useSha256Implementation((bytes) => sha256HexPortable(bytes)));

  it("on known vectors, bytes and awkward strings (lone surrogates, astral, NUL, large)", () => {
    useNodeSha256();
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const inputs: (string | Uint8Array)[] = ["", "abc", "\u0000", "\ud800", "x\udc00y", "\ud83d\ude00", "é€𝄞", "a".repeat(1_000_003), new Uint8Array([0, 255, 128, 7])];
    for (const input of inputs) expect(sha256Hex(input)).toBe(sha256HexPortable(input));
    fc.assert(fc.property(fc.string({ unit: "binary" }), (text) => sha256Hex(text) === sha256HexPortable(text)), { numRuns: 300 });
  });

  it("digests go through the installed implementation (so Node processes really use the native hash)", () => {
    const seen: number[] = [];
    useSha256Implementation((bytes) => {
      seen.push(bytes.length);
      return nodeSha256Hex(bytes);
    });
    expect(digestOf({ a: 1 })).toBe(`0x${sha256HexPortable('{"a":1}')}`);
    expect(seen).toEqual([7]);
  });
});
