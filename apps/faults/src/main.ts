// `npm run test:faults`: the full fault matrix on a private stack. Prints the
// table (markdown) and writes results/full.json; exits 1 when a cell is red.
// `npm run test:faults -- --only assembly,clock` runs only the cells whose component or step
// matches a word (`worker@signing` for one cell; `disk` for the disk-full case).
import { filterPlan, FULL_PLAN, runMatrix } from "./run";

const args = process.argv.slice(2);
const at = args.findIndex((a) => a === "--only" || a.startsWith("--only="));
const filter = at < 0 ? null : args[at]!.startsWith("--only=") ? args[at]!.slice("--only=".length) : (args[at + 1] ?? "");
const plan = filter === null ? FULL_PLAN : filterPlan(FULL_PLAN, filter);
if (plan.cells.length === 0 && !plan.diskFull) {
  console.error(`--only ${filter ?? ""} selects no cell`);
  process.exit(2);
}

runMatrix(plan).then(
  (report) => {
    process.stdout.write(`\n${report.table}\n\nresults: ${report.file} (${(report.elapsedMs / 1000).toFixed(0)} s)\n`);
    const red = report.cells.some((c) => !c.green) || report.extras.some((e) => !e.green);
    process.exit(red ? 1 : 0);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);
