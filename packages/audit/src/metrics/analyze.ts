// One pass of every metric over a scenario run; findings and the report both
// read this, so a run is measured once.
import type { ScenarioCheck, ScenarioRun, TurnRecord } from "../types";
import type { CrystallizationEvent } from "./phase";
import { recoveryPerBlock, type BlockRecovery } from "./recovery";
import { selfReportAgreement, type SelfReport } from "./selfReport";
import { measureRun, type MeasureOptions, type RunMeasurement, type TurnMeasure } from "./series";
import { measureSyncContainment, type SyncContainment } from "./sync";
import { ratioBps } from "./bps";

export type RunAnalysis = {
  run: ScenarioRun;
  /** Scenario label used in findings: the id, or `id@seed` when several runs share an id. */
  label: string;
  /** Position of the run in the audit (scenario order for sorting). */
  order: number;
  measurement: RunMeasurement;
  /** Records grouped per session, in order, aligned with measurement.bySession. */
  sessionRecords: Map<string, TurnRecord[]>;
  selfReport: SelfReport;
  /** Present when the scenario declares the "sync" check. */
  sync: SyncContainment | null;
  recovery: BlockRecovery[];
  crystallizations: CrystallizationEvent[];
};

export function hasCheck(run: ScenarioRun, check: ScenarioCheck): boolean {
  return run.scenario.checks.includes(check);
}

/** Stable, unique labels: the scenario id, or `id@seed` (then `#n`) where ids repeat. */
export function scenarioLabels(runs: readonly ScenarioRun[]): string[] {
  const idCount = new Map<string, number>();
  for (const r of runs) idCount.set(r.scenario.id, (idCount.get(r.scenario.id) ?? 0) + 1);
  const seen = new Map<string, number>();
  return runs.map((r) => {
    const base = idCount.get(r.scenario.id)! > 1 ? `${r.scenario.id}@${r.seed}` : r.scenario.id;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n > 1 ? `${base}#${n}` : base;
  });
}

export function analyzeRun(run: ScenarioRun, label: string, order: number, options: MeasureOptions = {}): RunAnalysis {
  const measurement = measureRun(run, options);
  const sessionRecords = new Map<string, TurnRecord[]>();
  for (const s of measurement.sessions) sessionRecords.set(s, run.records.filter((r) => r.turn.session === s));

  const reports: SelfReport[] = [];
  const syncs: SyncContainment[] = [];
  const recovery: BlockRecovery[] = [];
  const crystallizations: CrystallizationEvent[] = [];
  for (const s of measurement.sessions) {
    const records = sessionRecords.get(s)!;
    const scope = measurement.bySession.get(s)!;
    reports.push(selfReportAgreement(records, scope.measures));
    if (hasCheck(run, "sync")) syncs.push(measureSyncContainment(records, scope.measures));
    recovery.push(...recoveryPerBlock(scope.measures));
    crystallizations.push(...scope.crystallizations);
  }
  const byTurn =
    <T>(key: (x: T) => number) =>
    (a: T, b: T) =>
      key(a) - key(b);
  const comparable = reports.reduce((a, r) => a + r.comparable, 0);
  const agreeing = reports.reduce((a, r) => a + r.agreeing, 0);
  const selfReport: SelfReport = {
    comparable,
    agreeing,
    agreement: comparable > 0 ? ratioBps(agreeing, comparable) : null,
    episodes: reports.flatMap((r) => r.episodes).sort(byTurn((e) => e.startTurn)),
  };
  const sync: SyncContainment | null = hasCheck(run, "sync")
    ? {
        violations: syncs.flatMap((x) => x.violations).sort(byTurn((v) => v.turn)),
        recenterMissing: syncs.flatMap((x) => x.recenterMissing).sort(byTurn((v) => v.turn)),
        overrides: syncs.reduce((a, x) => a + x.overrides, 0),
      }
    : null;
  recovery.sort(byTurn((b) => b.startTurn));
  crystallizations.sort(byTurn((c) => c.turn));
  return { run, label, order, measurement, sessionRecords, selfReport, sync, recovery, crystallizations };
}

export function analyzeRuns(runs: readonly ScenarioRun[], options: MeasureOptions = {}): RunAnalysis[] {
  const labels = scenarioLabels(runs);
  return runs.map((run, i) => analyzeRun(run, labels[i]!, i, options));
}

/** Session-scope measures of a run, session by session (for per-session streak rules). */
export function sessionScopes(analysis: RunAnalysis): TurnMeasure[][] {
  return analysis.measurement.sessions.map((s) => analysis.measurement.bySession.get(s)!.measures);
}
