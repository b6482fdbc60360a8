// Budget accounting is a pure function of the runtime's code and inputs: a
// replay of a run (same scenario, same seed) uses exactly the same CPU units at
// every turn, for every example runtime. (Gas counted inside the QuickJS binary
// includes the allocator's loops, which depend on the heap's history; each run
// gets a pristine WebAssembly instance so that history is always the same.)
import { coreSuite } from "../src/suites/core";
import { runSuite } from "../src/engine";
import { EXAMPLES, loadExample } from "./support/load-example";
import { readdirSync } from "node:fs";

jest.setTimeout(180_000);

// The JavaScript examples that are meant to complete (hostile ones fault; *-py run on another engine).
const names = readdirSync(EXAMPLES).filter((n) => !n.startsWith("hostile-") && !n.endsWith("-py"));

it("has examples to check", () => {
  expect(names).toEqual(expect.arrayContaining(["reference", "careful-alt", "passthrough", "alias-leak", "under-reporter"]));
});

describe.each(names)("%s under suite core", (name) => {
  it("spends the same budget per turn in every replay as in the original run", async () => {
    const { manifest, bundleSource } = loadExample(name);
    const result = await runSuite({ suite: coreSuite, seed: 1, manifest, bundleSource });
    const byRunId = new Map(result.plan.map((p, i) => [p.runId, result.runs[i]!] as const));
    const replays = result.plan.filter((p) => p.replayOf !== undefined);
    expect(replays.length).toBeGreaterThan(0);
    for (const replay of replays) {
      const original = byRunId.get(replay.replayOf!)!;
      const again = byRunId.get(replay.runId)!;
      expect([replay.runId, again.records.map((r) => r.budgetUsed)]).toEqual([replay.runId, original.records.map((r) => r.budgetUsed)]);
    }
  });
});
