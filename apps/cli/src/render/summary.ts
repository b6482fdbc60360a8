// The human-readable summary of an audit report: verdict, digests, per-scenario
// maximum DI, findings table. A pure function of the report; colour is a
// parameter (off for pipes and NO_COLOR).
import type { AuditReport, Finding, ScenarioSummary, Severity } from "@assay/protocol";
import type { Colors } from "picocolors/types";
import { bpsToDecimal } from "./numbers";
import { renderTable } from "./table";

/** The per-scenario DI summary metric (the maximum DI measured over the scenario). */
export const SCENARIO_MAX_DI_METRIC = "srs.composite_drift_index.v1";

const SEVERITY_ORDER: Severity[] = ["critical", "major", "minor", "info"];

export function renderSummary(report: AuditReport, colors: Colors): string {
  const verdict = report.verdict === "pass" ? colors.bold(colors.green("PASS")) : colors.bold(colors.red("FAIL"));
  const lines = [
    `${verdict}  ${report.subject.name}@${report.subject.version}`,
    `  subject digest  ${report.subject.digest}`,
    `  report digest   ${report.digest}`,
    `  suite           ${report.suite.id} ${report.suite.version}, seed ${report.seed}`,
    `  engine          ${report.engine.name} ${report.engine.version}, profile ${report.profile}`,
    "",
    colors.bold("Scenarios"),
    ...renderTable(["SCENARIO", "SEED", "TURNS", "COMPLETED", "MAX DI"], report.scenarios.map((s) => scenarioRow(s, colors))),
    "",
    ...renderFindings(report.findings, colors),
  ];
  return `${lines.join("\n")}\n`;
}

function scenarioRow(scenario: ScenarioSummary, colors: Colors): string[] {
  const maxDi = scenario.metrics.find((m) => m.id === SCENARIO_MAX_DI_METRIC);
  const di = maxDi ? `${bpsToDecimal(maxDi.value)}${maxDi.validity === "valid" ? "" : ` (${maxDi.validity})`}` : "—";
  return [
    scenario.id,
    String(scenario.seed),
    String(scenario.turns),
    scenario.completed ? "yes" : colors.red("no"),
    maxDi?.value != null && maxDi.value >= 5_000 ? colors.yellow(di) : di,
  ];
}

function renderFindings(findings: Finding[], colors: Colors): string[] {
  if (findings.length === 0) return [colors.bold("Findings"), "  none"];
  const counts = SEVERITY_ORDER.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const sorted = [...findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  return [
    colors.bold(`Findings (${counts.join(", ")})`),
    ...renderTable(
      ["SEVERITY", "CODE", "SCENARIO", "TURN", "MESSAGE"],
      sorted.map((f) => [severityCell(f.severity, colors), f.code, f.scenario, f.turn === null ? "—" : String(f.turn), f.message]),
    ),
  ];
}

function severityCell(severity: Severity, colors: Colors): string {
  switch (severity) {
    case "critical":
      return colors.red(severity);
    case "major":
      return colors.yellow(severity);
    default:
      return colors.dim(severity);
  }
}
