// The audit child as one prebuilt JavaScript file (decision 0027, 2026-12-02).
//
// Why: started under `--import tsx`, an audit child spent ~0.5-0.9 s of CPU
// loading the engine's TypeScript (tsx's loader hooks, resolution of ~150
// files) and ~0.1 s metering the QuickJS binary, before its first turn — in
// every child, and an audit forks one per parallel slot. The bundle (esbuild,
// already in the tree as tsx's compiler) loads in ~0.1 s, and the metered
// binary is written beside it once.
//
// Staleness is impossible by construction: the bundle's file name is a hash of
// every source file of @assay/audit and @assay/protocol, the lockfile and the
// esbuild version, computed before every fork from the code on disk (as the
// tsx child would load it). Isolation is
// unchanged: one fresh child per audit slot, the same flags and environment.
//
// Only JavaScript runtimes whose suite and measure are the engine's own modules
// (the registry's suites, the progress measure, the probe suite) use it; any
// other module (a test's or bench's own suite file) and Python runtimes keep the
// tsx child, so no module is ever loaded twice in one child.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync } from "node:fs";
import { manifestLanguage } from "@assay/protocol";
import { join, relative } from "node:path";
import { meterWasm } from "../sandbox/wasm-meter";
import { meteredWasmCacheDir, originalQuickJsWasm, writeAtomically } from "../sandbox/quickjs";
import { PROGRESS_DI_MEASURE, suiteIds, suiteModule } from "../suites/registry";
import type { IsolatedAuditInput } from "./messages";

const PACKAGE_DIR = join(__dirname, "..", "..");
const PROTOCOL_DIR = join(PACKAGE_DIR, "..", "protocol");
const REPO_DIR = join(PACKAGE_DIR, "..", "..");

/** The engine's own modules the bundle carries, by the absolute path the parent names them with. */
function bundledModules(): string[] {
  const paths = suiteIds().map((id) => suiteModule(id)!.module);
  paths.push(PROGRESS_DI_MEASURE.module, join(PACKAGE_DIR, "src", "engine", "probe-suite.ts"));
  return [...new Set(paths)];
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listFiles(path, out);
    else out.push(path);
  }
  return out;
}

/** Hash of everything the bundle is made from. */
function sourceHash(esbuildVersion: string): string {
  const hash = createHash("sha256");
  hash.update(`esbuild ${esbuildVersion}\nnode ${process.versions.node}\n`);
  const files = [...listFiles(join(PACKAGE_DIR, "src")), ...listFiles(join(PROTOCOL_DIR, "src"))];
  for (const lock of [join(REPO_DIR, "package-lock.json"), join(PACKAGE_DIR, "package.json"), join(PROTOCOL_DIR, "package.json")]) {
    if (existsSync(lock)) files.push(lock);
  }
  for (const file of files) {
    hash.update(`${relative(REPO_DIR, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 24);
}

type Esbuild = { version: string; buildSync: (options: Record<string, unknown>) => unknown };

/** Old bundles are deleted only after this long, so a parent still running older code never loses its own. */
const PRUNE_AFTER_MS = 24 * 3600 * 1000;

/**
 * The prebuilt child for the code now on disk, building it when it does not exist yet (~1 s once per
 * code version). Checked on every audit (~20 ms: hashing ~150 source files), so — like the tsx child —
 * the child always runs the code on disk at fork time, and a bundle removed meanwhile is rebuilt.
 * null when it cannot be built (no esbuild, read-only package directory): the caller falls back to the
 * tsx child.
 */
export function prebuiltChild(): { path: string; modules: Set<string> } | null {
  if (process.env.ASSAY_AUDIT_CHILD === "tsx") return null;
  try {
    const esbuild = require("esbuild") as Esbuild;
    const hash = sourceHash(esbuild.version);
    const dir = meteredWasmCacheDir();
    const path = join(dir, `audit-child-${hash}.js`);
    const wasmPath = join(dir, `audit-child-${hash}.wasm`);
    const modules = bundledModules();
    if (!existsSync(path) || !existsSync(wasmPath)) {
      const original = originalQuickJsWasm();
      if (!writeAtomically(wasmPath, meterWasm(original).binary)) return null;
      const originalSha256 = createHash("sha256").update(original).digest("hex");
      // The entry: register the engine's own modules under the parent's paths, point QuickJS at the
      // prebuilt metered binary, then start the child.
      const entry = [
        `const { registerBundledModules } = require(${JSON.stringify(join(__dirname, "resolve.ts"))});`,
        `const { usePrebuiltMeteredWasm } = require(${JSON.stringify(join(PACKAGE_DIR, "src", "sandbox", "quickjs.ts"))});`,
        `registerBundledModules({`,
        ...modules.map((m) => `  ${JSON.stringify(m)}: () => require(${JSON.stringify(m)}),`),
        `});`,
        `usePrebuiltMeteredWasm({ path: require("node:path").join(__dirname, ${JSON.stringify(`audit-child-${hash}.wasm`)}), originalSha256: ${JSON.stringify(originalSha256)} });`,
        `require(${JSON.stringify(join(__dirname, "child.ts"))});`,
      ].join("\n");
      const tmp = `${path}.${process.pid}.tmp.js`;
      esbuild.buildSync({
        stdin: { contents: entry, resolveDir: PACKAGE_DIR, loader: "js", sourcefile: "audit-child-entry.js" },
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node22",
        outfile: tmp,
        // These load their .wasm/.js files relative to their own package: resolved from node_modules at run time.
        external: ["@jitl/*", "quickjs-emscripten-core", "pyodide"],
        logLevel: "silent",
        legalComments: "none",
      });
      renameSync(tmp, path);
      prune(dir, hash);
    }
    return { path, modules: new Set(modules) };
  } catch {
    return null;
  }
}

function prune(dir: string, hash: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!name.startsWith("audit-child-") || name.startsWith(`audit-child-${hash}.`)) continue;
    try {
      if (now - statSync(join(dir, name)).mtimeMs > PRUNE_AFTER_MS) unlinkSync(join(dir, name));
    } catch {
      // Another process removed it.
    }
  }
}

/** Can this audit run in the prebuilt child? (JavaScript runtimes, engine-owned suite and measure only.) */
export function usesPrebuiltChild(input: IsolatedAuditInput, child: { modules: Set<string> }): boolean {
  // Python: its interpreter reads harness.py next to its own source file.
  if (input.sources || manifestLanguage(input.manifest) !== "javascript") return false;
  if (!child.modules.has(input.suite.module)) return false;
  return !input.measureDi || child.modules.has(input.measureDi.module);
}
