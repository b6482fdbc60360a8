// The matrix as a markdown table (components × steps, each cell green/red with
// its convergence time) and as JSON under apps/faults/results (gitignored).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FAULT_LABELS, STEPS, STEP_LABELS, type CellResult, type Fault, type Step } from "./matrix";

export type ExtraResult = { name: string; green: boolean; convergenceMs: number | null; boundMs: number; detail: string; violations: string[] };

function cellText(cell: CellResult | undefined): string {
  if (!cell) return "—";
  if (cell.skipped) return "skipped";
  const time = cell.convergenceMs === null ? "no convergence" : `${(cell.convergenceMs / 1000).toFixed(1)} s`;
  return `${cell.green ? "green" : "RED"} ${time}${cell.hit ? "" : " (window missed)"}`;
}

export function markdownTable(cells: CellResult[], extras: ExtraResult[] = []): string {
  const components = (Object.keys(FAULT_LABELS) as Fault[]).filter((f) => cells.some((c) => c.component === f));
  const steps: Step[] = STEPS.filter((s) => cells.some((c) => c.step === s));
  const lines = [
    `| component \\ step | ${steps.map((s) => STEP_LABELS[s]).join(" | ")} |`,
    `|---|${steps.map(() => "---").join("|")}|`,
    ...components.map((component) => `| ${FAULT_LABELS[component]} | ${steps.map((step) => cellText(cells.find((c) => c.component === component && c.step === step))).join(" | ")} |`),
  ];
  if (extras.length) {
    lines.push("", "| fault | result | convergence | detail |", "|---|---|---|---|");
    for (const e of extras) lines.push(`| ${e.name} | ${e.green ? "green" : "RED"} | ${e.convergenceMs === null ? "—" : `${(e.convergenceMs / 1000).toFixed(1)} s`} | ${e.detail} |`);
  }
  const skipped = cells.filter((c) => c.skipped).map((c) => `- ${FAULT_LABELS[c.component]} @ ${STEP_LABELS[c.step]}: skipped — ${c.skipped}`);
  const red = [...cells.filter((c) => !c.green).map((c) => `- ${c.component} @ ${STEP_LABELS[c.step]}: ${c.violations.join("; ")}`), ...extras.filter((e) => !e.green).map((e) => `- ${e.name}: ${e.violations.join("; ")}`)];
  const notes = cells.filter((c) => c.notes.length && !c.skipped).map((c) => `- ${c.component} @ ${STEP_LABELS[c.step]}: ${c.notes.join("; ")}`);
  if (red.length) lines.push("", "Red cells:", ...red);
  if (skipped.length) lines.push("", "Skipped:", ...skipped);
  if (notes.length) lines.push("", "Notes:", ...notes);
  return lines.join("\n");
}

export function writeResults(name: string, payload: unknown): string {
  const dir = join(__dirname, "..", "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
  return file;
}
