// Defaults shown in --help. This module imports nothing, so the program can
// name them without loading zod, the protocol package or the audit engine.

/**
 * Audit seed when --seed is not given. A fixed default keeps `assay validate`
 * reproducible run to run (same artifact + suite + seed ⇒ same report digest).
 */
export const DEFAULT_AUDIT_SEED = 1;
