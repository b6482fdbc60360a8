// The Pyodide sandbox engine of one audit: one interpreter, loaded once and
// reused by every scenario run (the harness resets its state between runs); a
// run that left it poisoned (a fatal interpreter error) makes the next run load
// a fresh one.
import type { Manifest, SandboxLimits } from "@assay/protocol";
import type { OpenSandbox, SandboxEngine } from "../engine/sandbox-engine";
import { PythonInterpreter } from "./interpreter";
import { PYTHON_ENGINE } from "./limits";
import { PythonRuntimeSandbox } from "./python-sandbox";

export type PythonEngineInput = {
  manifest: Manifest;
  /** The artifact's Python files, path → source (the entry at least). */
  files: Record<string, string>;
  limits: SandboxLimits;
  hardenProcess?: boolean;
};

export class PythonEngine implements SandboxEngine {
  readonly identity = PYTHON_ENGINE;
  /** Milliseconds spent loading interpreters for this audit (the first load and any reload). */
  loadMs = 0;
  loads = 0;
  private interpreter: PythonInterpreter | null = null;

  constructor(private readonly input: PythonEngineInput) {}

  async openRun(): Promise<OpenSandbox> {
    if (!this.interpreter || this.interpreter.poisoned) {
      this.interpreter?.dispose();
      this.interpreter = null;
      const { manifest, files, limits, hardenProcess } = this.input;
      const interpreter = await PythonInterpreter.load({
        files,
        entry: manifest.entry.replace(/^\.\//, ""),
        memoryBytes: limits.memoryBytes,
        outputBytes: limits.outputBytes,
        ...(hardenProcess ? { hardenProcess } : {}),
      });
      this.interpreter = interpreter;
      this.loadMs += interpreter.loadMs;
      this.loads += 1;
    }
    const interpreter = this.interpreter;
    return (options) => new PythonRuntimeSandbox(interpreter, options);
  }

  close(): void {
    this.interpreter?.dispose();
    this.interpreter = null;
  }
}
