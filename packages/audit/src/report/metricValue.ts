// Building MetricValues: integers only, null only when unverified.
import type { MetricValidity, MetricValue } from "@assay/protocol";
import type { MetricId } from "../metrics/profile";
import type { TurnMeasure } from "../metrics/series";

export function metric(id: MetricId, value: number | null, unit: MetricValue["unit"], validity: MetricValidity = "valid"): MetricValue {
  if (value === null) return { id, value: null, unit, validity: "unverified" };
  if (!Number.isSafeInteger(value)) throw new RangeError(`${id}: metric value ${value} is not an integer`);
  return { id, value, unit, validity: validity === "unverified" ? "degraded" : validity };
}

export type Aggregate = "max" | "min" | "mean";

/**
 * Aggregate a component over the measured turns (DI valid or degraded) of
 * some trajectories. Validity: unverified when no turn contributes, degraded
 * when any contributing turn is degraded, valid otherwise. Mean rounds half up.
 */
export function aggregateMeasures(
  id: MetricId,
  measures: readonly TurnMeasure[],
  pick: (m: TurnMeasure) => number | null,
  mode: Aggregate,
): MetricValue {
  let result: number | null = null;
  let sum = 0;
  let n = 0;
  let degraded = false;
  for (const m of measures) {
    if (m.di === null) continue;
    const v = pick(m);
    if (v === null) continue;
    n += 1;
    sum += v;
    if (m.validity === "degraded") degraded = true;
    if (result === null || (mode === "max" && v > result) || (mode === "min" && v < result)) result = v;
  }
  if (n === 0) return metric(id, null, "bps");
  const value = mode === "mean" ? Math.floor((2 * sum + n) / (2 * n)) : result!;
  return metric(id, value, "bps", degraded ? "degraded" : "valid");
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
