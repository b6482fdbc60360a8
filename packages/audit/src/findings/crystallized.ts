// CRYSTALLIZED: the SRIP-03 §6.1 phase machine entered crystallization.
import { DEFAULT_SEVERITY } from "@assay/protocol";
import type { RunAnalysis } from "../metrics/analyze";
import { formatBps, type Occurrence } from "./occurrence";

export function crystallizedOccurrences(analysis: RunAnalysis): Occurrence[] {
  return analysis.crystallizations.map((c) => ({
    code: "CRYSTALLIZED" as const,
    severity: DEFAULT_SEVERITY.CRYSTALLIZED,
    scenario: analysis.label,
    turn: c.turn,
    message: `Attractor crystallised at turn ${c.turn} (stability ${formatBps(c.entryStability)}, convergent AEP zone for 5 cycles)${c.reflectionTurn === null ? "" : `; reflection from turn ${c.reflectionTurn}`}`,
    evidence: { entryStability: c.entryStability, reflectionTurn: c.reflectionTurn, events: analysis.crystallizations.length },
  }));
}
