// Runs a list of cells on one private stack and reports them (used by the full
// matrix, `npm run test:faults`, and by the reduced matrix in `npm test`).
import { join } from "node:path";
import { diskFullCell, mountSmallTmpfs } from "./extras";
import { runCell, STEPS, type CellResult, type Step } from "./matrix";
import { COMPONENTS, Stack, type Component } from "./stack";
import { markdownTable, writeResults, type ExtraResult } from "./table";

/** Convergence bound of a cell: boundMs, plus perAuditMs for each of its submissions still to be audited when the component is back. */
export type MatrixPlan = { cells: [Component, Step][]; diskFull: boolean; outageMs: number; boundMs: number; perAuditMs: number; name: string };

export const FULL_PLAN: MatrixPlan = {
  name: "full",
  // A Latin-square order: every five cells cover each component and each step once, so a run cut short
  // (a slow machine) has still measured every row and every column.
  cells: STEPS.flatMap((_, round) => COMPONENTS.map((c, i) => [c, STEPS[(i + round) % STEPS.length]!] as [Component, Step])),
  diskFull: true,
  outageMs: 5_000,
  boundMs: 60_000,
  perAuditMs: 180_000,
};

export type MatrixReport = { plan: MatrixPlan; cells: CellResult[]; extras: ExtraResult[]; table: string; file: string; startedAt: string; elapsedMs: number };

export async function runMatrix(plan: MatrixPlan, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<MatrixReport> {
  const started = Date.now();
  const stack = new Stack({ log: (l) => log(`stack | ${l}`) });
  const artifactDir = join(stack.dir, "artifacts");
  const mounted = plan.diskFull && mountSmallTmpfs(artifactDir);
  if (mounted) stack.mounts.push(artifactDir);
  const cells: CellResult[] = [];
  const extras: ExtraResult[] = [];
  try {
    await stack.start();
    log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const [component, step] of plan.cells) {
      const t = Date.now();
      const cell = await runCell(stack, component, step, { outageMs: plan.outageMs, boundMs: plan.boundMs, perAuditMs: plan.perAuditMs, log: (l) => log(`cell  | ${l}`) }).catch(
        async (error: Error): Promise<CellResult> => {
          // A cell that could not run to its end is red with the reason; the component is brought back for the next one.
          await stack.restore(component).catch(() => undefined);
          await stack.superviseRestarts().catch(() => undefined);
          return { component, step, hit: false, outageMs: 0, convergenceMs: null, boundMs: plan.boundMs, answers: {}, violations: [`cell aborted: ${error.message}`], notes: [], green: false };
        },
      );
      cells.push(cell);
      // Written after every cell, so an interrupted run still leaves what it measured.
      writeResults(plan.name, { startedAt: new Date(started).toISOString(), elapsedMs: Date.now() - started, partial: true, plan, cells, extras });
      log(
        `cell  | ${component} @ ${step}: ${cell.green ? "green" : "RED"} converged ${cell.convergenceMs ?? "never"} ms (${((Date.now() - t) / 1000).toFixed(0)} s)` +
          `${cell.violations.length ? ` — ${cell.violations.join("; ")}` : ""}${cell.notes.length ? ` [${cell.notes.join("; ")}]` : ""}`,
      );
    }
    if (plan.diskFull) extras.push(await diskFullCell(stack, artifactDir, mounted, plan.boundMs + plan.perAuditMs));
  } finally {
    await stack.stop();
  }
  const table = markdownTable(cells, extras);
  const startedAt = new Date(started).toISOString();
  const file = writeResults(plan.name, { startedAt, elapsedMs: Date.now() - started, plan, cells, extras });
  return { plan, cells, extras, table, file, startedAt, elapsedMs: Date.now() - started };
}
