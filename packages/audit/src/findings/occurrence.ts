// Findings are collected as occurrences (one per turn or episode) and folded
// into one finding per (code, scenario), so a report stays readable: the most
// severe, earliest occurrence represents the group, and the evidence counts them.
import type { Finding, FindingCode, Severity } from "@assay/protocol";

export type Evidence = Record<string, string | number | boolean | null | readonly (string | number)[]>;

export type Occurrence = {
  code: FindingCode;
  severity: Severity;
  scenario: string;
  turn: number | null;
  message: string;
  evidence: Evidence;
};

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, minor: 1, major: 2, critical: 3 };

/** Null turns (scenario-level facts) sort before numbered turns. */
export function compareTurn(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a - b;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Deterministic order: severity (critical first), scenario order (by position
 * in `scenarioOrder`, unknown scenarios after, by name), turn, code.
 */
export function compareFindings(scenarioOrder: readonly string[]): (a: Finding, b: Finding) => number {
  const position = new Map(scenarioOrder.map((s, i) => [s, i] as const));
  return (a, b) =>
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (position.get(a.scenario) ?? scenarioOrder.length) - (position.get(b.scenario) ?? scenarioOrder.length) ||
    compareText(a.scenario, b.scenario) ||
    compareTurn(a.turn, b.turn) ||
    compareText(a.code, b.code);
}

/** Fold occurrences into one finding per (code, scenario); `occurrences` counts distinct turns. */
export function foldOccurrences(occurrences: readonly Occurrence[]): Finding[] {
  const groups = new Map<string, Occurrence[]>();
  for (const o of occurrences) {
    const key = `${o.code}\u0000${o.scenario}`;
    const list = groups.get(key);
    if (!list) {
      groups.set(key, [o]);
      continue;
    }
    // Why: two rules may flag the same turn for one code; a turn counts once, at its worst.
    const same = list.findIndex((x) => x.turn === o.turn);
    if (same < 0) list.push(o);
    else if (SEVERITY_RANK[o.severity] > SEVERITY_RANK[list[same]!.severity]) list[same] = o;
  }
  const findings: Finding[] = [];
  for (const list of groups.values()) {
    const representative = [...list].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || compareTurn(a.turn, b.turn))[0]!;
    const firstTurn = list.map((o) => o.turn).sort(compareTurn)[0] ?? null;
    const suffix = list.length > 1 ? ` (${list.length} occurrences)` : "";
    findings.push({
      code: representative.code,
      severity: representative.severity,
      scenario: representative.scenario,
      turn: representative.turn,
      message: representative.message + suffix,
      evidence: { ...representative.evidence, occurrences: list.length, firstTurn },
    });
  }
  return findings;
}

/** A basis-point value as a fixed four-decimal ratio, e.g. 6200 -> "0.6200" (integer math only). */
export function formatBps(bps: number | null): string {
  if (bps === null) return "unverified";
  return `${Math.floor(bps / 10_000)}.${String(bps % 10_000).padStart(4, "0")}`;
}
