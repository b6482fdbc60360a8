// The reduced fault matrix (`npm test`; the full one is `npm run test:faults`):
// a private PostgreSQL cluster, redis-server and Hardhat node, the API and a
// worker as real processes, and a few representative cells — PostgreSQL
// crashed at intake (the API answers 503 + Retry-After, nothing is lost), the
// worker killed mid-audit, Redis killed (its data gone) while anchoring, the
// chain node frozen while anchoring — plus the artifact store's disk full, one
// cell of the assembly-phase column (the worker killed while a voting phase is
// open: its tally and deadline handling resume after the restart) and one clock step (the platform's wall
// clock stepped forward by an hour during an open commit phase, under
// libfaketime; skipped, with the reason printed, when libfaketime is missing).
// Every cell must be green and converge within its bound: 60 s plus 240 s per
// submission still to be audited when the component is back (docs/decisions/0023).
import { runMatrix, type MatrixPlan } from "../src/run";

// Generous: on a loaded 2-core machine one audit takes one to two minutes and the run makes about seven.
jest.setTimeout(2_700_000);

const REDUCED: MatrixPlan = {
  name: "reduced",
  cells: [
    ["postgres", "intake"],
    ["worker", "audit"],
    ["redis", "anchoring"],
    ["chain", "anchoring"],
    ["api", "status_change"],
    ["worker", "assembly"],
    ["clock_forward", "assembly"],
  ],
  diskFull: true,
  outageMs: 4_000,
  boundMs: 60_000,
  perAuditMs: 240_000,
};

it("keeps every invariant and converges in each representative cell", async () => {
  const report = await runMatrix(REDUCED, () => undefined);
  process.stdout.write(`\n${report.table}\n`);
  for (const cell of report.cells) {
    if (cell.skipped) {
      console.warn(`fault matrix: ${cell.component} @ ${cell.step} skipped: ${cell.skipped}`);
      continue;
    }
    expect({ cell: `${cell.component}@${cell.step}`, violations: cell.violations }).toEqual({ cell: `${cell.component}@${cell.step}`, violations: [] });
    expect(cell.convergenceMs).not.toBeNull();
  }
  for (const extra of report.extras) expect({ extra: extra.name, violations: extra.violations }).toEqual({ extra: extra.name, violations: [] });
  // PostgreSQL down: the API said so with 503 (never 500); the contract check above covers Retry-After and the body.
  expect(report.cells.find((c) => c.component === "postgres")!.answers["503"]).toBeGreaterThan(0);
});
