// QuickJS WebAssembly modules: the binary is compiled once per process (the
// expensive part); every scenario run gets its own instance (a few ms).
//
// Memory: QuickJS's own malloc limit is not a byte cap in this build (the
// emscripten allocator has no malloc_usable_size, so QuickJS counts 8 bytes per
// block whatever its size: a loop of 2 MB ArrayBuffers sails past any limit).
// The real cap is the WebAssembly linear memory itself: each module gets a
// Memory whose maximum is the sandbox's memoryBytes plus the 16 MiB base image
// (static data, C stack).
//
// An isolate that aborts or exhausts the linear memory takes only its own
// instance down; no heap is ever reused by another run.
//
// CPU: the binary is the package's own, rewritten by wasm-meter.ts to count
// function entries and loop iterations in an exported gas global; the
// sandbox reads and arms that counter through `gasOf(module)`.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSSyncVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";
import releaseSyncVariant from "@jitl/quickjs-wasmfile-release-sync";
import { GAS_EXPORT, meterWasm } from "./wasm-meter";

// Why: the published variant loads its emscripten module with a dynamic
// import(), which jest (CommonJS, no --experimental-vm-modules) cannot run. The
// package ships the same module as CommonJS under the "require" condition.
const baseVariant: QuickJSSyncVariant = {
  ...releaseSyncVariant,
  importModuleLoader: async () => require("@jitl/quickjs-wasmfile-release-sync/emscripten-module"),
};

const PAGE = 65_536;
/** The module's initial linear memory (emscripten INITIAL_MEMORY of this build). */
export const WASM_BASE_BYTES = 16 * 1024 * 1024;
const WASM_MAX_PAGES = 32_768; // 2 GiB: the build's own ceiling

/** The exported gas counter of one instance (an i64 WebAssembly.Global). */
export type WasmGas = { value: bigint };

type WasmInstance = { exports: Record<string, unknown> };
// Why: the project's TS lib (ES2023, no DOM) does not declare WebAssembly; Node has it.
const Wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Memory: new (descriptor: { initial: number; maximum: number }) => object;
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object, imports: object) => WasmInstance;
    };
  }
).WebAssembly;

const gasCounters = new WeakMap<QuickJSWASMModule, WasmGas>();

let compiled: object | null = null;
let counting = true;

/** The package's own QuickJS binary, unmetered. */
export function originalQuickJsWasm(): Uint8Array {
  return readFileSync(require.resolve("@jitl/quickjs-wasmfile-release-sync/wasm"));
}

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

/**
 * A metered binary written ahead of time (the audit child's bundle, process/child-bundle.ts, is built
 * with one beside it): used only if the original binary it was made from has `originalSha256`.
 */
let prebuilt: { path: string; originalSha256: string } | null = null;
export function usePrebuiltMeteredWasm(file: { path: string; originalSha256: string }): void {
  prebuilt = file;
  compiled = null;
}

/**
 * The metered binary. Why cached on disk: metering takes ~0.1 s of CPU warm (~0.35 s cold) in every
 * process that loads QuickJS, and every audit child is a new process. The cache is keyed by the
 * original binary's hash and the rewriter's own source, so a new QuickJS build or a change to the
 * rewriter can never load a stale rewrite; the bytes are the same as metering afresh.
 */
export function meteredQuickJsWasm(): Uint8Array {
  const original = originalQuickJsWasm();
  const originalSha256 = sha256(original);
  if (prebuilt && prebuilt.originalSha256 === originalSha256) {
    try {
      return readFileSync(prebuilt.path);
    } catch {
      // Fall through: meter afresh.
    }
  }
  // Only from source (tsx, jest): the rewriter's source is part of the key. A bundle uses its prebuilt binary.
  const meterSource = join(__dirname, "wasm-meter.ts");
  let key: string | null = null;
  try {
    key = sha256(`${originalSha256}\n${sha256(readFileSync(meterSource))}`).slice(0, 32);
  } catch {
    key = null;
  }
  const file = key ? join(meteredWasmCacheDir(), `quickjs-metered-${key}.wasm`) : null;
  if (file) {
    try {
      return readFileSync(file);
    } catch {
      // Not cached yet.
    }
  }
  const binary = meterWasm(original).binary;
  if (file) writeAtomically(file, binary);
  return binary;
}

/** Where built artefacts of the audit engine are cached (git-ignored, next to the package). */
export function meteredWasmCacheDir(): string {
  return join(__dirname, "..", "..", "node_modules", ".cache", "assay-audit");
}

/** Write through a temporary file and a rename, so a concurrent reader sees the whole file or none. */
export function writeAtomically(file: string, bytes: Uint8Array | string): boolean {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
    return true;
  } catch {
    return false; // A read-only package directory: no cache, same result.
  }
}

/** The metered binary, compiled once per process (instrumenting + compiling takes ~0.2 s). */
function meteredModule(): object {
  if (!compiled) {
    const binary = counting ? meteredQuickJsWasm() : meterWasm(originalQuickJsWasm(), { count: false }).binary;
    // Why optimised up front: V8 first compiles WebAssembly with its baseline
    // compiler (Liftoff) and tiers hot functions up in the background; an audit
    // child runs one audit of a few seconds, much of it on baseline code. The
    // optimising compiler on the whole binary costs ~0.3-0.6 s of CPU once per
    // process and makes the interpreter ~20 % faster from the first turn. Only
    // V8's code changes: the gas counted (and every budget) is the same.
    // The flag is restored at once, so other WebAssembly (Pyodide) keeps lazy tiering.
    setFlagsFromString("--no-liftoff");
    try {
      compiled = new Wasm.Module(binary);
    } finally {
      setFlagsFromString("--liftoff");
    }
  }
  return compiled;
}

/**
 * Benchmarks only (bench/sandbox-profile.ts): load the same binary without its gas checks, to measure
 * what metering costs. Budgets are then not enforced; never call this in an audit process.
 */
export function useUncountedQuickJsForBenchmark(uncounted: boolean): void {
  if (counting === !uncounted) return;
  counting = !uncounted;
  compiled = null;
}

/** The gas counter of a module loaded by loadQuickJs. */
export function gasOf(module: QuickJSWASMModule): WasmGas {
  const gas = gasCounters.get(module);
  if (!gas) throw new Error("this QuickJS module was not loaded with the metered binary");
  return gas;
}

/** Linear-memory pages for a sandbox memory cap. */
export function wasmPagesFor(memoryBytes: number): number {
  return Math.min(WASM_MAX_PAGES, Math.ceil((WASM_BASE_BYTES + memoryBytes) / PAGE));
}

/**
 * A fresh QuickJS module (its own WebAssembly instance and linear memory, capped
 * for `memoryBytes` of isolate heap) on the metered binary compiled once per
 * process. Why fresh every time (one per scenario run): the gas count includes
 * the allocator's own loops, which depend on the heap's history; a pristine
 * instance makes every run's budget a function of that run's code alone, so the
 * same audit gives the same transcript whatever ran before it in the process
 * (and nothing of an earlier, possibly hostile, run survives in the heap).
 */
export async function loadQuickJs(memoryBytes: number = 64 * 1024 * 1024): Promise<QuickJSWASMModule> {
  const pages = wasmPagesFor(memoryBytes);
  let instance: WasmInstance | null = null;
  const variant = newVariant(baseVariant, {
    wasmMemory: (() => new Wasm.Memory({ initial: WASM_BASE_BYTES / PAGE, maximum: pages })) as never,
    emscriptenModule: {
      // Why a constant: emscripten exposes argv[1] to the module as the `_` environment variable.
      thisProgram: "./this.program",
      // Why our own instantiation: it is the only way to reach the instance's exported gas global.
      instantiateWasm: (imports: object, onSuccess: (instance: WasmInstance, module: object) => void) => {
        const module = meteredModule();
        instance = new Wasm.Instance(module, imports);
        onSuccess(instance, module);
        return {};
      },
    } as never,
  });
  const module = await newQuickJSWASMModuleFromVariant(variant);
  const gas = (instance as WasmInstance | null)?.exports[GAS_EXPORT] as WasmGas | undefined;
  if (!gas) throw new Error("the metered QuickJS binary exports no gas counter");
  gasCounters.set(module, gas);
  return module;
}

/** Forget a module after an abort or memory exhaustion (kept for callers; every load is fresh anyway). */
export function discardQuickJs(module: QuickJSWASMModule): void {
  gasCounters.delete(module);
}

/** Name and version of the isolate engine, for reports. */
export const SANDBOX_ENGINE = Object.freeze({ name: "quickjs-emscripten", variant: "wasmfile-release-sync", version: "0.32.0" });
