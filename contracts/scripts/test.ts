// `npm test -w contracts`: runs Hardhat's Solidity and node:test runners and writes their structured
// summaries (the Result each Hardhat test task returns) to .test-results/hardhat.json in jest's --json
// shape, which the repo's root `npm test` sums. Exits non-zero when any test fails or a runner crashes.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import hre from "hardhat";
import { summarizeRunnerOutcome, toJestSummary, type RunnerOutcome } from "./test-summary.ts";

const RUNNERS = [
  ["test", "solidity"],
  ["test", "nodejs"],
] as const;

const outcomes: RunnerOutcome[] = [];
for (const [index, id] of RUNNERS.entries()) {
  const name = id[1];
  try {
    // Only the first runner compiles; both see the same artifacts.
    const result: unknown = await hre.tasks.getTask([...id]).run({ noCompile: index > 0 });
    outcomes.push(summarizeRunnerOutcome(name, result));
  } catch (error) {
    console.error(`hardhat ${id.join(" ")} crashed:`, error);
    outcomes.push({ runner: name, crashed: true, passed: 0, failed: 0, skipped: 0 });
  }
}

const summary = toJestSummary(outcomes);
const resultsFile = join(dirname(fileURLToPath(import.meta.url)), "..", ".test-results", "hardhat.json");
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`contracts: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numRuntimeErrorTestSuites} runner crashes`);
process.exit(summary.success ? 0 : 1);
