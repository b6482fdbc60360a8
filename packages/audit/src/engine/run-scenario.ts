// One scenario run: a fresh sandbox, the scenario's scripted turns, one
// TurnRecord per turn. A sandbox fault ends the run (the record carries it);
// an engine/host bug is thrown instead of being blamed on the runtime.
import type { QuickJSWASMModule } from "quickjs-emscripten-core";
import type { Manifest, SandboxLimits } from "@assay/protocol";
import { BudgetMeter } from "../sandbox/budget";
import { deriveSeed } from "../sandbox/prng";
import { loadQuickJs } from "../sandbox/quickjs";
import { RuntimeSandbox } from "../sandbox/sandbox";
import type { ScenarioDefinition, ScenarioRun, ScriptedTurn, SyntheticModel, TurnRecord } from "../types";
import { jsonCopy } from "./json";
import { TurnModelBridge } from "./model-bridge";
import type { OpenSandbox, StepSandbox } from "./sandbox-engine";

export type RunScenarioInput = {
  scenario: ScenarioDefinition;
  seed: number;
  manifest: Manifest;
  bundleSource: string;
  limits: SandboxLimits;
  model: SyntheticModel;
  /** Audit-wide CPU meter; a fresh one (limits.auditBudget) when absent. */
  meter?: BudgetMeter;
  /** Called after every recorded turn, with the runtime's captured log lines. */
  onTurn?: (record: TurnRecord, logs: string[]) => void;
  /** A QuickJS module to use instead of the process-wide one. */
  quickjs?: QuickJSWASMModule;
  /** Opens the run's sandbox when the runtime is not JavaScript (sandbox-engine.ts); QuickJS otherwise. */
  openSandbox?: OpenSandbox;
};

/** Steps a scenario turn by turn, so callers can run it straight through or yield between turns. */
export class ScenarioRunner {
  readonly records: TurnRecord[] = [];
  private readonly script: ScriptedTurn[];
  private readonly bridge: TurnModelBridge;
  private readonly sandbox: StepSandbox;
  private done = false;

  constructor(
    quickjs: QuickJSWASMModule | null,
    private readonly input: RunScenarioInput,
  ) {
    const { scenario, seed, manifest, model } = input;
    this.script = scenario.script(seed, manifest);
    this.bridge = new TurnModelBridge(model);
    const options = {
      source: input.bundleSource,
      entryName: manifest.entry,
      manifest,
      limits: input.limits,
      seed: deriveSeed(seed, `scenario:${scenario.id}`),
      model: this.bridge.complete,
      meter: input.meter ?? new BudgetMeter(input.limits.auditBudget),
    };
    if (input.openSandbox) this.sandbox = input.openSandbox(options);
    else if (quickjs) this.sandbox = new RuntimeSandbox(quickjs, options);
    else throw new Error("a scenario run needs a QuickJS module or a sandbox engine");
    if (this.script.length === 0) this.finish();
  }

  get finished(): boolean {
    return this.done;
  }

  /** Run the next turn; returns false once the run is over (all turns, or a fault). */
  next(): boolean {
    if (this.done) return false;
    const index = this.records.length + 1;
    const scripted = this.script[index - 1]!;
    const turn = jsonCopy(scripted.turn);
    this.bridge.beginTurn(index, scripted);
    let outcome;
    try {
      outcome = this.sandbox.step(turn);
    } catch (error) {
      this.finish();
      throw error;
    }
    const record: TurnRecord = {
      index,
      turn,
      expect: jsonCopy(scripted.expect),
      reply: outcome.reply,
      packet: outcome.packet,
      packetIssues: outcome.packetIssues,
      published: outcome.published,
      modelCalls: this.bridge.turnCalls,
      sentences: outcome.reply === null ? [] : this.input.model.classify(outcome.reply),
      budgetUsed: outcome.budgetUsed,
      ...(outcome.fault ? { fault: outcome.fault } : {}),
    };
    this.records.push(record);
    if (outcome.fault || this.records.length === this.script.length) this.finish();
    this.input.onTurn?.(record, outcome.logs);
    return !this.done;
  }

  /** Dispose the sandbox (idempotent); the run so far is kept. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    this.sandbox.dispose();
  }

  result(): ScenarioRun {
    const completed = this.records.length === this.script.length && this.records.every((r) => !r.fault);
    return { scenario: this.input.scenario, seed: this.input.seed, records: this.records, completed };
  }
}

/**
 * Run a scenario. `yieldEvery` > 0 yields to the event loop every that many
 * turns (so progress and IPC messages flow while a long run is going).
 */
export async function runScenario(input: RunScenarioInput & { yieldEvery?: number }): Promise<ScenarioRun> {
  const quickjs = input.openSandbox ? null : (input.quickjs ?? (await loadQuickJs(input.limits.memoryBytes)));
  const runner = new ScenarioRunner(quickjs, input);
  const every = input.yieldEvery ?? 0;
  try {
    let n = 0;
    while (runner.next()) {
      if (every > 0 && ++n % every === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    runner.finish();
  }
  return runner.result();
}

/** The same run on an already loaded QuickJS module, without ever yielding. */
export function runScenarioSync(quickjs: QuickJSWASMModule, input: RunScenarioInput): ScenarioRun {
  const runner = new ScenarioRunner(quickjs, input);
  try {
    while (runner.next());
  } finally {
    runner.finish();
  }
  return runner.result();
}
