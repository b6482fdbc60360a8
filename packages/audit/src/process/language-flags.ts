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
