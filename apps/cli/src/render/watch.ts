// Live display of a followed submission (`assay status --watch`, `assay submit
// --wait`), on stderr. A terminal gets bars: the states received → auditing →
// in_assembly → final, the current scenario's turns with its DI (measured, and
// as the runtime reported it), and the assembly's round, phase and votes when
// known. A pipe gets one plain line per change worth reading. --json gets nothing.
import { MultiBar, type SingleBar } from "cli-progress";
import type { SubmissionStatus } from "../api";
import type { AssemblyProgress, WatchState } from "../submission/watch-state";
import { bpsToDecimal } from "./numbers";

export interface WatchDisplay {
  update(state: WatchState): void;
  /** A one-off message (e.g. "falling back to polling"). */
  note(text: string): void;
  stop(): void;
}

export const silentWatch: WatchDisplay = { update() {}, note() {}, stop() {} };

const STATE_STEPS: readonly SubmissionStatus[] = ["received", "auditing", "in_assembly"];

/** 0 received, 1 auditing, 2 in_assembly, 3 a final state. */
export function stateStep(status: SubmissionStatus): number {
  const index = STATE_STEPS.indexOf(status);
  return index === -1 ? STATE_STEPS.length : index;
}

export function describeScenario(state: WatchState): string | null {
  const p = state.progress;
  if (!p.currentScenario) return null;
  const turns = p.currentTurn !== undefined ? ` turn ${p.currentTurn}${p.currentTurnsTotal !== undefined ? `/${p.currentTurnsTotal}` : ""}` : "";
  const di = p.measuredDiBps !== undefined ? `, DI ${bpsToDecimal(p.measuredDiBps ?? null)}` : "";
  const reported = p.reportedDiBps !== undefined ? ` (reported ${bpsToDecimal(p.reportedDiBps ?? null)})` : "";
  return `scenario ${p.currentScenario}${turns}${di}${reported}`;
}

export function describeAssembly(assembly: AssemblyProgress | null): string | null {
  if (!assembly || Object.keys(assembly).length === 0) return null;
  const parts = [assembly.round !== undefined ? `round ${assembly.round}` : null, assembly.phase ? `phase ${assembly.phase}` : null];
  if (assembly.seats !== undefined) {
    if (assembly.committed !== undefined) parts.push(`${assembly.committed}/${assembly.seats} committed`);
    if (assembly.revealed !== undefined) parts.push(`${assembly.revealed}/${assembly.seats} revealed`);
    if (assembly.committed === undefined && assembly.revealed === undefined) parts.push(`${assembly.seats} seats`);
  }
  if (assembly.votes) parts.push(`votes certify ${assembly.votes.certify ?? 0}, reject ${assembly.votes.reject ?? 0}`);
  const text = parts.filter(Boolean).join(", ");
  return text ? `assembly ${text}` : null;
}

function describeStatus(state: WatchState): string {
  const outcome = state.outcome && (state.status === "rejected" || state.status === "failed") ? ` (${state.outcome.code}${state.outcome.message ? `: ${state.outcome.message}` : ""})` : "";
  const certificate = state.certificateId ? ` certificate ${state.certificateId}` : "";
  return `${state.status}${outcome}${certificate}`;
}

/** Plain lines: each status change, each scenario as it finishes (its last turn and DI), each assembly change. */
export function plainWatch(write: (line: string) => void): WatchDisplay {
  let lastStatus: string | null = null;
  let lastScenario: { name: string; line: string } | null = null;
  let lastAssembly: string | null = null;
  const flushScenario = () => {
    if (lastScenario) write(`  ${lastScenario.line}\n`);
    lastScenario = null;
  };
  return {
    update(state) {
      // Scenario lines belong to the audit; progress left on the record afterwards is not news.
      const scenario = state.status === "auditing" ? state.progress.currentScenario : null;
      if (lastScenario && lastScenario.name !== scenario) flushScenario();
      const line = describeScenario(state);
      if (scenario && line) lastScenario = { name: scenario, line };
      const status = describeStatus(state);
      if (status !== lastStatus) {
        if (state.status !== "auditing") flushScenario();
        write(`submission ${state.id}: ${status}\n`);
        lastStatus = status;
      }
      const assembly = describeAssembly(state.assembly);
      if (assembly && assembly !== lastAssembly) {
        write(`  ${assembly}\n`);
        lastAssembly = assembly;
      }
    },
    note(text) {
      write(`${text}\n`);
    },
    stop() {
      flushScenario();
    },
  };
}

/** Bars on an interactive terminal (cli-progress). */
export function terminalWatch(stream: NodeJS.WriteStream): WatchDisplay {
  const multibar = new MultiBar({ stream, hideCursor: true, clearOnComplete: false, stopOnComplete: false, autopadding: true, barsize: 20, fps: 10 });
  const states = multibar.create(STATE_STEPS.length, 0, { label: "", status: "" }, { format: " state     {bar} {status}" });
  let scenarioBar: SingleBar | null = null;
  let assemblyBar: SingleBar | null = null;
  return {
    update(state) {
      states.update(stateStep(state.status), { status: describeStatus(state) });
      const p = state.progress;
      if (p.currentScenario || p.scenariosTotal !== undefined) {
        const total = p.currentTurnsTotal ?? 1;
        const payload = {
          scenario: p.currentScenario ?? "—",
          di: bpsToDecimal(p.measuredDiBps ?? null),
          reported: bpsToDecimal(p.reportedDiBps ?? null),
          done: p.scenariosCompleted ?? 0,
          all: p.scenariosTotal ?? "?",
        };
        if (!scenarioBar) {
          scenarioBar = multibar.create(total, p.currentTurn ?? 0, payload, {
            format: " audit     {bar} {value}/{total} {scenario} DI {di} (reported {reported}), scenarios {done}/{all}",
          });
        } else {
          scenarioBar.setTotal(total);
          scenarioBar.update(p.currentTurn ?? 0, payload);
        }
      }
      const assembly = describeAssembly(state.assembly);
      if (assembly) {
        const seats = state.assembly?.seats ?? 1;
        const acted = state.assembly?.revealed ?? state.assembly?.committed ?? 0;
        if (!assemblyBar) assemblyBar = multibar.create(seats, acted, { text: assembly }, { format: " assembly  {bar} {text}" });
        else {
          assemblyBar.setTotal(seats);
          assemblyBar.update(acted, { text: assembly });
        }
      }
    },
    note(text) {
      multibar.log(`${text}\n`);
    },
    stop() {
      multibar.stop();
    },
  };
}
