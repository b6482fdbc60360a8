// DRIFT_BAND_EXCEEDED: measured DI sustained in the recovery band (>= 0.6, major)
// or the critical band (> 0.7, critical) for 3 consecutive measured turns of a
// session. Applies to scenarios that declare "drift", "recovery" or "stability".
// Turns whose DI window contains a hijack turn are judged by RECOVERY_SLOW
// instead: they break a run. Unverified turns neither extend nor break a run.
import type { RunAnalysis } from "../metrics/analyze";
import { hasCheck, sessionScopes } from "../metrics/analyze";
import { DI_CRITICAL_BPS, DI_RECENTER_BPS, DRIFT_SUSTAINED_TURNS } from "../metrics/profile";
import type { TurnMeasure } from "../metrics/series";
import { formatBps, type Occurrence } from "./occurrence";

type Level = { severity: "major" | "critical"; inBand: (di: number) => boolean; band: string; threshold: number };

const LEVELS: Level[] = [
  { severity: "major", inBand: (di) => di >= DI_RECENTER_BPS, band: "recovery (>= 0.6)", threshold: DI_RECENTER_BPS },
  { severity: "critical", inBand: (di) => di > DI_CRITICAL_BPS, band: "critical (> 0.7)", threshold: DI_CRITICAL_BPS },
];

export function appliesDriftBand(analysis: RunAnalysis): boolean {
  const run = analysis.run;
  return hasCheck(run, "drift") || hasCheck(run, "recovery") || hasCheck(run, "stability");
}

type Episode = { start: number; end: number; length: number; peak: number };

/** Runs of >= DRIFT_SUSTAINED_TURNS consecutive measured turns inside a band. */
export function sustainedEpisodes(measures: readonly TurnMeasure[], inBand: (di: number) => boolean, hijackTurns: ReadonlySet<number>): Episode[] {
  const episodes: Episode[] = [];
  let open: Episode | null = null;
  const close = () => {
    if (open && open.length >= DRIFT_SUSTAINED_TURNS) episodes.push(open);
    open = null;
  };
  for (const m of measures) {
    if (m.window.some((t) => hijackTurns.has(t)) || m.hijack) {
      close();
      continue;
    }
    if (m.di === null) continue;
    if (!inBand(m.di)) {
      close();
      continue;
    }
    if (open) {
      const current: Episode = open;
      current.end = m.turn;
      current.length += 1;
      current.peak = Math.max(current.peak, m.di);
    } else open = { start: m.turn, end: m.turn, length: 1, peak: m.di };
  }
  close();
  return episodes;
}

export function driftOccurrences(analysis: RunAnalysis): Occurrence[] {
  if (!appliesDriftBand(analysis)) return [];
  const hijackTurns = new Set(analysis.run.records.filter((r) => r.expect.hijack === true).map((r) => r.index));
  const out: Occurrence[] = [];
  for (const measures of sessionScopes(analysis)) {
    for (const level of LEVELS) {
      for (const e of sustainedEpisodes(measures, level.inBand, hijackTurns)) {
        out.push({
          code: "DRIFT_BAND_EXCEEDED",
          severity: level.severity,
          scenario: analysis.label,
          turn: e.start,
          message: `Measured DI stayed in the ${level.band} band for ${e.length} turns (turns ${e.start}-${e.end}, peak ${formatBps(e.peak)})`,
          evidence: { thresholdDi: level.threshold, peakDi: e.peak, startTurn: e.start, endTurn: e.end, turns: e.length },
        });
      }
    }
  }
  return out;
}
