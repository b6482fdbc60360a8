// Development aid: run suite `core` scenarios on a runtime directory in-process
// and print the measured DI trajectory, to calibrate the synthetic model.
// Usage: npx tsx scripts/calibrate.ts <runtime-dir> [scenario-id] [seed]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ManifestSchema } from "@assay/protocol";
import { runScenario } from "../src/engine/run-scenario";
import { resolveSandboxLimits } from "../src/sandbox/limits";
import { coreSuite } from "../src/suites/core";
import { analyzeRun } from "../src/metrics";

async function main() {
  const [dir, only, seedArg] = process.argv.slice(2);
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(dir!, "sigma-runtime.json"), "utf8")));
  const source = readFileSync(join(dir!, manifest.entry), "utf8");
  const seed = Number(seedArg ?? 1);
  for (const scenario of coreSuite.scenarios) {
    if (only && scenario.id !== only) continue;
    const t0 = Date.now();
    const run = await runScenario({ scenario, seed, manifest, bundleSource: source, limits: resolveSandboxLimits(), model: coreSuite.createModel(scenario, seed, manifest) });
    const a = analyzeRun(run, scenario.id, 0);
    const dis = a.measurement.perRecord.map((m) => (m.di === null ? "  ." : String(Math.round(m.di / 100)).padStart(3)));
    const rep = run.records.map((r) => (r.packet ? String(Math.round(r.packet.payload.drift_metrics.di * 100)).padStart(3) : "  -"));
    const pub = run.records.map((r) => (r.published.length ? "  P" : "  ."));
    const valid = a.measurement.perRecord.filter((m) => m.di !== null).map((m) => m.di!);
    console.log(`${scenario.id}: turns=${run.records.length} completed=${run.completed} maxDI=${Math.max(...valid)} ms=${Date.now() - t0}`);
    const fault = run.records.find((r) => r.fault);
    if (fault) console.log("  fault", fault.index, fault.fault);
    for (let i = 0; i < dis.length; i += 30) {
      console.log("  measured", dis.slice(i, i + 30).join(""));
      console.log("  reported", rep.slice(i, i + 30).join(""));
      console.log("  publish ", pub.slice(i, i + 30).join(""));
    }
    if (process.env.SHOW) for (const r of run.records.slice(0, Number(process.env.SHOW))) console.log(r.index, r.turn.text, "=>", r.reply);
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
