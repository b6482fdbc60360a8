// The progress events' measured DI (latestMeasuredDi) looks only at the last
// window of the session; it must equal what measuring the whole session so far
// gives for its last turn — the definition it replaced — on every prefix of
// generated runs, and on every prefix of real audit runs (one drifting, one
// careful runtime, all scenarios of suite core, the multi-session one included)
// against the full run's per-session measure, every 20th against the definition.
import fc from "fast-check";
import { runSuite } from "../src/engine";
import { latestMeasuredDi, measureRun, measureScope } from "../src/metrics";
import { coreSuite } from "../src/suites/core";
import type { TurnRecord } from "../src/types";
import { runOf, type TurnSpec } from "./fixtures/records";
import { loadExample } from "./support/load-example";

jest.setTimeout(180_000);

/** The definition: measure the last record's whole session so far, take its last turn. */
function wholeSessionDi(records: readonly TurnRecord[]): number | null {
  const last = records.at(-1);
  if (!last) return null;
  return measureScope(records.filter((r) => r.turn.session === last.turn.session)).measures.at(-1)?.di ?? null;
}

function expectEveryPrefixAgrees(records: readonly TurnRecord[]): number {
  let measured = 0;
  for (let n = 0; n <= records.length; n++) {
    const prefix = records.slice(0, n);
    const expected = wholeSessionDi(prefix);
    expect(latestMeasuredDi(prefix)).toBe(expected);
    if (expected !== null) measured += 1;
  }
  return measured;
}

const turnArb: fc.Arbitrary<TurnSpec> = fc
  .record({
    sentences: fc.array(fc.option(fc.record({ onTask: fc.boolean(), motif: fc.boolean() }), { freq: 5 }), { maxLength: 5 }),
    reply: fc.constantFrom<(string | null | undefined)[]>(undefined, undefined, undefined, null, "   "),
    modelFault: fc.constantFrom(undefined, undefined, undefined, "provider_error"),
    session: fc.constantFrom("a", "a", "b", "c"),
  })
  .map((t) => {
    const spec: TurnSpec = { sentences: t.sentences, session: t.session };
    if (t.reply !== undefined) spec.reply = t.reply;
    if (t.modelFault !== undefined) spec.modelFault = t.modelFault;
    return spec;
  });

describe("latestMeasuredDi equals the whole-session measure of the last turn", () => {
  it("on every prefix of generated runs (sessions interleaved, turns without replies, model faults)", () => {
    fc.assert(
      fc.property(fc.array(turnArb, { maxLength: 40 }), fc.constantFrom<("fresh" | "fixed")[]>("fresh", "fixed"), (specs, vocabulary) => {
        expectEveryPrefixAgrees(runOf(specs, { vocabulary }).records);
      }),
      { numRuns: 200 },
    );
  });

  it.each(["passthrough", "reference"])("on every prefix of every run of a real core audit (%s)", async (name) => {
    const example = loadExample(name);
    const result = await runSuite({ suite: coreSuite, seed: 1, manifest: example.manifest, bundleSource: example.bundleSource });
    let measured = 0;
    for (const run of result.runs) {
      // Every prefix against the session measure of the full run (a turn's measure depends on earlier
      // turns only), and every 20th prefix against the definition itself (quadratic: sampled).
      const perRecord = measureRun(run).perRecord;
      run.records.forEach((_, i) => {
        const prefix = run.records.slice(0, i + 1);
        expect(latestMeasuredDi(prefix)).toBe(perRecord[i]!.di);
        if (i % 20 === 0 || i === run.records.length - 1) expect(latestMeasuredDi(prefix)).toBe(wholeSessionDi(prefix));
        if (perRecord[i]!.di !== null) measured += 1;
      });
    }
    // The comparison is not vacuous: most turns of a core audit have a measured DI.
    expect(measured).toBeGreaterThan(result.runs.reduce((n, r) => n + r.records.length, 0) / 2);
    expect(result.runs.some((r) => new Set(r.records.map((x) => x.turn.session)).size > 1)).toBe(true);
  });
});
