// Suite `core`: seven scenarios (SPEC §4). Stability re-runs the long-horizon
// and drift-pressure scenarios under two more seeds and replays the long-horizon
// run under the audit seed to catch non-determinism.
import { createSyntheticModel, SYNTHETIC_MODEL_VERSION } from "../../model";
import type { PlannedRun, SuiteDefinition } from "../suite";
import { driftPressure, identityPressure, longHorizon, multiSession, providerFaults, syncContainment } from "./scenarios";

// 1.1.0: scenarios declare the SRIPs they test; synthetic model 1.1.0 (names by statement).
export const CORE_SUITE_VERSION = "1.1.0";
export const STABILITY_SEEDS = 2;

/** Derived seeds for the stability scenario: deterministic, distinct from the audit seed. */
export function stabilitySeed(seed: number, k: number): number {
  return (seed + 7919 * k) % 2147483647;
}

const scenarios = [longHorizon, driftPressure, identityPressure, multiSession, providerFaults, syncContainment];

export const coreSuite: SuiteDefinition = {
  id: "core",
  version: `${CORE_SUITE_VERSION}+${SYNTHETIC_MODEL_VERSION}`,
  profile: "srs.profile.core.v1",
  scenarios,
  plan(seed: number): PlannedRun[] {
    const runs: PlannedRun[] = scenarios.map((scenario) => ({ runId: scenario.id, scenario, seed }));
    for (const scenario of [longHorizon, driftPressure]) {
      for (let k = 1; k <= STABILITY_SEEDS; k++) {
        const s = stabilitySeed(seed, k);
        runs.push({ runId: `stability/${scenario.id}@${s}`, scenario, seed: s, stabilityOf: scenario.id });
      }
    }
    runs.push({ runId: `stability/${longHorizon.id}@replay`, scenario: longHorizon, seed, replayOf: longHorizon.id });
    return runs;
  },
  createModel(scenario, seed, manifest) {
    return createSyntheticModel({ manifest, seed, scenarioId: scenario.id });
  },
};

export { longHorizon, driftPressure, identityPressure, multiSession, providerFaults, syncContainment };
