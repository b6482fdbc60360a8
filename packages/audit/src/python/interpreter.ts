// One Pyodide interpreter for one audit (docs/decisions/0015-python-runtimes.md):
// loaded once, with the harness (harness.py) installed and the artifact's files
// written to its in-memory file system, then reused by every scenario run of
// the audit (the harness resets interpreter state between runs). A fatal
// interpreter error poisons it; the engine loads a fresh one for the next run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { PyodideInterface } from "pyodide";
import { guardMemoryGrowth, type MemoryCap } from "./memory-cap";
import { hardenJsRealm } from "./harden";
import { ARTIFACT_ROOT, FORBIDDEN_MODULES, PYTHON_HOST_COST, RECURSION_CEILING, RECURSION_LIMIT } from "./limits";

/** Handles host calls from the harness while a sandbox is stepping. */
export type HostHandler = (name: string, body: string) => string;

/** The harness's entry points (PyProxy callables, typed by what they take and return). */
type Harness = {
  start_run(manifestJson: string, seed: number): void;
  step(turnJson: string, limit: number, limitMessage: string): string;
  end_run(): void;
};

export type PythonInterpreterOptions = {
  /** The artifact's Python files (path inside the artifact → source). */
  files: Record<string, string>;
  entry: string;
  memoryBytes: number;
  outputBytes: number;
  /** Remove the JS realm's ways out (fetch, ws, ...). Only in the audit child process: it changes globals. */
  hardenProcess?: boolean;
};

let harnessSource: string | null = null;
function readHarness(): string {
  harnessSource ??= readFileSync(join(__dirname, "harness.py"), "utf8");
  return harnessSource;
}

async function importPyodide(): Promise<typeof import("pyodide")> {
  // Why a real dynamic import: pyodide loads its .mjs half with import(); the
  // package runs as CommonJS here (tsx), where `import()` still works.
  return await import("pyodide");
}

export class PythonInterpreter {
  /** Set when the interpreter failed fatally (WASM trap, stack overflow): never reuse it. */
  poisoned = false;
  /** The sandbox whose step is running, or null. */
  handler: HostHandler | null = null;
  /** Where print() output at the C level goes (the current step's log). */
  stdout: ((line: string) => void) | null = null;

  private constructor(
    readonly py: PyodideInterface,
    private readonly harness: Harness,
    private readonly cap: MemoryCap,
    /** Milliseconds the load took (interpreter + harness + files). */
    readonly loadMs: number,
  ) {}

  static async load(options: PythonInterpreterOptions): Promise<PythonInterpreter> {
    const started = performance.now();
    if (options.hardenProcess) hardenJsRealm();
    const { loadPyodide } = await importPyodide();
    let self: PythonInterpreter | null = null;
    const sink = (line: string) => self?.stdout?.(line);
    const py = await loadPyodide({
      env: { PYTHONHASHSEED: "0", HOME: "/home/pyodide", TZ: "UTC", LANG: "C.UTF-8" },
      // The `js` module is this empty object, not Node's globalThis.
      jsglobals: Object.freeze(Object.create(null) as object),
      stdout: sink,
      stderr: sink,
      checkAPIVersion: true,
    });
    py.FS.mkdirTree("/assay/harness");
    py.FS.writeFile("/assay/harness/_assay_harness.py", readHarness());
    py.runPython("import sys\nsys.path.insert(0, '/assay/harness')\nimport _assay_harness\nsys.path.pop(0)");
    const module = py.pyimport("_assay_harness") as unknown as Harness & { setup(hostCall: HostHandler, config: string): void };
    const hostCall: HostHandler = (name, body) => {
      if (!self?.handler) throw new Error("host call outside a step");
      return self.handler(name, body);
    };
    module.setup(
      hostCall,
      JSON.stringify({
        root: ARTIFACT_ROOT,
        files: options.files,
        entry: options.entry,
        forbiddenModules: FORBIDDEN_MODULES,
        recursionLimit: RECURSION_LIMIT,
        recursionCeiling: RECURSION_CEILING,
        cost: PYTHON_HOST_COST,
        outputBytes: options.outputBytes,
        memoryBytes: options.memoryBytes,
      }),
    );
    py.FS.unlink("/assay/harness/_assay_harness.py");
    neuterApi(py);
    // The cap is relative to the heap after loading: the runtime gets memoryBytes on top of the interpreter.
    const cap = guardMemoryGrowth(() => (py as unknown as { _module: { HEAPU8: Uint8Array } })._module.HEAPU8.buffer, options.memoryBytes);
    self = new PythonInterpreter(py, module, cap, Math.round(performance.now() - started));
    return self;
  }

  startRun(manifestJson: string, seed: number): void {
    this.harness.start_run(manifestJson, seed);
  }

  step(turnJson: string, limit: number, limitMessage: string): string {
    return this.harness.step(turnJson, limit, limitMessage);
  }

  endRun(): void {
    if (!this.poisoned) this.harness.end_run();
  }

  /** The WebAssembly heap size in bytes (for the memory cap and the benchmark). */
  get heapBytes(): number {
    return this.cap.currentBytes();
  }

  dispose(): void {
    this.cap.release();
  }
}

/**
 * What Pyodide's JS API offers beyond running code is a way out of the
 * sandbox (mounting host directories, fetching packages): replace it, in case
 * runtime code reaches the API object through the FFI.
 */
function neuterApi(py: PyodideInterface): void {
  const refuse = () => {
    throw new Error("not available in the Assay sandbox");
  };
  const api = py as unknown as Record<string, unknown>;
  for (const name of ["mountNodeFS", "mountNativeFS", "loadPackage", "loadPackagesFromImports", "registerJsModule", "setStdin", "setStdout", "setStderr", "unpackArchive", "registerComlink"]) {
    if (name in api) api[name] = refuse;
  }
  const filesystems = (py.FS as unknown as { filesystems?: Record<string, unknown> }).filesystems;
  if (filesystems) {
    for (const name of Object.keys(filesystems)) if (name !== "MEMFS") delete filesystems[name];
  }
}
