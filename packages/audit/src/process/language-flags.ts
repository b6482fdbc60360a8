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
