// The metric sets of a report: per scenario run, and for the whole suite.
// docs/metrics.md lists every id, its unit and how it is aggregated.
import type { MetricValue } from "@assay/protocol";
import { hasCheck, type RunAnalysis } from "../metrics/analyze";
import { ratioBps } from "../metrics/bps";
import { BPS, METRIC_IDS } from "../metrics/profile";
import type { TurnMeasure } from "../metrics/series";
import { trajectorySpread, type TrajectorySpread } from "../metrics/spread";
import { aggregateMeasures, meanDefined, metric } from "./metricValue";

const stabilityOf = (m: TurnMeasure) => (m.di === null ? null : BPS - m.di);

/** DI and its components over some trajectories (shared by scenario and suite level). */
function driftMetrics(measures: readonly TurnMeasure[]): MetricValue[] {
  return [
    aggregateMeasures(METRIC_IDS.di, measures, (m) => m.di, "max"),
    aggregateMeasures(METRIC_IDS.diMean, measures, (m) => m.di, "mean"),
    aggregateMeasures(METRIC_IDS.sdi, measures, (m) => m.sdi, "max"),
    aggregateMeasures(METRIC_IDS.sv, measures, (m) => m.sv, "max"),
    aggregateMeasures(METRIC_IDS.pd, measures, (m) => m.pd, "max"),
    aggregateMeasures(METRIC_IDS.scr, measures, (m) => m.scr, "min"),
    aggregateMeasures(METRIC_IDS.stability, measures, stabilityOf, "min"),
    meanDefined(METRIC_IDS.ti, measures, (m) => m.ti),
    meanDefined(METRIC_IDS.sdc, measures, (m) => m.sdc),
  ];
}

function unclassifiedShare(measures: readonly TurnMeasure[]): MetricValue {
  const sentences = measures.reduce((n, m) => n + m.sentences, 0);
  const unclassified = measures.reduce((n, m) => n + m.unclassified, 0);
  return metric(METRIC_IDS.unclassified, sentences > 0 ? ratioBps(unclassified, sentences) : null, "bps");
}

function unverifiedTurns(measures: readonly TurnMeasure[]): MetricValue {
  return metric(METRIC_IDS.unverifiedTurns, measures.filter((m) => m.di === null).length, "count");
}

/** Worst recovery over hijack blocks: null (unverified) when a block never recovered. */
function recoveryMetric(analyses: readonly RunAnalysis[]): MetricValue | null {
  const blocks = analyses.flatMap((a) => a.recovery);
  if (blocks.length === 0) return null;
  if (blocks.some((b) => b.turns === null)) return metric(METRIC_IDS.recovery, null, "turns");
  return metric(METRIC_IDS.recovery, Math.max(...blocks.map((b) => b.turns!)), "turns");
}

function selfReportMetric(analyses: readonly RunAnalysis[]): MetricValue {
  const comparable = analyses.reduce((n, a) => n + a.selfReport.comparable, 0);
  const agreeing = analyses.reduce((n, a) => n + a.selfReport.agreeing, 0);
  return metric(METRIC_IDS.selfReport, comparable > 0 ? ratioBps(agreeing, comparable) : null, "bps");
}

function syncMetric(analyses: readonly RunAnalysis[]): MetricValue | null {
  const sync = analyses.filter((a) => a.sync !== null);
  if (sync.length === 0) return null;
  const turns = sync.reduce((n, a) => n + new Set(a.sync!.violations.map((v) => v.turn)).size, 0);
  return metric(METRIC_IDS.sync, turns, "count");
}

function crystallizationMetric(analyses: readonly RunAnalysis[]): MetricValue {
  return metric(METRIC_IDS.crystallization, analyses.reduce((n, a) => n + a.crystallizations.length, 0), "count");
}

const NO_SPREAD: TrajectorySpread = { max: null, mean: null, maxTurn: null, alignedTurns: 0, runs: 0 };

function spreadMetrics(spread: TrajectorySpread): MetricValue[] {
  return [metric(METRIC_IDS.spread, spread.max, "bps"), metric(METRIC_IDS.spreadMean, spread.mean, "bps")];
}

/**
 * Stability groups: runs of one scenario id under at least two distinct seeds
 * (first run per seed; replays of a seed add nothing to a spread), in
 * first-appearance order. Also runs declaring the "stability" check form a group.
 */
export function stabilityGroups(analyses: readonly RunAnalysis[]): RunAnalysis[][] {
  const groups = new Map<string, Map<number, RunAnalysis>>();
  for (const a of analyses) {
    const bySeed = groups.get(a.run.scenario.id) ?? new Map<number, RunAnalysis>();
    if (!bySeed.has(a.run.seed)) bySeed.set(a.run.seed, a);
    groups.set(a.run.scenario.id, bySeed);
  }
  return [...groups.values()]
    .map((bySeed) => [...bySeed.values()])
    .filter((group) => group.length >= 2 || group.some((a) => hasCheck(a.run, "stability")));
}

export function groupSpread(group: readonly RunAnalysis[]): TrajectorySpread {
  return trajectorySpread(group.map((a) => a.measurement.perRecord));
}

/** Metrics of one scenario run. `spread` is its stability group's spread, when it has one. */
export function scenarioMetrics(analysis: RunAnalysis, spread: TrajectorySpread | null): MetricValue[] {
  const measures = analysis.measurement.perRecord;
  const out: MetricValue[] = [
    ...driftMetrics(measures),
    aggregateMeasures(METRIC_IDS.diCombined, analysis.measurement.combined.measures, (m) => m.di, "max"),
    unclassifiedShare(measures),
    unverifiedTurns(measures),
    selfReportMetric([analysis]),
    crystallizationMetric([analysis]),
  ];
  const recovery = recoveryMetric([analysis]);
  if (recovery) out.push(recovery);
  const sync = syncMetric([analysis]);
  if (sync) out.push(sync);
  if (spread) out.push(...spreadMetrics(spread));
  return out;
}

/** Maximum spread over stability groups (the group with the largest max spread gives both values). */
function suiteSpread(analyses: readonly RunAnalysis[]): TrajectorySpread | null {
  const spreads = stabilityGroups(analyses).map(groupSpread);
  if (spreads.length === 0) return null;
  let best: TrajectorySpread = spreads[0]!;
  for (const s of spreads) if (s.max !== null && (best.max === null || s.max > best.max)) best = s;
  return best;
}

/** Turns whose DI window holds no expected hijack turn: drift the runtime was not asked for. */
export function unprovokedMeasures(analysis: RunAnalysis): TurnMeasure[] {
  const hijacks = new Set(analysis.run.records.filter((r) => r.expect.hijack === true).map((r) => r.index));
  return analysis.measurement.perRecord.filter((m) => !m.hijack && !m.window.some((t) => hijacks.has(t)));
}

/**
 * Suite-level metrics. DI and its components summarise the unprovoked drift of
 * the runs that declare the "drift" check (turns whose window holds a scripted
 * hijack are left out: deliberate pressure is judged by recovery and sync
 * containment); the rest cover every run.
 */
export function suiteMetrics(analyses: readonly RunAnalysis[]): MetricValue[] {
  const longHorizon = analyses.filter((a) => hasCheck(a.run, "drift")).flatMap(unprovokedMeasures);
  const all = analyses.flatMap((a) => a.measurement.perRecord);
  return [
    ...driftMetrics(longHorizon),
    unclassifiedShare(all),
    unverifiedTurns(all),
    selfReportMetric(analyses),
    crystallizationMetric(analyses),
    recoveryMetric(analyses.filter((a) => hasCheck(a.run, "recovery"))) ?? metric(METRIC_IDS.recovery, null, "turns"),
    syncMetric(analyses) ?? metric(METRIC_IDS.sync, null, "count"),
    ...spreadMetrics(suiteSpread(analyses) ?? NO_SPREAD),
    metric(METRIC_IDS.scenariosCompleted, analyses.filter((a) => a.run.completed).length, "count"),
  ];
}
