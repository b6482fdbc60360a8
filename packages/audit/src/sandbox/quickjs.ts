// One QuickJS WebAssembly module per process, shared by every sandbox: compiling
// and instantiating the WASM is the expensive part (~25 ms), a QuickJS runtime +
// context per scenario is cheap. If the WASM instance ever aborts (an emscripten
// abort leaves its memory in an unknown state) the module is dropped and the
// next sandbox gets a fresh one.
import { newQuickJSWASMModuleFromVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";
import releaseSyncVariant from "@jitl/quickjs-wasmfile-release-sync";

let shared: Promise<QuickJSWASMModule> | null = null;
let sharedModule: QuickJSWASMModule | null = null;

export function loadQuickJs(): Promise<QuickJSWASMModule> {
  if (!shared) {
    const loading = newQuickJSWASMModuleFromVariant(releaseSyncVariant).then((module) => {
      sharedModule = module;
      return module;
    });
    loading.catch(() => {
      if (shared === loading) shared = null;
    });
    shared = loading;
  }
  return shared;
}

/** Forget the shared module (after a WASM-level abort); the next load instantiates a new one. */
export function discardQuickJs(module: QuickJSWASMModule): void {
  if (module === sharedModule) {
    shared = null;
    sharedModule = null;
  }
}

/** Name and version of the isolate engine, for reports. */
export const SANDBOX_ENGINE = Object.freeze({ name: "quickjs-emscripten", variant: "wasmfile-release-sync", version: "0.32.0" });
