#!/usr/bin/env node
// Runs every workspace's tests through turbo, then sums the machine-readable
// results each workspace wrote to .test-results/*.json (jest's --json format:
// numPassedTests / numFailedTests) and prints one plain line "N passed, N failed".
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { summarize, resultFiles, workspaceDirs } from "./test-summary.mjs";

for (const file of resultFiles()) rmSync(file, { force: true });
// jest --outputFile does not create its folder.
for (const dir of workspaceDirs()) mkdirSync(join(dir, ".test-results"), { recursive: true });

const turbo = spawnSync(
  "npx",
  ["turbo", "run", "test", "--concurrency=1", "--continue", "--output-logs=full", ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1" } },
);

const { passed, failed, files, failures } = summarize();
if (files === 0) console.error("no test results were written");
// Name what failed last, so the tail of a CI log is enough to start from.
for (const line of failures) console.log(`failed: ${line}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(turbo.status !== 0 || failed > 0 || files === 0 ? 1 : 0);
