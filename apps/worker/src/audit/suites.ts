// The audit suites a worker can run, by the id a manifest names. The child
// process resolves a suite from a module path + export (only JSON crosses IPC).
import { dirname, join } from "node:path";
import type { ModuleRef } from "@assay/audit/src/process";

const auditRoot = dirname(require.resolve("@assay/audit/package.json"));

export const SUITES: Readonly<Record<string, ModuleRef>> = {
  core: { module: join(auditRoot, "src", "suites", "core", "index.ts"), export: "coreSuite" },
};

export class UnknownSuiteError extends Error {
  override readonly name = "UnknownSuiteError";
}

export function suiteRef(id: string): ModuleRef {
  const ref = Object.hasOwn(SUITES, id) ? SUITES[id] : undefined;
  if (!ref) throw new UnknownSuiteError(`unknown audit suite "${id}" (known: ${Object.keys(SUITES).join(", ")})`);
  return ref;
}
