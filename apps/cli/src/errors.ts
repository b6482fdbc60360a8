// The CLI's domain errors and the one place that maps them to exit codes and
// messages (SPEC §11: 0 success/pass, 1 negative result, 2 bad usage or
// unreadable input). Services throw these; commands never choose exit codes for
// failures themselves.
import { CommanderError } from "commander";

export const ExitCode = {
  /** Success, valid, pass. */
  Ok: 0,
  /** A negative result: the audit fails, a certificate is invalid. */
  Negative: 1,
  /** Bad usage or unreadable input. */
  BadInput: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Base of every error the CLI can explain to its user. `details` are extra lines
 * (e.g. one per schema issue). Most are bad usage or unreadable input (exit 2);
 * a subclass that reports a negative result (e.g. a submission that has no
 * certificate because it was rejected) overrides `exitCode`.
 */
export abstract class AssayCliError extends Error {
  abstract readonly code: string;
  readonly exitCode: ExitCode = ExitCode.BadInput;
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A flag or argument has a bad value (zod-validated options, unknown suite...). */
export class UsageError extends AssayCliError {
  readonly code = "USAGE";
}

export type RuntimeDirectoryProblem =
  | "DIRECTORY_MISSING"
  | "NOT_A_DIRECTORY"
  | "MANIFEST_MISSING"
  | "MANIFEST_UNREADABLE"
  | "MANIFEST_NOT_JSON"
  | "MANIFEST_INVALID"
  | "ENTRY_MISSING"
  | "ENTRY_OUTSIDE_DIRECTORY"
  | "IMPORT_OUTSIDE_DIRECTORY"
  | "ARTIFACT_PATH_INVALID"
  | "ENTRY_NOT_MODULE"
  | "ENTRY_NO_CREATE_RUNTIME"
  | "ENTRY_FORBIDDEN_IMPORT"
  | "ENTRY_BUNDLE_FAILED"
  | "BUNDLE_TOO_LARGE";

/** A runtime directory cannot be read as a submission (SPEC §3); it is not audited at all. */
export class RuntimeDirectoryError extends AssayCliError {
  readonly code: RuntimeDirectoryProblem;
  constructor(problem: RuntimeDirectoryProblem, message: string, details: readonly string[] = []) {
    super(message, details);
    this.code = problem;
  }
}

export type InitProblem = "TARGET_NOT_EMPTY" | "TARGET_NOT_DIRECTORY" | "TARGET_IS_TEMPLATE" | "TEMPLATE_UNUSABLE";

/** `assay init` cannot scaffold into the requested place. */
export class InitError extends AssayCliError {
  readonly code: InitProblem;
  constructor(problem: InitProblem, message: string, details: readonly string[] = []) {
    super(message, details);
    this.code = problem;
  }
}

/** The audit engine itself failed (not the runtime under audit: its faults are findings). */
export class AuditRunError extends AssayCliError {
  readonly code = "AUDIT_RUN_FAILED";
}

export type ErrorOutcome = { exitCode: ExitCode; message: string };

/** Map anything thrown by a command to the exit code and the stderr text for the user. */
export function describeError(error: unknown): ErrorOutcome {
  if (error instanceof AssayCliError) {
    return { exitCode: error.exitCode, message: formatLines(`${error.message}`, error.details) };
  }
  if (error instanceof CommanderError) {
    // Commander already printed its own message (unknown option, missing argument...).
    return { exitCode: error.exitCode === 0 ? ExitCode.Ok : ExitCode.BadInput, message: "" };
  }
  // Why exit 2: SPEC §11 has no code for "the tool broke"; an unexpected failure is
  // never a negative verdict (1), and scripts must not mistake it for one.
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { exitCode: ExitCode.BadInput, message: `internal error: ${text}` };
}

function formatLines(headline: string, details: readonly string[]): string {
  return [headline, ...details.map((d) => `  - ${d}`)].join("\n");
}

/** An on-chain deposit could not be made (no chain, switched off, the transaction failed): a negative result. */
export class DepositError extends AssayCliError {
  readonly code = "DEPOSIT";
  override readonly exitCode: ExitCode = ExitCode.Negative;
}
