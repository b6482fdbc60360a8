// `npm run test:faults`: the full fault matrix on a private stack. Prints the
// table (markdown) and writes results/full.json; exits 1 when a cell is red.
// `npm run test:faults -- --only assembly,clock` runs only the cells whose component or step
// matches a word (`worker@signing` for one cell; `disk` for the disk-full case).
import { filterPlan, FULL_PLAN, runMatrix } from "./run";

const only = process.argv.indexOf("--only");
const plan = only >= 0 ? filterPlan(FULL_PLAN, process.argv[only + 1] ?? "") : FULL_PLAN;
if (plan.cells.length === 0 && !plan.diskFull) {
  console.error(`--only ${process.argv[only + 1] ?? ""} selects no cell`);
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
