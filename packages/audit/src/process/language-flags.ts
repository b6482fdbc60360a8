// Extra Node flags for the audit child of a runtime's language. A Python
// runtime reaches JavaScript through Pyodide's FFI if it escapes the harness's
// Python-level guards, so its child also refuses code generation from strings
// (no eval/new Function, hence no dynamic import() of node:child_process from
// a string). docs/decisions/0015-python-runtimes.md.
import { manifestLanguage, type Manifest } from "@assay/protocol";

export function languageFlags(manifest: Manifest): string[] {
  if (manifestLanguage(manifest) !== "python") return [];
  return ["--disallow-code-generation-from-strings"];
}

/**
 * Wall-clock time added to the kill deadline for the engine's own start-up:
 * loading Pyodide takes ~3 s on an idle 2-core machine and over 10 s on a
 * loaded one, before the runtime runs at all.
 */
export function startupAllowanceMs(manifest: Manifest): number {
  return manifestLanguage(manifest) === "python" ? 60_000 : 0;
}

/**
 * Child processes an audit of this manifest runs at once: the asked-for
 * parallelism, at most one per run, and 1 for Python runtimes (each child would
 * load its own Pyodide, seconds and ~200 MB each, and the Python engine's
 * meter is not part of the parallel merge's proof; decision 0025).
 */
export function effectiveParallelism(requested: number, manifest: Manifest, runs: number): number {
  if (!Number.isInteger(requested) || requested < 1) throw new RangeError(`parallelism must be a positive integer, got ${requested}`);
  if (manifestLanguage(manifest) === "python") return 1;
  return Math.max(1, Math.min(requested, runs));
}
