// Runs a list of cells on one private stack and reports them (used by the full
// matrix, `npm run test:faults`, and by the reduced matrix in `npm test`).
import { join } from "node:path";
import { diskFullCell, mountSmallTmpfs, unmount } from "./extras";
import { runCell, STEPS, type CellResult, type Step } from "./matrix";
import { COMPONENTS, Stack, type Component } from "./stack";
import { markdownTable, writeResults, type ExtraResult } from "./table";

export type MatrixPlan = { cells: [Component, Step][]; diskFull: boolean; outageMs: number; boundMs: number; name: string };

export const FULL_PLAN: MatrixPlan = {
  name: "full",
  cells: COMPONENTS.flatMap((c) => STEPS.map((s) => [c, s] as [Component, Step])),
  diskFull: true,
  outageMs: 5_000,
  boundMs: 120_000,
};

export type MatrixReport = { plan: MatrixPlan; cells: CellResult[]; extras: ExtraResult[]; table: string; file: string; startedAt: string; elapsedMs: number };

export async function runMatrix(plan: MatrixPlan, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<MatrixReport> {
  const started = Date.now();
  const stack = new Stack({ log: (l) => log(`stack | ${l}`) });
  const artifactDir = join(stack.dir, "artifacts");
  const mounted = plan.diskFull && mountSmallTmpfs(artifactDir);
  const cells: CellResult[] = [];
  const extras: ExtraResult[] = [];
  try {
    await stack.start();
    log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const [component, step] of plan.cells) {
      const t = Date.now();
      const cell = await runCell(stack, component, step, { outageMs: plan.outageMs, boundMs: plan.boundMs, log: (l) => log(`cell  | ${l}`) });
      cells.push(cell);
      // Written after every cell, so an interrupted run still leaves what it measured.
      writeResults(plan.name, { startedAt: new Date(started).toISOString(), elapsedMs: Date.now() - started, partial: true, plan, cells, extras });
      log(
        `cell  | ${component} @ ${step}: ${cell.green ? "green" : "RED"} converged ${cell.convergenceMs ?? "never"} ms (${((Date.now() - t) / 1000).toFixed(0)} s)` +
          `${cell.violations.length ? ` — ${cell.violations.join("; ")}` : ""}${cell.notes.length ? ` [${cell.notes.join("; ")}]` : ""}`,
      );
    }
    if (plan.diskFull) extras.push(await diskFullCell(stack, artifactDir, mounted, plan.boundMs));
  } finally {
    await stack.stop();
    if (mounted) unmount(artifactDir);
  }
  const table = markdownTable(cells, extras);
  const startedAt = new Date(started).toISOString();
  const file = writeResults(plan.name, { startedAt, elapsedMs: Date.now() - started, plan, cells, extras });
  return { plan, cells, extras, table, file, startedAt, elapsedMs: Date.now() - started };
}
