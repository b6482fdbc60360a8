// Schema-driven fuzzing of every endpoint of every plane on the real API
// (test/contract/fuzz.ts). CI runs a bounded budget; `npm run fuzz -w
// @assay/api` runs a bigger one (ASSAY_FUZZ_RUNS, ASSAY_FUZZ_SECONDS,
// ASSAY_FUZZ_SEED). The counts per plane are printed.
import { fuzzEveryRoute, summary } from "./contract/fuzz";
import { createWorld, type World } from "./contract/world";

const RUNS = Number(process.env.ASSAY_FUZZ_RUNS ?? 30);
const SECONDS = Number(process.env.ASSAY_FUZZ_SECONDS ?? 60);
const SEED = Number(process.env.ASSAY_FUZZ_SEED ?? 20261202);

jest.setTimeout((SECONDS + 90) * 1000);

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(async () => {
  await world?.close();
});

test(`fuzz every route: no 5xx, ApiError on every refusal, no row written by a refusal, every answer in its schema (seed ${SEED})`, async () => {
  const report = await fuzzEveryRoute(world, { runsPerRoute: RUNS, deadlineMs: SECONDS * 1000, seed: SEED });
  console.log(summary(report));
  expect(report.problems).toEqual([]);
  const total = Object.values(report.perPlane).reduce((n, c) => n + c.requests, 0);
  // At least the first 6 cases of every route run whatever the deadline (FuzzOptions.minCasesPerRoute).
  expect(total).toBeGreaterThan(report.routes * 5);
  // Every plane was reached.
  expect(Object.keys(report.perPlane).sort()).toEqual(["agent", "developer", "operator", "public"]);
});
