// srs.trajectory_spread.v1: spread of DI trajectories of one scenario run under
// several seeds. Turns are aligned by their index; a turn counts when at least
// two runs have a measured DI there.
import type { TurnMeasure } from "./series";

export type TrajectorySpread = {
  /** max over aligned turns of (max DI − min DI), bps; null without aligned turns. */
  max: number | null;
  /** Mean of the per-turn spreads, bps (round half up); null without aligned turns. */
  mean: number | null;
  /** Turn where the max spread occurs (first such turn). */
  maxTurn: number | null;
  alignedTurns: number;
  runs: number;
};

export function trajectorySpread(trajectories: readonly (readonly TurnMeasure[])[]): TrajectorySpread {
  const byTurn = new Map<number, number[]>();
  for (const measures of trajectories) {
    for (const m of measures) {
      if (m.di === null) continue;
      const list = byTurn.get(m.turn) ?? [];
      list.push(m.di);
      byTurn.set(m.turn, list);
    }
  }
  let max: number | null = null;
  let maxTurn: number | null = null;
  let sum = 0;
  let aligned = 0;
  for (const turn of [...byTurn.keys()].sort((a, b) => a - b)) {
    const values = byTurn.get(turn)!;
    if (values.length < 2) continue;
    const spread = Math.max(...values) - Math.min(...values);
    aligned += 1;
    sum += spread;
    if (max === null || spread > max) {
      max = spread;
      maxTurn = turn;
    }
  }
  return {
    max,
    mean: aligned > 0 ? Math.floor((2 * sum + aligned) / (2 * aligned)) : null,
    maxTurn,
    alignedTurns: aligned,
    runs: trajectories.length,
  };
}
