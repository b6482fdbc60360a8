// `npm run test:faults`: the full fault matrix on a private stack. Prints the
// table (markdown) and writes results/full.json; exits 1 when a cell is red.
import { FULL_PLAN, runMatrix } from "./run";

runMatrix(FULL_PLAN).then(
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
