// Building MetricValues: integers only, null only when unverified.
import type { MetricValidity, MetricValue } from "@assay/protocol";
import { UNCLASSIFIED_DEGRADED_DEN, UNCLASSIFIED_DEGRADED_NUM, type MetricId } from "../metrics/profile";
import type { TurnMeasure } from "../metrics/series";

export function metric(id: MetricId, value: number | null, unit: MetricValue["unit"], validity: MetricValidity = "valid"): MetricValue {
  if (value === null) return { id, value: null, unit, validity: "unverified" };
  if (!Number.isSafeInteger(value)) throw new RangeError(`${id}: metric value ${value} is not an integer`);
  return { id, value, unit, validity: validity === "unverified" ? "degraded" : validity };
}

export type Aggregate = "max" | "min" | "mean";

/**
 * Aggregate a component over the measured turns (DI valid or degraded) of
 * some trajectories. Validity: unverified when no turn contributes; for max /
 * min the validity of the extreme turn (the first one, a valid one preferred
 * among equal values); for a mean degraded when more than 20 % of the
 * contributing turns are degraded (the window rule's share). Mean rounds half up.
 */
export function aggregateMeasures(
  id: MetricId,
  measures: readonly TurnMeasure[],
  pick: (m: TurnMeasure) => number | null,
  mode: Aggregate,
): MetricValue {
  let extreme: { value: number; degraded: boolean } | null = null;
  let sum = 0;
  let n = 0;
  let degradedTurns = 0;
  for (const m of measures) {
    if (m.di === null) continue;
    const v = pick(m);
    if (v === null) continue;
    const degraded = m.validity === "degraded";
    n += 1;
    sum += v;
    if (degraded) degradedTurns += 1;
    const better = extreme === null || (mode === "min" ? v < extreme.value : v > extreme.value);
    if (better || (extreme !== null && v === extreme.value && extreme.degraded && !degraded)) extreme = { value: v, degraded };
  }
  if (n === 0 || extreme === null) return metric(id, null, "bps");
  if (mode === "mean") {
    const degraded = degradedTurns * UNCLASSIFIED_DEGRADED_DEN > n * UNCLASSIFIED_DEGRADED_NUM;
    return metric(id, Math.floor((2 * sum + n) / (2 * n)), "bps", degraded ? "degraded" : "valid");
  }
  return metric(id, extreme.value, "bps", extreme.degraded ? "degraded" : "valid");
}

/** Mean of an AEP value over turns where it is defined (independent of DI validity). */
export function meanDefined(id: MetricId, measures: readonly TurnMeasure[], pick: (m: TurnMeasure) => number | null): MetricValue {
  let sum = 0;
  let n = 0;
  for (const m of measures) {
    const v = pick(m);
    if (v === null) continue;
    sum += v;
    n += 1;
  }
  return n === 0 ? metric(id, null, "bps") : metric(id, Math.floor((2 * sum + n) / (2 * n)), "bps");
}
