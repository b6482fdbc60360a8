// Progress of an audit, for the CLI (`assay validate`, `assay status --watch`)
// and the worker's server-sent events. Plain JSON: it crosses IPC as is.
import type { SandboxFault } from "../sandbox/faults";

export type AuditProgressEvent =
  | { type: "audit_start"; suite: { id: string; version: string }; seed: number; runs: number }
  | { type: "scenario_start"; runId: string; scenario: string; seed: number; index: number; of: number; turns: number }
  | {
      type: "turn";
      runId: string;
      scenario: string;
      turn: number;
      of: number;
      /** DI the runtime reported in its packet (a float, display only), null without a valid packet. */
      reportedDi: number | null;
      /** DI measured by the platform up to this turn, in the plugged measure's unit (the CLI plugs basis points); null without a measure or while unverified. */
      measuredDi: number | null;
      budgetUsed: number;
      fault?: SandboxFault;
    }
  | { type: "scenario_end"; runId: string; scenario: string; completed: boolean; turns: number; fault?: SandboxFault }
  | { type: "audit_end"; runs: number; completed: number; turns: number; budgetUsed: number };

export type ProgressListener = (event: AuditProgressEvent) => void;
