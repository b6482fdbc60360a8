// Live audit progress. Three displays for three situations: an interactive
// terminal gets a cli-progress bar per scenario (current turn and DI); a pipe or
// file gets one plain line per finished scenario, no ANSI; --json gets nothing,
// so stdout holds only the report. All of them write to stderr.
import { MultiBar, type SingleBar } from "cli-progress";
import { bpsToDecimal } from "./numbers";

/** One turn of one scenario has run. `di` is the DI the audit measured at that turn (bps; null when unverified). */
export type ScenarioProgress = { scenario: string; turn: number; turns: number; di: number | null };

export interface ProgressDisplay {
  update(progress: ScenarioProgress): void;
  stop(): void;
}

export const silentProgress: ProgressDisplay = { update() {}, stop() {} };

type ScenarioState = { turns: number; lastTurn: number; maxDi: number | null };

function track(states: Map<string, ScenarioState>, p: ScenarioProgress): ScenarioState {
  const state = states.get(p.scenario) ?? { turns: p.turns, lastTurn: 0, maxDi: null };
  state.turns = p.turns;
  state.lastTurn = p.turn;
  if (p.di !== null && (state.maxDi === null || p.di > state.maxDi)) state.maxDi = p.di;
  states.set(p.scenario, state);
  return state;
}

/** Plain lines: "scenario long-horizon: 120/120 turns, max DI 0.4123". */
export function plainProgress(write: (line: string) => void): ProgressDisplay {
  const states = new Map<string, ScenarioState>();
  const reported = new Set<string>();
  let current: string | null = null;
  const report = (scenario: string) => {
    const state = states.get(scenario);
    if (!state || reported.has(scenario)) return;
    reported.add(scenario);
    write(`scenario ${scenario}: ${state.lastTurn}/${state.turns} turns, max DI ${bpsToDecimal(state.maxDi)}\n`);
  };
  return {
    update(p) {
      // A scenario that stops early (a sandbox fault) is reported when the next one starts.
      if (current !== null && current !== p.scenario) report(current);
      current = p.scenario;
      const state = track(states, p);
      if (state.lastTurn >= state.turns) report(p.scenario);
    },
    stop() {
      for (const scenario of states.keys()) report(scenario);
    },
  };
}

/** Run ids are like "stability/long-horizon@15839": pad to a fixed width so bars line up from the first one. */
const LABEL_WIDTH = 30;

/** A live bar per scenario on an interactive terminal. */
export function terminalProgress(stream: NodeJS.WriteStream): ProgressDisplay {
  const multibar = new MultiBar({
    stream,
    format: " {scenario} {bar} {value}/{total} DI {di} max {maxDi}",
    barsize: 16,
    hideCursor: true,
    clearOnComplete: false,
    stopOnComplete: false,
    autopadding: true,
    fps: 12,
  });
  const states = new Map<string, ScenarioState>();
  const bars = new Map<string, SingleBar>();
  return {
    update(p) {
      const state = track(states, p);
      const payload = { scenario: p.scenario.padEnd(LABEL_WIDTH), di: bpsToDecimal(p.di), maxDi: bpsToDecimal(state.maxDi) };
      let bar = bars.get(p.scenario);
      if (!bar) {
        bar = multibar.create(p.turns, p.turn, payload);
        bars.set(p.scenario, bar);
      } else {
        bar.setTotal(p.turns);
        bar.update(p.turn, payload);
      }
    },
    stop() {
      multibar.stop();
    },
  };
}
