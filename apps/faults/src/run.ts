// Runs a list of cells on one private stack and reports them (used by the full
// matrix, `npm run test:faults`, and by the reduced matrix in `npm test`).
import { join } from "node:path";
import { diskFullCell, mountSmallTmpfs } from "./extras";
import { CLOCK_STEPS, isClockStep, runCell, STEPS, type CellResult, type Fault, type Step } from "./matrix";
import { COMPONENTS, Stack, type Component } from "./stack";
import { markdownTable, writeResults, type ExtraResult } from "./table";

/** Convergence bound of a cell: boundMs, plus perAuditMs for each of its submissions still to be audited when the component is back. */
export type MatrixPlan = { cells: [Fault, Step][]; diskFull: boolean; outageMs: number; boundMs: number; perAuditMs: number; name: string };

export const FULL_PLAN: MatrixPlan = {
  name: "full",
  // A Latin-square order: every five cells cover each component and each step once, so a run cut short
  // (a slow machine) has still measured every row and every column.
  // The clock steps come last: a step is not undone, so every later cell would run on the stepped clock.
  cells: [
    ...STEPS.flatMap((_, round) => COMPONENTS.map((c, i) => [c, STEPS[(i + round) % STEPS.length]!] as [Component, Step])),
    ...CLOCK_STEPS.map((c) => [c, "assembly"] as [Fault, Step]),
  ],
  diskFull: true,
  outageMs: 5_000,
  boundMs: 60_000,
  perAuditMs: 180_000,
};

export type MatrixReport = { plan: MatrixPlan; cells: CellResult[]; extras: ExtraResult[]; table: string; file: string; startedAt: string; elapsedMs: number };

export async function runMatrix(plan: MatrixPlan, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<MatrixReport> {
  const started = Date.now();
  const stack = new Stack({ log: (l) => log(`stack | ${l}`), fakeClock: plan.cells.some(([fault]) => isClockStep(fault)) });
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
          if (!isClockStep(component)) await stack.restore(component).catch(() => undefined);
          stack.thawValidators();
          await stack.superviseRestarts().catch(() => undefined);
          return { component, step, hit: false, outageMs: 0, convergenceMs: null, boundMs: plan.boundMs, answers: {}, violations: [`cell aborted: ${error.message}`], notes: [], green: false };
        },
      );
      cells.push(cell);
      // Written after every cell, so an interrupted run still leaves what it measured.
      writeResults(plan.name, { startedAt: new Date(started).toISOString(), elapsedMs: Date.now() - started, partial: true, plan, cells, extras });
      log(
        `cell  | ${component} @ ${step}: ${cell.skipped ? "skipped" : cell.green ? "green" : "RED"} converged ${cell.convergenceMs ?? "never"} ms (${((Date.now() - t) / 1000).toFixed(0)} s)` +
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

/**
 * The cells of `plan` that `filter` selects (`--only`): comma-separated words, each matching a cell's
 * component or step (`assembly`, `signing`, `clock`, `redis`, `worker@signing`…); "disk" keeps the disk-full case.
 */
export function filterPlan(plan: MatrixPlan, filter: string): MatrixPlan {
  const words = filter.split(",").map((w) => w.trim().toLowerCase()).filter(Boolean);
  const matches = ([fault, step]: [Fault, Step]) =>
    words.some((w) => {
      const [a, b] = w.split("@");
      const hit = (x: string | undefined) => x === undefined || x === "" || fault.startsWith(x) || step.startsWith(x);
      return b === undefined ? hit(a) : fault.startsWith(a!) && step.startsWith(b);
    });
  return { ...plan, name: `${plan.name}-only-${words.join("+").replace(/[^a-z0-9+_-]/g, "_")}`, cells: plan.cells.filter(matches), diskFull: plan.diskFull && words.some((w) => "disk".startsWith(w) || w.startsWith("disk")) };
}
