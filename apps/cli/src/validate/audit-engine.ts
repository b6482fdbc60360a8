// What `assay validate` needs from the audit engine. The implementation over
// @assay/audit's child-process runner is in child-process-engine.ts; tests can
// pass their own.
import type { AuditReport, Rollout } from "@assay/protocol";
import type { ScenarioProgress } from "../render/progress";
import type { LoadedRuntime } from "../runtime-dir/load";

export type AuditRequest = {
  runtime: LoadedRuntime;
  suite: string;
  seed: number;
  /** Rollout modes (`srip13.mode`); absent: enforce. */
  rollout?: Rollout;
  /** Audit child processes at once (the report does not depend on it); absent: 1. */
  parallelism?: number;
};

export interface AuditEngine {
  /** Ids of the suites this engine can run. */
  suiteIds(): readonly string[];
  run(request: AuditRequest, onProgress: (progress: ScenarioProgress) => void): Promise<AuditReport>;
}
