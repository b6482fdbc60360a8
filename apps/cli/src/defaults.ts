// Defaults shown in --help. This module imports nothing, so the program can
// name them without loading zod, the protocol package or the audit engine.

/**
 * Audit seed when --seed is not given. A fixed default keeps `assay validate`
 * reproducible run to run (same artifact + suite + seed ⇒ same report digest).
 */
export const DEFAULT_AUDIT_SEED = 1;

/**
 * `--parallelism` when not given: one audit child process per core. The report
 * is bit-identical whatever the value (docs/decisions/0025-parallel-audits.md).
 */
export function defaultAuditParallelism(): number {
  // Why require: this module imports nothing at load time (see above).
  const { availableParallelism } = require("node:os") as typeof import("node:os");
  return Math.max(1, availableParallelism());
}
