// srs.recovery_turns.v1: how many turns after a hijack block the measured DI
// needs to be back in the stable band (< 0.45).
import type { TurnMeasure } from "./series";
import { DI_REFLECTIVE_BPS } from "./profile";

export type HijackBlock = { startTurn: number; endTurn: number };

export type BlockRecovery = HijackBlock & {
  /** Did measured DI reach >= 0.45 between the block start and the next block? */
  leftStable: boolean;
  /** First turn after the block (and after leaving) with measured DI < 0.45; null if none. */
  recoveredTurn: number | null;
  /** recoveredTurn − endTurn; 0 when DI never left the stable band; null when never recovered. */
  turns: number | null;
  /** Highest measured DI between block start and recovery (or the next block). */
  peakDi: number | null;
};

/** Maximal runs of consecutive measures whose turn is an expected hijack. */
export function hijackBlocks(measures: readonly TurnMeasure[]): HijackBlock[] {
  const blocks: HijackBlock[] = [];
  let open: HijackBlock | null = null;
  for (const m of measures) {
    if (m.hijack) {
      if (open) open.endTurn = m.turn;
      else open = { startTurn: m.turn, endTurn: m.turn };
    } else if (open) {
      blocks.push(open);
      open = null;
    }
  }
  if (open) blocks.push(open);
  return blocks;
}

/**
 * Recovery per hijack block. Each block is judged on the turns from its start
 * up to (not including) the next block's start, so a block's recovery is
 * attributed to that block only. Unverified turns are skipped.
 */
export function recoveryPerBlock(measures: readonly TurnMeasure[]): BlockRecovery[] {
  const blocks = hijackBlocks(measures);
  return blocks.map((block, b) => {
    const limit = blocks[b + 1]?.startTurn ?? Number.POSITIVE_INFINITY;
    const span = measures.filter((m) => m.turn >= block.startTurn && m.turn < limit);
    const firstHigh = span.find((m) => m.di !== null && m.di >= DI_REFLECTIVE_BPS);
    if (!firstHigh) {
      const peak = maxDi(span);
      return { ...block, leftStable: false, recoveredTurn: null, turns: 0, peakDi: peak };
    }
    const after = Math.max(firstHigh.turn, block.endTurn);
    const recovered = span.find((m) => m.turn > after && m.di !== null && m.di < DI_REFLECTIVE_BPS);
    const peak = maxDi(recovered ? span.filter((m) => m.turn <= recovered.turn) : span);
    return {
      ...block,
      leftStable: true,
      recoveredTurn: recovered ? recovered.turn : null,
      turns: recovered ? recovered.turn - block.endTurn : null,
      peakDi: peak,
    };
  });
}

function maxDi(measures: readonly TurnMeasure[]): number | null {
  let max: number | null = null;
  for (const m of measures) if (m.di !== null && (max === null || m.di > max)) max = m.di;
  return max;
}
