// Typed outcomes of the sandbox. A SandboxFault is the runtime's doing and ends
// its scenario run (it becomes a finding); a HostError is the engine's own bug
// and is thrown, never blamed on the runtime.
import type { ModelFaultCode } from "@assay/protocol";
import type { SandboxFaultKind } from "../types";

export type SandboxFault = { kind: SandboxFaultKind; message: string };

export class SandboxFaultError extends Error {
  constructor(readonly fault: SandboxFault) {
    super(`${fault.kind}: ${fault.message}`);
    this.name = "SandboxFaultError";
  }
}

/** Raised by the Node side of host.model.complete to surface a scripted provider fault inside the isolate. */
export class ModelFaultError extends Error {
  constructor(readonly code: ModelFaultCode) {
    super(`synthetic model fault: ${code}`);
    this.name = "ModelFaultError";
  }
}

export const MODEL_FAULT_CODES: readonly ModelFaultCode[] = ["provider_error", "timeout", "empty"];

export function isModelFaultCode(value: unknown): value is ModelFaultCode {
  return typeof value === "string" && (MODEL_FAULT_CODES as readonly string[]).includes(value);
}

/** A failure of the host side (synthetic model, engine) while the runtime was calling it. */
export class HostError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HostError";
  }
}
