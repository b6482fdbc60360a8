// Run every planned scenario of a suite against one bundle. Each run gets a
// fresh sandbox and a fresh synthetic model; all runs share one CPU meter (the
// audit budget). The result is pure data plus the scenario definitions, ready
// for buildReport.
import type { QuickJSWASMModule } from "quickjs-emscripten-core";
import type { Manifest, SandboxLimits } from "@assay/protocol";
import { BudgetMeter } from "../sandbox/budget";
import { resolveSandboxLimits } from "../sandbox/limits";
import { loadQuickJs } from "../sandbox/quickjs";
import type { ScenarioDefinition, ScenarioRun, SyntheticModel, TurnRecord } from "../types";
import type { ProgressListener } from "./events";
import { runScenario } from "./run-scenario";
import { createSandboxEngine, type SandboxEngine } from "./sandbox-engine";

/** One run of a plan (structurally the suite module's PlannedRun). */
export type AuditPlannedRun = {
  runId: string;
  scenario: ScenarioDefinition;
  seed: number;
  stabilityOf?: string;
  replayOf?: string;
};

/**
 * What the engine needs of a suite (structurally compatible with the suites'
 * SuiteDefinition). Without `plan`, every scenario runs once under the audit seed.
 */
export type AuditSuite = {
  id: string;
  version: string;
  profile?: string;
  scenarios: ScenarioDefinition[];
  plan?(seed: number): AuditPlannedRun[];
  createModel(scenario: ScenarioDefinition, seed: number, manifest: Manifest): SyntheticModel;
};

/**
 * Platform-measured DI after the given records of one run (null while
 * unverified), plugged in by the caller; called with the records only.
 */
export type TurnDiMeasure = (records: readonly TurnRecord[]) => number | null;

export type RunSuiteInput = {
  suite: AuditSuite;
  seed: number;
  manifest: Manifest;
  bundleSource: string;
  limits?: Partial<SandboxLimits>;
  onProgress?: ProgressListener;
  measureDi?: TurnDiMeasure;
  /** Every TurnRecord as soon as it is recorded (the child process streams them to its parent). */
  onRecord?: (record: TurnRecord, run: AuditPlannedRun, runIndex: number) => void;
  /** Yield to the event loop every N turns (0: never; the child process uses 1 so IPC flows). */
  yieldEvery?: number;
  quickjs?: QuickJSWASMModule;
  /** The artifact's runtime source files, path → text (Python runtimes; JavaScript uses bundleSource). */
  sources?: Record<string, string>;
  /** The sandbox engine; by default the one the manifest's language needs (sandbox-engine.ts). */
  engine?: SandboxEngine | null;
  /** Harden the process's JS realm for the engine (the audit child process sets it). */
  hardenProcess?: boolean;
};

export type AuditUsage = {
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  turns: number;
  /** Deterministic CPU units (interrupt-handler calls) used by the whole audit. */
  budgetUnits: number;
};

export type PlannedRunInfo = Omit<AuditPlannedRun, "scenario"> & { scenario: string };

export type SuiteRunResult = {
  suite: { id: string; version: string; profile?: string };
  seed: number;
  limits: SandboxLimits;
  plan: PlannedRunInfo[];
  runs: ScenarioRun[];
  usage: AuditUsage;
};

export function planOf(suite: AuditSuite, seed: number): AuditPlannedRun[] {
  if (suite.plan) return suite.plan(seed);
  return suite.scenarios.map((scenario) => ({ runId: scenario.id, scenario, seed }));
}

export function planInfo(plan: AuditPlannedRun[]): PlannedRunInfo[] {
  return plan.map(({ scenario, ...rest }) => ({ ...rest, scenario: scenario.id }));
}

export function usageOf(runs: readonly ScenarioRun[]): AuditUsage {
  const usage: AuditUsage = { modelCalls: 0, inputTokens: 0, outputTokens: 0, turns: 0, budgetUnits: 0 };
  for (const run of runs) {
    for (const record of run.records) {
      usage.turns += 1;
      usage.budgetUnits += record.budgetUsed;
      for (const call of record.modelCalls) {
        usage.modelCalls += 1;
        usage.inputTokens += call.inputTokens;
        usage.outputTokens += call.outputTokens;
      }
    }
  }
  return usage;
}

/** Which runs of the plan a call executes, and how they meter CPU. */
export type RunSelection = {
  /** Plan indices, run in this order. */
  indices: readonly number[];
  /**
   * "shared": one audit meter for all of them, starting at `meterUsed` (the
   * sequential audit). "per_run": a fresh audit meter per run (a speculative
   * run of the parallel audit; process/parallel.ts decides whether it counts).
   */
  meter: "shared" | "per_run";
  meterUsed?: number;
};

/** One finished run of a selection: its plan index, result and the audit-meter units it used. */
export type RunEnd = { index: number; run: ScenarioRun; meterUnits: number };

/**
 * Run the selected runs of a plan: scenario_start / turn / scenario_end
 * progress per run (audit_start and audit_end are the caller's). The engine is
 * opened once for the whole selection.
 */
export async function runPlannedRuns(
  input: RunSuiteInput & { selection: RunSelection; onRunEnd?: (end: RunEnd) => void },
): Promise<{ limits: SandboxLimits; plan: AuditPlannedRun[]; runs: ScenarioRun[]; meterUsed: number }> {
  const limits = resolveSandboxLimits(input.limits);
  const { suite, seed, manifest, onProgress, measureDi, onRecord, selection } = input;
  const plan = planOf(suite, seed);
  const shared = new BudgetMeter(limits.auditBudget);
  shared.used = selection.meterUsed ?? 0;
  const runs: ScenarioRun[] = [];
  const engine =
    input.engine !== undefined
      ? input.engine
      : createSandboxEngine({ manifest, bundleSource: input.bundleSource, limits, ...(input.sources ? { files: input.sources } : {}), ...(input.hardenProcess ? { hardenProcess: true } : {}) });
  try {
    for (const i of selection.indices) {
      const planned = plan[i];
      if (!planned) throw new RangeError(`run ${i} is not in the plan (${plan.length} runs)`);
      const { scenario } = planned;
      const meter = selection.meter === "shared" ? shared : new BudgetMeter(limits.auditBudget);
      const before = meter.used;
      const turns = scenario.script(planned.seed, manifest).length;
      onProgress?.({ type: "scenario_start", runId: planned.runId, scenario: scenario.id, seed: planned.seed, index: i + 1, of: plan.length, turns });
      const seen: TurnRecord[] = [];
      // Why per run: a memory fault discards the shared module, the next run loads a fresh one.
      const run = await runScenario({
        ...(engine ? { openSandbox: await engine.openRun(limits) } : { quickjs: input.quickjs ?? (await loadQuickJs(limits.memoryBytes)) }),
        yieldEvery: input.yieldEvery ?? 0,
        scenario,
        seed: planned.seed,
        manifest,
        bundleSource: input.bundleSource,
        limits,
        model: suite.createModel(scenario, planned.seed, manifest),
        meter,
        onTurn: (record) => {
          onRecord?.(record, planned, i);
          if (!onProgress) return;
          seen.push(record);
          onProgress({
            type: "turn",
            runId: planned.runId,
            scenario: scenario.id,
            turn: record.index,
            of: turns,
            reportedDi: record.packet ? record.packet.payload.drift_metrics.di : null,
            measuredDi: measureDi ? measureDi(seen) : null,
            budgetUsed: record.budgetUsed,
            ...(record.fault ? { fault: record.fault } : {}),
          });
        },
      });
      runs.push(run);
      const last = run.records[run.records.length - 1];
      onProgress?.({
        type: "scenario_end",
        runId: planned.runId,
        scenario: scenario.id,
        completed: run.completed,
        turns: run.records.length,
        ...(last?.fault ? { fault: last.fault } : {}),
      });
      input.onRunEnd?.({ index: i, run, meterUnits: meter.used - before });
    }
  } finally {
    engine?.close();
  }
  return { limits, plan, runs, meterUsed: shared.used };
}

/** The whole plan in order on one audit meter (the sequential audit, in this process). */
export async function runSuite(input: RunSuiteInput): Promise<SuiteRunResult> {
  const { suite, seed, onProgress } = input;
  const plan = planOf(suite, seed);
  onProgress?.({ type: "audit_start", suite: { id: suite.id, version: suite.version }, seed, runs: plan.length });
  const { limits, runs } = await runPlannedRuns({ ...input, selection: { indices: plan.map((_, i) => i), meter: "shared" } });
  const usage = usageOf(runs);
  onProgress?.({ type: "audit_end", runs: runs.length, completed: runs.filter((r) => r.completed).length, turns: usage.turns, budgetUsed: usage.budgetUnits });
  return { suite: { id: suite.id, version: suite.version, ...(suite.profile ? { profile: suite.profile } : {}) }, seed, limits, plan: planInfo(plan), runs, usage };
}
