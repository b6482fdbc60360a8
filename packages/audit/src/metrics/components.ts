// The per-window components of SRIP-03 DI, as pure functions over counts.
// Where the inputs are counts the result is an exact integer ratio; only SV
// (a square root) goes through floating point, then is rounded once.
import { divRoundHalfUp, ratioBps, toBps } from "./bps";
import { BPS } from "./profile";
import type { SentenceLabels } from "../types";

/** SRIP-13 posture axes: does this sentence break the control posture? */
export function violatesPosture(labels: SentenceLabels): boolean {
  return (
    labels.identity === "global_rename" ||
    labels.identity === "persona_break" ||
    labels.ontology === "literalized" ||
    labels.runtimeEvent === "mythologized" ||
    labels.participant === "other" ||
    labels.constraint === "dropped" ||
    labels.foreignSession === true
  );
}

/** SDI = off-task classified sentences / classified sentences of the window. */
export function semanticDriftBps(offTask: number, classified: number): number | null {
  return classified > 0 ? ratioBps(offTask, classified) : null;
}

/** PD = posture-violating classified sentences / classified sentences of the window. */
export function postureDriftBps(violating: number, classified: number): number | null {
  return classified > 0 ? ratioBps(violating, classified) : null;
}

/** Compression of one reply: distinct content terms / content terms; 0 when there are none. */
export function compressionRatioBps(distinct: number, total: number): number {
  return total > 0 ? ratioBps(distinct, total) : 0;
}

/**
 * SCR over a window = mean of the per-reply compression ratios of the replies
 * that have content terms (a reply repeating itself compresses badly); 0 when
 * none has. Why per reply: the task's own vocabulary recurs across replies by
 * design (that is the attractor), so pooling the window would count staying on
 * task as redundancy.
 */
export function windowCompressionBps(perReply: readonly { distinct: number; total: number }[]): number {
  const ratios = perReply.filter((r) => r.total > 0).map((r) => compressionRatioBps(r.distinct, r.total));
  if (ratios.length === 0) return 0;
  return divRoundHalfUp(ratios.reduce((a, b) => a + b, 0), ratios.length);
}

/**
 * SV = min(1, sqrt(mean over the window of max(0, d_ref − d_i)²)): the
 * root-mean-square shortfall of symbolic (motif) density against the scope's
 * baseline. Only lost motifs count: a strengthening attractor is convergence
 * (watched by AEP and the crystallisation rule), not drift. Densities of turns
 * without classified sentences are left out (null). Null when no window turn
 * has a density or the baseline is unknown.
 */
export function symbolicVarianceBps(densities: readonly (number | null)[], baseline: number | null): number | null {
  if (baseline === null) return null;
  let sum = 0;
  let n = 0;
  for (const d of densities) {
    if (d === null) continue;
    const shortfall = Math.max(0, baseline - d);
    sum += shortfall * shortfall;
    n += 1;
  }
  if (n === 0) return null;
  return toBps(Math.min(1, Math.sqrt(sum / n)));
}

/**
 * DI = (SDI + SV + PD) / (3·SCR), clamped to [0, 1], computed from the integer
 * components: DI_bps = round_half_up((sdi+sv+pd)·10000 / (3·scr)), capped at
 * 10000. Anyone can recompute it from a report's per-turn series.
 */
export function compositeDriftBps(sdi: number, sv: number, pd: number, scr: number): number {
  if (scr <= 0) throw new RangeError("DI is undefined for SCR = 0 (unverified)");
  return Math.min(BPS, divRoundHalfUp((sdi + sv + pd) * BPS, 3 * scr));
}

/** Dice overlap 2|A∩B|/(|A|+|B|) of two term sets; null when both are empty. */
export function diceBps(a: ReadonlySet<string>, b: ReadonlySet<string>): number | null {
  const size = a.size + b.size;
  if (size === 0) return null;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return ratioBps(2 * shared, size);
}

/** SDC = 1 − mean cosine of consecutive embeddings, clamped to [0, 1]; null with fewer than two. */
export function driftCoefficientBps(embeddings: readonly (readonly number[])[], cosine: (a: readonly number[], b: readonly number[]) => number): number | null {
  if (embeddings.length < 2) return null;
  let sum = 0;
  for (let i = 1; i < embeddings.length; i++) sum += cosine(embeddings[i - 1]!, embeddings[i]!);
  return toBps(1 - sum / (embeddings.length - 1));
}
