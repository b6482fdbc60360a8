// QuickJS WebAssembly modules, shared by every sandbox of the process: compiling
// and instantiating the WASM is the expensive part (~25 ms), a QuickJS runtime +
// context per scenario is cheap.
//
// Memory: QuickJS's own malloc limit is not a byte cap in this build (the
// emscripten allocator has no malloc_usable_size, so QuickJS counts 8 bytes per
// block whatever its size: a loop of 2 MB ArrayBuffers sails past any limit).
// The real cap is the WebAssembly linear memory itself: each module gets a
// Memory whose maximum is the sandbox's memoryBytes plus the 16 MiB base image
// (static data, C stack). One module per distinct memory cap.
//
// If an isolate ever aborts or exhausts the linear memory, the module is
// dropped and the next sandbox gets a fresh one, so no damaged heap is reused.
//
// CPU: the binary is the package's own, rewritten by wasm-meter.ts to count
// loop iterations in an exported gas global (compiled once per process); the
// sandbox reads and arms that counter through `gasOf(module)`.
import { readFileSync } from "node:fs";
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

const modules = new Map<number, Promise<QuickJSWASMModule>>();
const loaded = new Map<QuickJSWASMModule, number>();
const gasCounters = new Map<QuickJSWASMModule, WasmGas>();

let compiled: object | null = null;
/** The metered binary, compiled once per process (instrumenting + compiling takes ~0.2 s). */
function meteredModule(): object {
  if (!compiled) {
    const original = readFileSync(require.resolve("@jitl/quickjs-wasmfile-release-sync/wasm"));
    compiled = new Wasm.Module(meterWasm(original).binary);
  }
  return compiled;
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

/** The shared QuickJS module whose linear memory is capped for `memoryBytes` of isolate heap. */
export function loadQuickJs(memoryBytes: number = 64 * 1024 * 1024): Promise<QuickJSWASMModule> {
  const pages = wasmPagesFor(memoryBytes);
  let pending = modules.get(pages);
  if (!pending) {
    let instance: WasmInstance | null = null;
    const variant = newVariant(baseVariant, {
      wasmMemory: (() => new Wasm.Memory({ initial: WASM_BASE_BYTES / PAGE, maximum: pages })) as never,
      emscriptenModule: {
        // Why our own instantiation: it is the only way to reach the instance's exported gas global.
        instantiateWasm: (imports: object, onSuccess: (instance: WasmInstance, module: object) => void) => {
          const module = meteredModule();
          instance = new Wasm.Instance(module, imports);
          onSuccess(instance, module);
          return {};
        },
      } as never,
    });
    const loading = newQuickJSWASMModuleFromVariant(variant).then((module) => {
      const gas = instance?.exports[GAS_EXPORT] as WasmGas | undefined;
      if (!gas) throw new Error("the metered QuickJS binary exports no gas counter");
      loaded.set(module, pages);
      gasCounters.set(module, gas);
      return module;
    });
    loading.catch(() => {
      if (modules.get(pages) === loading) modules.delete(pages);
    });
    modules.set(pages, loading);
    pending = loading;
  }
  return pending;
}

/** Forget a module (after an abort or memory exhaustion); the next load instantiates a new one. */
export function discardQuickJs(module: QuickJSWASMModule): void {
  const pages = loaded.get(module);
  if (pages === undefined) return;
  loaded.delete(module);
  gasCounters.delete(module);
  modules.delete(pages);
}

/** Name and version of the isolate engine, for reports. */
export const SANDBOX_ENGINE = Object.freeze({ name: "quickjs-emscripten", variant: "wasmfile-release-sync", version: "0.32.0" });
