// The seam between the suite runner and the sandbox a runtime's language needs.
// JavaScript runtimes keep the QuickJS path of run-scenario (a fresh context
// per run); other languages plug an engine here that opens one sandbox per
// scenario run behind the same StepOutcome. The report names the engine.
import { manifestLanguage, type Manifest, type SandboxLimits, type Turn } from "@assay/protocol";
import type { SandboxOptions, StepOutcome } from "../sandbox/sandbox";
import { PythonEngine } from "../python/engine";
import { PYTHON_ENGINE } from "../python/limits";
import { ENGINE } from "./version";

/** What the scenario runner drives: one runtime for one scenario run. */
export type StepSandbox = { step(turn: Turn): StepOutcome; dispose(): void };

export type OpenSandbox = (options: SandboxOptions) => StepSandbox;

export interface SandboxEngine {
  readonly identity: { name: string; version: string };
  /** Prepare the next scenario run; the returned function opens its sandbox. */
  openRun(limits: SandboxLimits): Promise<OpenSandbox>;
  /** Release the engine's resources at the end of the audit. */
  close(): void;
}

/** The engine a report names for a manifest (JavaScript: QuickJS, the default). */
export function engineIdentity(manifest: Pick<Manifest, "language">): { name: string; version: string } {
  return manifestLanguage(manifest) === "python" ? { ...PYTHON_ENGINE } : { ...ENGINE };
}

export type EngineInput = {
  manifest: Manifest;
  bundleSource: string;
  /** The artifact's runtime files (Python: path → source); defaults to the entry alone. */
  files?: Record<string, string>;
  limits: SandboxLimits;
  /** Harden the process's JS realm (only in the audit child process). */
  hardenProcess?: boolean;
};

/** The engine for a manifest's language, or null for JavaScript (run-scenario's QuickJS path). */
export function createSandboxEngine(input: EngineInput): SandboxEngine | null {
  if (manifestLanguage(input.manifest) !== "python") return null;
  const entry = input.manifest.entry.replace(/^\.\//, "");
  const files = input.files && Object.keys(input.files).length > 0 ? input.files : { [entry]: input.bundleSource };
  return new PythonEngine({ manifest: input.manifest, files, limits: input.limits, ...(input.hardenProcess ? { hardenProcess: true } : {}) });
}
