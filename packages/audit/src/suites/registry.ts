// The suites this engine can run, named by module + export so a child process
// can resolve them too (only JSON crosses the process boundary).
import { join } from "node:path";
import type { ModuleRef } from "../process/messages";

const SUITE_MODULES: Readonly<Record<string, ModuleRef>> = {
  core: { module: join(__dirname, "core", "index.ts"), export: "coreSuite" },
};

/** Per-turn platform-measured DI (bps) for progress events. */
export const PROGRESS_DI_MEASURE: ModuleRef = { module: join(__dirname, "..", "metrics", "series.ts"), export: "latestMeasuredDi" };

export function suiteIds(): string[] {
  return Object.keys(SUITE_MODULES);
}

export function suiteModule(id: string): ModuleRef | undefined {
  return SUITE_MODULES[id];
}
