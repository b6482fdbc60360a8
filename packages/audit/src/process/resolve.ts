// Resolve a ModuleRef (a suite or a DI measure named by module path + export).
import { pathToFileURL } from "node:url";
import type { AuditSuite, TurnDiMeasure } from "../engine/run-suite";
import type { ModuleRef } from "./messages";

/** Modules compiled into the prebuilt audit child (child-bundle.ts), by the path the parent names them with. */
const bundled = new Map<string, () => unknown>();
export function registerBundledModules(modules: Record<string, () => unknown>): void {
  for (const [path, load] of Object.entries(modules)) bundled.set(path, load);
}

async function loadModule(path: string): Promise<Record<string, unknown>> {
  const own = bundled.get(path);
  if (own) return own() as Record<string, unknown>;
  // Why require first: the package runs as CommonJS (tsx, jest), where require
  // handles .ts and a dynamic import() is unavailable under jest.
  try {
    return require(path) as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_REQUIRE_ESM") throw error;
  }
  return (await import(path.startsWith("/") ? pathToFileURL(path).href : path)) as Record<string, unknown>;
}

async function loadExport(ref: ModuleRef): Promise<unknown> {
  const mod = await loadModule(ref.module);
  const value = mod[ref.export] ?? (mod.default as Record<string, unknown> | undefined)?.[ref.export];
  if (value === undefined) throw new Error(`module ${ref.module} has no export ${ref.export}`);
  return value;
}

export async function resolveSuite(ref: ModuleRef): Promise<AuditSuite> {
  const value = await loadExport(ref);
  const suite = typeof value === "function" ? (value as (o: unknown) => unknown)(ref.options) : value;
  const s = suite as Partial<AuditSuite> | null;
  if (!s || typeof s.id !== "string" || typeof s.version !== "string" || !Array.isArray(s.scenarios) || typeof s.createModel !== "function") {
    throw new Error(`${ref.module}#${ref.export} is not an audit suite`);
  }
  return s as AuditSuite;
}

export async function resolveMeasure(ref: ModuleRef | undefined): Promise<TurnDiMeasure | undefined> {
  if (!ref) return undefined;
  const value = await loadExport(ref);
  if (typeof value !== "function") throw new Error(`${ref.module}#${ref.export} is not a function`);
  return value as TurnDiMeasure;
}
