// The audit engine of `assay validate`: @assay/audit's child-process runner (the
// same sandbox, suite and report builder the workers use), so a runtime that
// hangs or crashes the sandbox ends as a finding and never takes the CLI down.
import { dirname, join } from "node:path";
import { ENGINE, auditInChildProcess, reportFromSuiteRun, type AuditProgressEvent, type ModuleRef } from "@assay/audit";
import type { AuditReport } from "@assay/protocol";
import { AuditRunError } from "../errors";
import type { ScenarioProgress } from "../render/progress";
import type { AuditEngine, AuditRequest } from "./audit-engine";

// Why module paths: the child process receives only JSON, so suites (which hold
// functions) are named by module + export and resolved on both sides.
// @assay/audit exports no suite registry, so the CLI names the modules itself.
const AUDIT_PACKAGE_DIR = dirname(require.resolve("@assay/audit/package.json"));

const SUITES: Readonly<Record<string, ModuleRef>> = {
  core: { module: join(AUDIT_PACKAGE_DIR, "src", "suites", "core", "index.ts"), export: "coreSuite" },
};

/** Per-turn platform-measured DI (bps) for the progress display. */
const PROGRESS_DI_MEASURE: ModuleRef = { module: join(AUDIT_PACKAGE_DIR, "src", "metrics", "series.ts"), export: "latestMeasuredDi" };

export function childProcessAuditEngine(): AuditEngine {
  return {
    suiteIds: () => Object.keys(SUITES),
    run: runInChildProcess,
  };
}

async function runInChildProcess(request: AuditRequest, onProgress: (progress: ScenarioProgress) => void): Promise<AuditReport> {
  const { runtime } = request;
  const suite = SUITES[request.suite];
  if (!suite) throw new AuditRunError(`no module for suite "${request.suite}"`);
  let result;
  try {
    result = await auditInChildProcess(
      { suite, seed: request.seed, manifest: runtime.manifest, bundleSource: runtime.bundle, measureDi: PROGRESS_DI_MEASURE },
      { onProgress: (event) => forwardProgress(event, onProgress) },
    );
  } catch (error) {
    throw new AuditRunError(`the audit engine failed: ${(error as Error).message}`);
  }
  // A wall-clock kill or a dead child is already a fault on the run in progress
  // (a finding in the report); only the plan tail that never started is missing.
  return reportFromSuiteRun(result.runs, {
    suite: { id: result.suite.id, version: result.suite.version },
    ...(result.suite.profile ? { profile: result.suite.profile } : {}),
    seed: result.seed,
    engine: { ...ENGINE },
    limits: result.limits,
    subject: { name: runtime.manifest.name, version: runtime.manifest.version, digest: runtime.subjectDigest },
    usage: { modelCalls: result.usage.modelCalls, inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens },
    plan: result.plan,
  });
}

function forwardProgress(event: AuditProgressEvent, onProgress: (progress: ScenarioProgress) => void): void {
  if (event.type === "scenario_start") {
    onProgress({ scenario: event.runId, turn: 0, turns: event.turns, di: null });
  } else if (event.type === "turn") {
    onProgress({ scenario: event.runId, turn: event.turn, turns: event.of, di: event.measuredDi });
  }
}
