// Every number the submission page shows, from one derivation. Pure.
//
// Why: the page used to mix sources — "Scenarios 11 of 11" from the worker's
// live progress beside `srs.scenarios_completed.v1` = 10 from the report, and
// "latest DI 0.0000" (the last turn of the last scenario) beside a composite DI
// of 0.15. Once a report exists it is the record: scenario counts, the scenario
// list, the DI figures and the charts all come from it, and the live progress
// is shown only while the audit runs (labelled as live).
import type { AuditReport, SubmissionProgress } from "@assay/protocol";
import { summarise, type Trajectory } from "../charts/drift-series";

export const COMPOSITE_DI_METRIC = "srs.composite_drift_index.v1";
export const SCENARIOS_COMPLETED_METRIC = "srs.scenarios_completed.v1";

export type ScenarioRow = {
  /** The chart's key: the run id, `id@seed` when a scenario runs under several seeds. */
  key: string;
  id: string;
  title: string;
  seed: number;
  turns: number;
  completed: boolean;
  /** From the run's per-turn series (null without one). */
  maxDiBps: number | null;
  lastDiBps: number | null;
  turnsAtOrAbove5000: number | null;
};

export type SubmissionFigures =
  | {
      source: "report";
      scenarios: { total: number; completed: number };
      /** The report's composite DI (basis points; null when unverified or absent). */
      compositeDiBps: number | null;
      rows: ScenarioRow[];
      /** One chart per row that carries a series, in the same order and with the same keys. */
      charts: Trajectory[];
    }
  | {
      source: "live";
      scenarios: { total: number; completed: number } | null;
      /** The latest turn's DI as the worker recorded it (this turn of this scenario only). */
      latestTurn: { scenario: string | null; turn: number | null; measuredBps: number | null; reportedBps: number | null } | null;
    };

/** The page's figures: from the report when there is one, else from the live progress. */
export function submissionFigures(progress: SubmissionProgress | undefined, report: AuditReport | null): SubmissionFigures {
  if (report) {
    const keys = scenarioKeys(report);
    const charts: Trajectory[] = [];
    const rows = report.scenarios.map((s, i): ScenarioRow => {
      const points = (s.series ?? []).map((di, t) => ({ turn: t + 1, di }));
      if (points.length > 0) charts.push({ scenario: keys[i]!, title: s.title, points });
      const summary = points.length > 0 ? summarise(points) : null;
      return {
        key: keys[i]!,
        id: s.id,
        title: s.title,
        seed: s.seed,
        turns: s.turns,
        completed: s.completed,
        maxDiBps: summary?.maxBps ?? null,
        lastDiBps: summary?.lastBps ?? null,
        turnsAtOrAbove5000: summary ? summary.turnsAtOrAbove5000 : null,
      };
    });
    const composite = report.metrics.find((m) => m.id === COMPOSITE_DI_METRIC);
    return {
      source: "report",
      scenarios: { total: rows.length, completed: rows.filter((r) => r.completed).length },
      compositeDiBps: composite?.value ?? null,
      rows,
      charts,
    };
  }
  const p = progress ?? {};
  const total = p.scenariosTotal ?? 0;
  const hasTurn = p.measuredDiBps !== undefined || p.reportedDiBps !== undefined;
  return {
    source: "live",
    scenarios: total > 0 ? { total, completed: Math.min(p.scenariosCompleted ?? 0, total) } : null,
    latestTurn: hasTurn
      ? { scenario: p.currentScenario ?? null, turn: p.currentTurn ?? null, measuredBps: p.measuredDiBps ?? null, reportedBps: p.reportedDiBps ?? null }
      : null,
  };
}

/** The keys trajectoriesFromReport gives each scenario (id, or id@seed for a repeated id). */
function scenarioKeys(report: AuditReport): string[] {
  const keys: string[] = [];
  for (const s of report.scenarios) {
    const repeated = keys.some((k) => k === s.id || k.startsWith(`${s.id}@`));
    keys.push(repeated ? `${s.id}@${s.seed}` : s.id);
  }
  return keys;
}

/** Where the report and the figures disagree (a self-check the tests and the page both use; empty when consistent). */
export function inconsistencies(report: AuditReport, figures: SubmissionFigures): string[] {
  if (figures.source !== "report") return ["the figures do not come from the report"];
  const out: string[] = [];
  const metric = report.metrics.find((m) => m.id === SCENARIOS_COMPLETED_METRIC);
  if (metric && metric.value !== null && metric.value !== figures.scenarios.completed) {
    out.push(`${SCENARIOS_COMPLETED_METRIC} says ${metric.value}, the scenario list has ${figures.scenarios.completed} completed`);
  }
  if (figures.scenarios.total !== report.scenarios.length) out.push("the scenario count is not the report's");
  return out;
}
