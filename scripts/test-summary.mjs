// Reads every workspace's .test-results/*.json (jest --json shape) and sums them.
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..");

export function workspaceDirs() {
  const dirs = [];
  for (const group of ["packages", "apps"]) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) dirs.push(join(base, name));
  }
  dirs.push(join(root, "contracts"));
  return dirs.filter((d) => existsSync(d) && statSync(d).isDirectory());
}

export function resultFiles() {
  const files = [];
  for (const dir of workspaceDirs()) {
    const results = join(dir, ".test-results");
    if (!existsSync(results)) continue;
    for (const f of readdirSync(results)) if (f.endsWith(".json")) files.push(join(results, f));
  }
  return files;
}

export function summarize() {
  let passed = 0;
  let failed = 0;
  const failures = [];
  const files = resultFiles();
  for (const file of files) {
    const data = JSON.parse(readFileSync(file, "utf8"));
    passed += Number(data.numPassedTests ?? 0);
    failed += Number(data.numFailedTests ?? 0);
    // A suite that failed to load has no failed tests but is still a failure.
    failed += Number(data.numRuntimeErrorTestSuites ?? 0);
    for (const suite of data.testResults ?? []) {
      const where = suite.name.slice(root.length + 1);
      const failedTests = (suite.assertionResults ?? []).filter((t) => t.status === "failed");
      for (const t of failedTests) failures.push(`${where} > ${t.fullName}`);
      if (suite.status === "failed" && failedTests.length === 0) failures.push(`${where} (suite failed to run)`);
    }
  }
  return { passed, failed, files: files.length, failures };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { passed, failed, failures } = summarize();
  for (const line of failures) console.log(`failed: ${line}`);
  console.log(`${passed} passed, ${failed} failed`);
}
