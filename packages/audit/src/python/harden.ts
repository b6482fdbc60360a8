// Hardening of the audit child's JavaScript realm before Pyodide loads. Python
// code can reach JS objects through Pyodide's FFI if it escapes the harness's
// Python-level guards (Python cannot contain Python), so what such an escape
// would find in the realm is made worthless: no fetch/WebSocket globals, the
// `ws` package Emscripten's socket layer would use answers with an error, and
// (flags set by the parent) no code generation from strings and no file
// system, child process or worker access beyond reading the code itself
// (Node's permission model). Only ever called inside the audit child process.
import { createRequire } from "node:module";

const NETWORK_GLOBALS = ["fetch", "WebSocket", "EventSource", "XMLHttpRequest", "Request", "Response", "Headers"] as const;

let hardened = false;

export function hardenJsRealm(): void {
  if (hardened) return;
  hardened = true;
  const realm = globalThis as Record<string, unknown>;
  for (const name of NETWORK_GLOBALS) {
    try {
      delete realm[name];
    } catch {
      realm[name] = undefined;
    }
  }
  // Emscripten's SOCKFS (Python's socket module under Pyodide) connects through `ws`.
  try {
    const requireFromPyodide = createRequire(require.resolve("pyodide"));
    const wsPath = requireFromPyodide.resolve("ws");
    const refuse = () => {
      throw new Error("network access is not available in the Assay sandbox");
    };
    require.cache[wsPath] = { id: wsPath, filename: wsPath, loaded: true, exports: new Proxy(refuse, { get: refuse, construct: refuse, apply: refuse }) } as unknown as NodeJS.Module;
  } catch {
    // ws not installed: nothing to disable.
  }
}
