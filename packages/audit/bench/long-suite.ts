// Bench support: suite `core` with every scenario's script repeated `factor`
// times (k× the turns of core, same plan, models and seeds), to show how an
// audit's time grows with its length. Resolvable by ModuleRef in a child process.
import { coreSuite } from "../src/suites/core";
import type { SuiteDefinition } from "../src/suites/suite";
import type { ScenarioDefinition } from "../src/types";

export function longCoreSuite(options: { factor: number }): SuiteDefinition {
  const factor = options.factor;
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError("factor must be a positive integer");
  const wrapped = new Map<ScenarioDefinition, ScenarioDefinition>();
  const long = (scenario: ScenarioDefinition): ScenarioDefinition => {
    let found = wrapped.get(scenario);
    if (!found) {
      found = { ...scenario, script: (seed, manifest) => Array.from({ length: factor }, () => scenario.script(seed, manifest)).flat() };
      wrapped.set(scenario, found);
    }
    return found;
  };
  return {
    ...coreSuite,
    id: factor === 1 ? coreSuite.id : `core-x${factor}`,
    scenarios: coreSuite.scenarios.map(long),
    plan: (seed) => coreSuite.plan(seed).map((run) => ({ ...run, scenario: long(run.scenario) })),
    createModel: (scenario, seed, manifest) => coreSuite.createModel(coreSuite.scenarios.find((s) => s.id === scenario.id) ?? scenario, seed, manifest),
  };
}
