// The sandbox speed work (docs/decisions/0027-sandbox-speed.md) must not change
// a single transcript: budgets are gas counted inside the QuickJS binary, and
// gas depends on every call into it (heap history included). These pins were
// recorded on the code before that work (engine 1.1.0) and must hold as long
// as ENGINE_VERSION does; a deliberate change bumps the engine version and adds
// an entry here. The fast paths are checked against what they replace.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ManifestSchema, digestOf } from "@assay/protocol";
import { createProbeSuite, ENGINE_VERSION, runSuite } from "../src/engine";
import { wordCount } from "../src/model/text";
import { readNames } from "../src/model";
import { parseWellFormed, wellFormed } from "../src/sandbox/well-formed";
import { meterWasm } from "../src/sandbox/wasm-meter";
import { EXAMPLES } from "./support/load-example";

jest.setTimeout(180_000);

/** Transcript digest + units of the raw example source under a small probe plan, seed 7, per engine version. */
const PINNED: Record<string, Record<string, { digest: string; units: number }>> = {
  "1.1.0": {
    reference: { digest: "0xd740c8cb24567633bc291d6aa8a4e6fc3881db3532a2213dd9a20a1acbb1833a", units: 222 },
    "careful-alt": { digest: "0xa8e0f2c0392df1279ccf20e96542204bfdf93c7b61ed4e73e5df503dea45d96f", units: 294 },
  },
};

describe.each(["reference", "careful-alt"])("%s: transcript pinned for the engine version", (name) => {
  it("has the digest and budget recorded before the speed work", async () => {
    const dir = join(EXAMPLES, name);
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(dir, "sigma-runtime.json"), "utf8")));
    const result = await runSuite({
      suite: createProbeSuite({ turns: 12, runs: 2, faultTurn: 5 }),
      seed: 7,
      manifest,
      bundleSource: readFileSync(join(dir, manifest.entry), "utf8"),
    });
    const pinned = PINNED[ENGINE_VERSION]?.[name];
    expect(pinned).toBeDefined();
    expect({ digest: digestOf(result.runs.map((r) => r.records)), units: result.usage.budgetUnits }).toEqual(pinned);
  });
});

/** A deterministic generator of awkward strings: every JavaScript whitespace, surrogates, letters, JSON escapes. */
function awkward(seed: number, length: number): string {
  const pieces = [" ", "\t", "\n", "\r", "\v", "\f", "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u200b", "a", "Zé", "42", "\ud83d\ude00", "\ud800", "\udc00", "\\", '"', "x y"];
  let state = seed >>> 0;
  let out = "";
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out += pieces[state % pieces.length];
  }
  return out;
}

describe("fast paths equal what they replace", () => {
  it("wordCount counts like trim().split(/\\s+/)", () => {
    const reference = (text: string) => {
      const words = text.trim().split(/\s+/);
      return words[0] === "" ? 0 : words.length;
    };
    for (const text of ["", " ", "one", " one  two ", "\u00a0a\u2028b\ufeffc\u200bd"]) expect(wordCount(text)).toBe(reference(text));
    for (let seed = 1; seed <= 400; seed++) {
      const text = awkward(seed, seed % 40);
      expect([text, wordCount(text)]).toEqual([text, reference(text)]);
    }
  });

  it("parseWellFormed equals wellFormed(JSON.parse(text)), escaped and raw lone surrogates included", () => {
    const texts = [
      '{"a":"\\ud800","b":["\\uDC00x","ok"]}',
      '{"\\udbff":1,"__proto__":{"x":"\\uD83D\\uDE00"}}',
      JSON.stringify({ raw: "a\ud800b", pair: "\ud83d\ude00", key: { "\udc00": "v" } }),
      '{"escaped backslash":"\\\\ud800"}',
      '["plain",1,null,true,{"n":-0.5}]',
    ];
    for (let seed = 1; seed <= 200; seed++) texts.push(JSON.stringify({ [awkward(seed + 7, 3)]: awkward(seed, seed % 25), list: [awkward(seed * 3, 5)] }));
    for (const text of texts) expect(parseWellFormed(text)).toEqual(wellFormed(JSON.parse(text)));
    expect(() => parseWellFormed("{")).toThrow(SyntaxError);
  });

  it("name forms are found with the first-word prefilter as before (case folding included)", () => {
    const parts = ["You are ATLAS, a planner.", "your display name is now  Nova", "Never call yourself Nova.", "call me Ace", "Lee goes by Kit", "you are \u212Aestrel"];
    const found = readNames(parts, ["Atlas", "Nova", "Kestrel", "Orion"], ["Ace", "Kit", "Bo"]);
    expect(found.names.map((n) => n.name)).toEqual(["Atlas", "Nova", "Kestrel"]);
    expect(found.nicknames.map((n) => [n.nickname, n.participant])).toEqual([
      ["Ace", null],
      ["Kit", "lee"],
    ]);
  });
});

describe("the uncounted binary (benchmarks only)", () => {
  it("keeps the layout but inserts no gas checks; the default counts every function entry and loop", () => {
    const original = readFileSync(require.resolve("@jitl/quickjs-wasmfile-release-sync/wasm"));
    const metered = meterWasm(original);
    const uncounted = meterWasm(original, { count: false });
    expect(metered.stats.entries).toBeGreaterThan(1000);
    expect(metered.stats.loops).toBeGreaterThan(1000);
    expect(uncounted.stats).toMatchObject({ entries: 0, loops: 0, bulkOps: 0 });
    expect(uncounted.binary.length).toBeLessThan(metered.binary.length);
  });
});
