// What the parent and an audit child process say to each other over IPC.
// Only JSON crosses: the suite is named by module + export and resolved on both
// sides (its scenario scripts are functions and cannot be sent).
import type { Manifest, SandboxLimits } from "@assay/protocol";
import type { AuditProgressEvent } from "../engine/events";
import type { RunSelection } from "../engine/run-suite";
import type { TurnRecord } from "../types";

/** A module export that is an AuditSuite, or a function of `options` returning one. */
export type ModuleRef = { module: string; export: string; options?: unknown };

export type IsolatedAuditInput = {
  suite: ModuleRef;
  seed: number;
  manifest: Manifest;
  bundleSource: string;
  /** The artifact's runtime source files, path → text (Python runtimes). */
  sources?: Record<string, string>;
  limits?: Partial<SandboxLimits>;
  /** Optional per-turn DI measure: an export `(records, run) => number | null`. */
  measureDi?: ModuleRef;
};

/**
 * "run": execute these runs of the plan (the child stays up for the next
 * message); "exit": end the process. A child serves one audit only.
 */
export type ParentMessage = { type: "run"; input: IsolatedAuditInput; selection: RunSelection } | { type: "exit" };

export type ChildMessage =
  | { type: "ready"; pid: number }
  /** A scenario-level progress event of plan run `run` (audit_start/audit_end are the parent's). */
  | { type: "event"; run: number; event: AuditProgressEvent }
  | { type: "record"; run: number; record: TurnRecord }
  /** Plan run `run` finished; `meterUnits`: audit-meter units it used. */
  | { type: "run_end"; run: number; meterUnits: number }
  /** The selection is done; `cpu`: the process's CPU time so far. */
  | { type: "done"; cpu?: { userMicros: number; systemMicros: number } }
  | { type: "error"; message: string; stack?: string };
