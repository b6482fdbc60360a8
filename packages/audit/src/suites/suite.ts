// What a suite is: versioned scenarios, a run plan for a seed, and the synthetic
// model it runs them against. The engine runs the plan; findings and the report
// read the runs.
import type { Manifest } from "@assay/protocol";
import type { ScenarioDefinition, SyntheticModel } from "../types";

export type PlannedRun = {
  /** Unique id of the run within the audit, e.g. "long-horizon" or "stability/long-horizon@2". */
  runId: string;
  scenario: ScenarioDefinition;
  seed: number;
  /** Runs of the stability scenario (several seeds of one scenario). */
  stabilityOf?: string;
  /** A replay of another run with the same scenario and seed (determinism check). */
  replayOf?: string;
};

export type SuiteDefinition = {
  id: string;
  version: string;
  /** The metric profile the suite's report is computed under. */
  profile: string;
  scenarios: ScenarioDefinition[];
  plan(seed: number): PlannedRun[];
  createModel(scenario: ScenarioDefinition, seed: number, manifest: Manifest): SyntheticModel;
};
