// What the parent and the audit child process say to each other over IPC.
// Only JSON crosses: the suite is named by module + export and resolved on both
// sides (its scenario scripts are functions and cannot be sent).
import type { Manifest, SandboxLimits } from "@assay/protocol";
import type { AuditProgressEvent } from "../engine/events";
import type { AuditUsage, PlannedRunInfo } from "../engine/run-suite";
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

export type ParentMessage = { type: "run"; input: IsolatedAuditInput };

export type ChildMessage =
  | { type: "ready"; pid: number }
  | { type: "event"; event: AuditProgressEvent }
  | { type: "record"; run: number; record: TurnRecord }
  | { type: "done"; usage: AuditUsage; plan: PlannedRunInfo[]; limits: SandboxLimits; cpu?: { userMicros: number; systemMicros: number } }
  | { type: "error"; message: string; stack?: string };
