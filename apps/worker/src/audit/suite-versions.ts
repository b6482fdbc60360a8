// The version of every suite this worker runs (suite id → `<suite>+<synthetic
// model>` version, as certificates record it in audit.suite.version). The
// renewal sweep re-audits certificates issued under any other version
// (docs/decisions/0020): publishing a new suite or synthetic-model version is
// deploying workers that report a new version here.
import { suiteIds, suiteModule } from "@assay/audit";

let cached: Promise<Record<string, string>> | undefined;

export function currentSuiteVersions(): Promise<Record<string, string>> {
  cached ??= (async () => {
    const versions: Record<string, string> = {};
    for (const id of suiteIds()) {
      const ref = suiteModule(id)!;
      const suite = ((await import(ref.module)) as Record<string, { version?: unknown }>)[ref.export];
      if (typeof suite?.version !== "string") throw new Error(`suite ${id} (${ref.module}#${ref.export}) has no version`);
      versions[id] = suite.version;
    }
    return versions;
  })();
  return cached;
}
