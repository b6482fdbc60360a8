// EVIDENCE_UNVERIFIED: turns whose DI could not be verified (no reply, or no
// sentence the audit can classify) once a full window was possible. Without
// this, a runtime answering blanks — or never passing the model's words on —
// would leave every metric null and no finding: nothing to certify over.
import { DEFAULT_SEVERITY } from "@assay/protocol";
import type { RunAnalysis } from "../metrics/analyze";
import { WINDOW_TURNS } from "../metrics/profile";
import type { Occurrence } from "./occurrence";

/** Shares of measurable turns (bps) above which the finding is raised. */
export const UNVERIFIED_CRITICAL_BPS = 5_000;
export const UNVERIFIED_MAJOR_BPS = 2_000;

export function unverifiedOccurrences(analysis: RunAnalysis): Occurrence[] {
  // A sandbox fault already ends the run with its own critical finding.
  if (analysis.run.records.some((r) => r.fault)) return [];
  const measurable = analysis.measurement.perRecord.filter((m) => m.cycle >= WINDOW_TURNS);
  const unverified = measurable.filter((m) => m.validity === "unverified");
  if (measurable.length === 0 || unverified.length === 0) return [];
  const shareBps = Math.floor((unverified.length * 10_000) / measurable.length);
  if (shareBps <= UNVERIFIED_MAJOR_BPS) return [];
  const severity = shareBps > UNVERIFIED_CRITICAL_BPS ? DEFAULT_SEVERITY.EVIDENCE_UNVERIFIED : "major";
  return [
    {
      code: "EVIDENCE_UNVERIFIED",
      severity,
      scenario: analysis.label,
      turn: unverified[0]!.turn,
      message: `DI could not be verified on ${unverified.length} of ${measurable.length} measurable turns (no reply, or no sentence of the model's to classify)`,
      evidence: { unverifiedTurns: unverified.length, measurableTurns: measurable.length, shareBps },
    },
  ];
}
