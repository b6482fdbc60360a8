// SRIP-03 §6.1 phase machine over cycles (one cycle = one turn of the scope).
//   forming         until the DI window is full, then stable;
//   stable          -> crystallization when the AEP zone has been convergent (or
//                      semantic_monotony) for 5 consecutive cycles and stability > 0.85;
//   crystallization stability falls 0.08 per cycle from its value at entry;
//                      below 0.70 -> reflection;
//   reflection      -> stable once the zone leaves convergent / monotony.
import { isConvergent, type AepZone } from "./aep";
import {
  CRYSTALLIZATION_DECAY_BPS,
  CRYSTALLIZATION_ENTRY_ABOVE_BPS,
  CRYSTALLIZATION_STREAK,
  REFLECTION_BELOW_BPS,
} from "./profile";

export type Phase = "forming" | "stable" | "crystallization" | "reflection";

export type PhaseInput = {
  turn: number;
  windowFull: boolean;
  zone: AepZone | null;
  /** 1 − DI in basis points, null when DI is unverified. */
  stability: number | null;
};

export type CrystallizationEvent = {
  /** Turn at which the phase entered crystallization. */
  turn: number;
  entryStability: number;
  /** Turn at which stability fell below 0.70 (reflection), null if the scope ended first. */
  reflectionTurn: number | null;
};

export type PhaseTrace = {
  phases: Phase[];
  /** Stability under the phase model: 1 − DI, or the decaying value during crystallization. */
  phaseStability: (number | null)[];
  events: CrystallizationEvent[];
};

export function runPhaseMachine(cycles: readonly PhaseInput[]): PhaseTrace {
  const phases: Phase[] = [];
  const phaseStability: (number | null)[] = [];
  const events: CrystallizationEvent[] = [];
  let phase: Phase = "forming";
  let streak = 0;
  let crystal = 0;
  for (const cycle of cycles) {
    // Why: an unknown zone cannot count as convergent, so it breaks the streak.
    streak = isConvergent(cycle.zone) ? streak + 1 : 0;
    if (phase === "forming" && cycle.windowFull) phase = "stable";
    if (phase === "stable") {
      if (streak >= CRYSTALLIZATION_STREAK && cycle.stability !== null && cycle.stability > CRYSTALLIZATION_ENTRY_ABOVE_BPS) {
        phase = "crystallization";
        crystal = cycle.stability;
        events.push({ turn: cycle.turn, entryStability: crystal, reflectionTurn: null });
      }
    } else if (phase === "crystallization") {
      crystal -= CRYSTALLIZATION_DECAY_BPS;
      if (crystal < REFLECTION_BELOW_BPS) {
        phase = "reflection";
        events[events.length - 1]!.reflectionTurn = cycle.turn;
      }
    } else if (phase === "reflection") {
      if (cycle.zone !== null && !isConvergent(cycle.zone)) {
        phase = "stable";
        streak = 0;
      }
    }
    phases.push(phase);
    phaseStability.push(phase === "crystallization" || (phase === "reflection" && events.at(-1)?.reflectionTurn === cycle.turn) ? Math.max(0, crystal) : cycle.stability);
  }
  return { phases, phaseStability, events };
}
