import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { measureGas } from "../../scripts/gas-figures.ts";
import { exceededTargets, GAS_TARGETS } from "../../scripts/gas-targets.ts";

describe("gas targets", () => {
  it("keeps a single anchor and a 256-certificate batch within budget", async () => {
    const { figures, baseline } = await measureGas();
    assert.deepEqual(exceededTargets(figures), []);
    assert.ok(figures.anchorSingle <= GAS_TARGETS.anchorSingle);
    assert.ok(figures.anchorBatch256PerCert <= GAS_TARGETS.anchorBatch256PerCert);
    // Storing one slot instead of the baseline's two must show in the figures.
    assert.ok(figures.anchorSingle < baseline.recordSingle, `${figures.anchorSingle} vs baseline ${baseline.recordSingle}`);
  });

  it("flags a figure over its target", () => {
    const over = exceededTargets({ anchorSingle: 60_001, anchorBatch256PerCert: 5_000, revoke: 0, stake: 0, slash: 0 });
    assert.deepEqual(over, ["anchorSingle 60001 > 60000"]);
  });
});
