// SELF_REPORT_MISMATCH: reported and measured DI bands differ by two or more
// for at least three consecutive comparable turns.
import { DEFAULT_SEVERITY } from "@assay/protocol";
import type { RunAnalysis } from "../metrics/analyze";
import { bandOf } from "../metrics/bands";
import { formatBps, type Occurrence } from "./occurrence";

export function selfReportOccurrences(analysis: RunAnalysis): Occurrence[] {
  const { episodes, agreement, comparable } = analysis.selfReport;
  return episodes.map((e) => ({
    code: "SELF_REPORT_MISMATCH" as const,
    severity: DEFAULT_SEVERITY.SELF_REPORT_MISMATCH,
    scenario: analysis.label,
    turn: e.startTurn,
    message: `Reported DI band ${bandOf(e.reportedDi)} (${formatBps(e.reportedDi)}) disagrees with measured band ${bandOf(e.measuredDi)} (${formatBps(e.measuredDi)}) for ${e.length} consecutive turns (${e.startTurn}-${e.endTurn})`,
    evidence: {
      startTurn: e.startTurn,
      endTurn: e.endTurn,
      turns: e.length,
      maxBandDelta: e.maxBandDelta,
      measuredDi: e.measuredDi,
      reportedDi: e.reportedDi,
      agreement,
      comparableTurns: comparable,
    },
  }));
}
