// deriveFindings: every finding of an audit, as a pure function of the scenario
// runs (and any replay pairs), in a stable order.
import type { Finding } from "@assay/protocol";
import { analyzeRuns, type RunAnalysis } from "../metrics/analyze";
import type { MeasureOptions } from "../metrics/series";
import type { ScenarioRun } from "../types";
import { crystallizedOccurrences } from "./crystallized";
import { driftOccurrences } from "./drift";
import { faultOccurrences, packetOccurrences } from "./faults";
import { compareFindings, foldOccurrences, type Occurrence } from "./occurrence";
import { recoveryOccurrences } from "./recovery";
import { compareReplay, type ReplayPair } from "./replay";
import { scopeOccurrences } from "./scope";
import { selfReportOccurrences } from "./selfReport";
import { syncOccurrences } from "./sync";
import { unverifiedOccurrences } from "./unverified";

const FAMILIES: ((analysis: RunAnalysis) => Occurrence[])[] = [
  faultOccurrences,
  packetOccurrences,
  driftOccurrences,
  recoveryOccurrences,
  selfReportOccurrences,
  syncOccurrences,
  scopeOccurrences,
  crystallizedOccurrences,
  unverifiedOccurrences,
];

/** The label a replay pair's finding is filed under: the original run's label when it is one of the audit's runs. */
function replayLabel(pair: ReplayPair, analyses: readonly RunAnalysis[]): string {
  const same =
    analyses.find((a) => a.run === pair.original) ??
    analyses.find((a) => a.run.scenario.id === pair.original.scenario.id && a.run.seed === pair.original.seed);
  return same ? same.label : pair.original.scenario.id;
}

export function replayOccurrences(pairs: readonly ReplayPair[], analyses: readonly RunAnalysis[]): Occurrence[] {
  const out: Occurrence[] = [];
  for (const pair of pairs) {
    const finding = compareReplay(pair, replayLabel(pair, analyses));
    if (finding) out.push({ ...finding, evidence: finding.evidence as Occurrence["evidence"] });
  }
  return out;
}

export function deriveFindingsFromAnalyses(analyses: readonly RunAnalysis[], replays: readonly ReplayPair[] = []): Finding[] {
  const occurrences = analyses.flatMap((a) => FAMILIES.flatMap((family) => family(a)));
  occurrences.push(...replayOccurrences(replays, analyses));
  return foldOccurrences(occurrences).sort(compareFindings(analyses.map((a) => a.label)));
}

/** All findings of the runs (and replay pairs), one per (code, scenario), sorted deterministically. */
export function deriveFindings(runs: readonly ScenarioRun[], replays: readonly ReplayPair[] = [], options: MeasureOptions = {}): Finding[] {
  return deriveFindingsFromAnalyses(analyzeRuns(runs, options), replays);
}

/** RUNTIME_NONDETERMINISTIC findings for replay pairs alone. */
export function deriveReplayFindings(pairs: readonly ReplayPair[]): Finding[] {
  return foldOccurrences(replayOccurrences(pairs, [])).sort(compareFindings([]));
}
