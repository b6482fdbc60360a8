// Turns the Result objects Hardhat's test tasks return into jest's --json summary shape.

/** What one Hardhat test runner (solidity or nodejs) reported. */
export interface RunnerOutcome {
  runner: string;
  crashed: boolean;
  passed: number;
  failed: number;
  skipped: number;
}

/** The subset of jest's --json output that the repo's root test summary reads, plus per-runner detail. */
export interface JestSummary {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numRuntimeErrorTestSuites: number;
  runners: RunnerOutcome[];
}

interface TestSummaryLike {
  passed: number;
  failed: number;
  skipped?: number;
}

function isSummary(value: unknown): value is TestSummaryLike {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.passed === "number" && typeof candidate.failed === "number";
}

interface SuiteResultLike {
  testResults: Array<{ status: string }>;
}

function isSuiteResults(value: unknown): value is SuiteResultLike[] {
  return Array.isArray(value) && value.every((suite) => typeof suite === "object" && suite !== null && Array.isArray((suite as SuiteResultLike).testResults));
}

/**
 * Per-test statuses of EDR's Solidity suite results ("Success" | "Failure" | "Skipped"). The Solidity task
 * only fills its own summary counts when run under the parent `test` task, so its suite results are the
 * structured source there.
 */
function countSuiteResults(suites: SuiteResultLike[]): TestSummaryLike {
  const statuses = suites.flatMap((suite) => suite.testResults.map((test) => test.status));
  return {
    passed: statuses.filter((s) => s === "Success").length,
    failed: statuses.filter((s) => s === "Failure").length,
    skipped: statuses.filter((s) => s === "Skipped").length,
  };
}

/**
 * Reads a Hardhat test task's return value: `{ success, value | error }` whose payload is
 * `{ summary: { passed, failed, skipped }, suiteResults? }`. Anything else counts as a crashed runner,
 * never as a pass.
 */
export function summarizeRunnerOutcome(runner: string, result: unknown): RunnerOutcome {
  if (typeof result === "object" && result !== null && "success" in result) {
    const typed = result as { success: boolean; value?: unknown; error?: unknown };
    const payload = typed.success ? typed.value : typed.error;
    const fields = typeof payload === "object" && payload !== null ? (payload as { summary?: unknown; suiteResults?: unknown }) : {};
    const summary = isSuiteResults(fields.suiteResults) ? countSuiteResults(fields.suiteResults) : fields.summary;
    if (isSummary(summary)) {
      // A failed Result with no failed test (e.g. a Solidity setUp error) is still a failure.
      const failed = !typed.success && summary.failed === 0 ? 1 : summary.failed;
      return { runner, crashed: false, passed: summary.passed, failed, skipped: summary.skipped ?? 0 };
    }
  }
  return { runner, crashed: true, passed: 0, failed: 0, skipped: 0 };
}

export function toJestSummary(outcomes: RunnerOutcome[]): JestSummary {
  const passed = outcomes.reduce((sum, o) => sum + o.passed, 0);
  const failed = outcomes.reduce((sum, o) => sum + o.failed, 0);
  const skipped = outcomes.reduce((sum, o) => sum + o.skipped, 0);
  const crashed = outcomes.filter((o) => o.crashed).length;
  return {
    success: failed === 0 && crashed === 0 && passed > 0,
    numTotalTests: passed + failed + skipped,
    numPassedTests: passed,
    numFailedTests: failed,
    numPendingTests: skipped,
    numRuntimeErrorTestSuites: crashed,
    runners: outcomes,
  };
}
