// Default sandbox limits (docs/decisions/0002-sandbox-engine.md explains each).
// Budgets are counted in units of WebAssembly gas (GAS_PER_UNIT function entries + loop iterations
// of the metered QuickJS binary, ~0.15-0.5 ms of a tight interpreted loop) plus
// host-call charges: deterministic, unlike time.
import { SandboxLimitsSchema, type SandboxLimits } from "@assay/protocol";

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = Object.freeze({
  memoryBytes: 64 * 1024 * 1024,
  stackBytes: 256 * 1024,
  // Why these three (docs/decisions/0014-cpu-metering.md): the example runtimes
  // use at most 18 units in a step and ~14 000 in a core audit; a unit costs
  // 0.15-1.3 ms of CPU whatever the code does (metered WebAssembly), so a whole
  // audit budget is ~19 s of CPU in interpreted code (~28 s in the costliest
  // builtin measured); the wall clock is the last-resort kill at 3-5x that,
  // with room for a loaded machine (an honest core audit took 57 s of wall
  // time for 5 s of CPU at load average 15 on 2 cores).
  stepBudget: 500,
  auditBudget: 40_000,
  outputBytes: 256 * 1024,
  wallClockMs: 90_000,
});

/** Fill missing limits from the defaults and validate the result. */
export function resolveSandboxLimits(partial: Partial<SandboxLimits> = {}): SandboxLimits {
  return SandboxLimitsSchema.parse({ ...DEFAULT_SANDBOX_LIMITS, ...partial });
}

/** Virtual clock: where it starts and how far a turn and a model call move it (ms). */
export const VIRTUAL_CLOCK = Object.freeze({
  /** 2026-01-01T00:00:00.000Z */
  epochMs: 1_767_225_600_000,
  turnMs: 1_000,
  modelCallMs: 250,
});

/** Log capture bounds per step (the bytes still count toward outputBytes). */
export const LOG_LIMITS = Object.freeze({ linesPerStep: 50, charsPerLine: 2_000 });

/**
 * CPU budget charged per host call, in thousandths of a unit (a unit is one
 * interpreter interrupt poll). Roughly what the Node side costs compared with
 * interpreted code; what matters is that a loop of host calls is bounded.
 */
export const HOST_CALL_COST = Object.freeze({
  complete: 5_000,
  embed: 500,
  publish: 500,
  log: 200,
  now: 20,
  random: 20,
  /** Added per character of the string a call carries (embed text, model request, packet, log line). */
  perChar: 1,
});

/**
 * WebAssembly function entries + loop iterations (gas, counted by the metered QuickJS binary) per
 * budget unit. Calibrated so that a unit of interpreted code stays what it was
 * (one interrupt poll, ~10k bytecode polls); native builtins now pay for their
 * own loops. docs/decisions/0014-cpu-metering.md.
 */
export const GAS_PER_UNIT = 150_000;

/**
 * Units of gas a step may run past its budget before the binary traps. The
 * interrupt handler normally stops interpreted code first (a clean stop); the
 * trap stops a native builtin mid-way (deterministic, but the module is
 * discarded afterwards).
 */
export const TRAP_MARGIN_UNITS = 2;
