// The same audit without a child process (tests, and callers that already run
// inside an isolated worker). No wall-clock kill here: only the deterministic
// budgets apply, so use auditInChildProcess for untrusted bundles in services.
import { runSuite, type SuiteRunResult } from "../engine/run-suite";
import type { AuditProgressEvent } from "../engine/events";
import type { IsolatedAuditInput } from "./messages";
import { resolveMeasure, resolveSuite } from "./resolve";
import type { IsolatedAuditResult } from "./parent";

export async function auditInProcess(
  input: IsolatedAuditInput,
  options: { onProgress?: (event: AuditProgressEvent) => void } = {},
): Promise<IsolatedAuditResult> {
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  const suite = await resolveSuite(input.suite);
  const result: SuiteRunResult = await runSuite({
    suite,
    seed: input.seed,
    manifest: input.manifest,
    bundleSource: input.bundleSource,
    ...(input.sources ? { sources: input.sources } : {}),
    limits: input.limits,
    measureDi: await resolveMeasure(input.measureDi),
    onProgress: options.onProgress,
  });
  const cpu = process.cpuUsage(cpuBefore);
  return { ...result, outcome: { status: "completed" }, durationMs: Date.now() - started, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
}
