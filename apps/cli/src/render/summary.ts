// The human-readable summary of an audit report: verdict, digests, per-scenario
// maximum DI, claims table, findings table. A pure function of the report; colour is a
// parameter (off for pipes and NO_COLOR).
import type { AuditReport, ClaimResult, ClaimStatus, Finding, ScenarioSummary, Severity } from "@assay/protocol";
import type { Colors } from "picocolors/types";
import { bpsToDecimal } from "./numbers";
import { renderTable } from "./table";

/** The per-scenario DI summary metric (the maximum DI measured over the scenario). */
export const SCENARIO_MAX_DI_METRIC = "srs.composite_drift_index.v1";

const SEVERITY_ORDER: Severity[] = ["critical", "major", "minor", "info"];

export function renderSummary(report: AuditReport, colors: Colors): string {
  const verdict = report.verdict === "pass" ? colors.bold(colors.green("PASS")) : colors.bold(colors.red("FAIL"));
  const withheld = report.claims.filter((c) => c.status !== "evidenced").map((c) => c.srip);
  const claimsNote = withheld.length === 0 ? "" : `  ${colors.yellow(`claims not evidenced: ${withheld.join(", ")}`)}`;
  const lines = [
    `${verdict}  ${report.subject.name}@${report.subject.version}${claimsNote}`,
    `  subject digest  ${report.subject.digest}`,
    `  report digest   ${report.digest}`,
    `  suite           ${report.suite.id} ${report.suite.version}, seed ${report.seed}`,
    `  engine          ${report.engine.name} ${report.engine.version}, profile ${report.profile}`,
    ...(report.rollout ? [`  srip13 mode     ${report.rollout.srip13}`] : []),
    "",
    colors.bold("Scenarios"),
    ...renderTable(["SCENARIO", "SEED", "TURNS", "COMPLETED", "MAX DI"], report.scenarios.map((s) => scenarioRow(s, colors))),
    "",
    ...renderClaims(report.claims, colors),
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

function renderClaims(claims: ClaimResult[], colors: Colors): string[] {
  const evidenced = claims.filter((c) => c.status === "evidenced").length;
  return [
    colors.bold(`Claims (${evidenced} of ${claims.length} evidenced)`),
    ...renderTable(
      ["SRIP", "STATUS", "FINDINGS"],
      claims.map((c) => [c.srip, claimStatusCell(c.status, colors), findingsCell(c, colors)]),
    ),
  ];
}

/** The codes that count against the claim; under srip13.mode shadow, the shadowed ones after them (reported, not counted). */
function findingsCell(claim: ClaimResult, colors: Colors): string {
  const counted = claim.findings.length === 0 ? "—" : claim.findings.join(", ");
  return claim.shadowed ? `${counted} ${colors.dim(`(shadowed: ${claim.shadowed.join(", ")})`)}` : counted;
}

function claimStatusCell(status: ClaimStatus, colors: Colors): string {
  switch (status) {
    case "evidenced":
      return colors.green(status);
    case "not-evidenced":
      return colors.red(status);
    default:
      return colors.yellow(status);
  }
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
