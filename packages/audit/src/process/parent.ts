// Run an audit in separate Node processes (SPEC §4: "inside a separate worker
// process ... and a wall-clock kill"). The parent resolves the same suite to
// rebuild ScenarioRuns from the streamed TurnRecords, kills the children at the
// wall-clock limit and survives one dying: both end as a sandbox fault on the
// run in progress (timeout / crash), never as a thrown exception.
//
// Parallelism (docs/decisions/0025-parallel-audits.md): with N > 1 the runs of
// the plan are handed one at a time to N child processes, each run on its own
// fresh audit meter, and committed in plan order. A run is committed only when
// the shared meter of the sequential audit could not have changed it (the
// committed units + its units + one step budget fit in the audit budget);
// otherwise, or when a child dies, the rest of the plan from the first
// uncommitted run is re-run in order in one fresh child on the shared meter,
// which is the sequential audit itself. Progress events of a run are held until
// it is committed, so the stream is the sequential one whatever N is.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { resolveSandboxLimits } from "../sandbox/limits";
import type { SandboxFault } from "../sandbox/faults";
import type { AuditProgressEvent } from "../engine/events";
import { planInfo, planOf, usageOf, type AuditPlannedRun, type RunSelection, type SuiteRunResult } from "../engine/run-suite";
import { jsonCopy } from "../engine/json";
import type { ScenarioRun, TurnRecord } from "../types";
import type { ChildMessage, IsolatedAuditInput, ParentMessage } from "./messages";
import { resolveSuite } from "./resolve";
import { effectiveParallelism, languageFlags, startupAllowanceMs } from "./language-flags";
import { processCpuMs, STARVED_CPU_SHARE } from "./child-cpu";
import { prebuiltChild, usesPrebuiltChild } from "./child-bundle";

export type IsolatedAuditOptions = {
  onProgress?: (event: AuditProgressEvent) => void;
  /** Wall-clock limit for the whole audit; defaults to the limits' wallClockMs. */
  wallClockMs?: number;
  /** Child entry (tests); defaults to the prebuilt child (child-bundle.ts) or child.ts / child.js next to this file. */
  childPath?: string;
  /** Child processes running scenario runs at once (default 1; Python runtimes always 1). */
  parallelism?: number;
};

export type IsolatedAuditOutcome =
  | { status: "completed" }
  | { status: "killed"; reason: "wall_clock"; afterMs: number }
  /** The wall clock ran out while the audit's processes had less than STARVED_CPU_SHARE of it in CPU: the machine, not the runtime. */
  | { status: "starved"; afterMs: number; cpuMs: number }
  | { status: "died"; code: number | null; signal: string | null; stderr: string }
  | { status: "error"; message: string };

export type IsolatedAuditResult = SuiteRunResult & {
  outcome: IsolatedAuditOutcome;
  /** Wall-clock milliseconds of the whole call (spawn included). */
  durationMs: number;
  /** CPU milliseconds (user + system) of the audit process, when it finished normally; null otherwise. */
  cpuMs: number | null;
};

/** Where the child entry lives: the .ts source under tsx, or a compiled .js. */
export function defaultChildPath(): string {
  return join(__dirname, __filename.endsWith(".ts") ? "child.ts" : "child.js");
}

/**
 * The child entry for this audit: from source, the prebuilt bundle when the audit can use it
 * (decision 0027: ~0.6 s of CPU less per child), else child.ts under tsx.
 */
function childPathFor(input: IsolatedAuditInput): string {
  if (!__filename.endsWith(".ts")) return defaultChildPath();
  const prebuilt = prebuiltChild();
  return prebuilt && usesPrebuiltChild(input, prebuilt) ? prebuilt.path : defaultChildPath();
}

/** A deliberately small environment: the runtime's process gets no secrets, and local time is UTC. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { TZ: "UTC", LANG: "C", NODE_ENV: "production" };
  if (process.env.PATH) env.PATH = process.env.PATH;
  return env;
}

type ChildExit = { code: number | null; signal: string | null; stderr: string };

type MessageHandler = (child: AuditChild, message: ChildMessage) => void;

/** One forked audit child and what it says. */
class AuditChild {
  readonly process: ChildProcess;
  readonly exited: Promise<ChildExit>;
  /** Set once the parent asked it to stop (exit message or kill): its exit is no news. */
  released = false;
  ready = false;
  busy = false;
  cpuMs = 0;
  private readonly stderr: string[] = [];
  private handler: MessageHandler | null;

  constructor(
    readonly childPath: string,
    readonly flags: readonly string[],
    onMessage: MessageHandler | null,
    args: string[] = [],
  ) {
    this.handler = onMessage;
    this.process = fork(childPath, args, {
      execArgv: [...(childPath.endsWith(".ts") ? ["--import", "tsx", "--max-old-space-size=512"] : ["--max-old-space-size=512"]), ...flags],
      env: childEnv(),
      // Why: `--import tsx` resolves from the child's cwd; the caller's cwd (a user's
      // runtime directory) may be outside the repository. The child needs no cwd of its own.
      cwd: join(__dirname, "..", ".."),
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "json",
    });
    this.process.stderr?.on("data", (chunk: Buffer) => {
      if (this.stderr.join("").length < 8_000) this.stderr.push(chunk.toString("utf8"));
    });
    this.process.on("message", (message: ChildMessage) => {
      if (this.handler) return this.handler(this, message);
      if (message?.type === "ready") this.ready = true; // a spare, not yet given an audit
    });
    this.exited = new Promise((resolve) => {
      this.process.on("exit", (code, signal) => resolve({ code, signal, stderr: this.stderr.join("").slice(-4_000) }));
    });
  }

  /** A spare child must not keep its parent alive while it waits. */
  detach(): void {
    this.process.unref();
    (this.process.channel as { unref?: () => void } | undefined)?.unref?.();
    (this.process.stderr as { unref?: () => void } | null)?.unref?.();
  }

  /** Give a spare child to an audit. */
  adopt(onMessage: MessageHandler): void {
    this.handler = onMessage;
    this.process.ref();
    (this.process.channel as { ref?: () => void } | undefined)?.ref?.();
    (this.process.stderr as { ref?: () => void } | null)?.ref?.();
  }

  run(input: IsolatedAuditInput, selection: RunSelection): void {
    this.busy = true;
    const message: ParentMessage = { type: "run", input, selection };
    this.process.send(message);
  }

  /** Ask it to exit once its current selection is done (a clean end). */
  release(): void {
    if (this.released) return;
    this.released = true;
    const message: ParentMessage = { type: "exit" };
    try {
      this.process.send(message);
    } catch {
      this.process.kill("SIGKILL");
    }
  }

  kill(): void {
    this.released = true;
    // Its CPU so far still counts towards the audit's (the starvation check at the wall clock).
    this.cpuMs = Math.max(this.cpuMs, processCpuMs(this.process.pid) ?? 0);
    this.process.kill("SIGKILL");
  }
}

/**
 * Spare audit children (decision 0027): started and warmed up (engine loaded, suite core's first run
 * against a small built-in runtime, so V8 has compiled the hot code) before an audit needs them, so an audit does not wait for
 * a process start and a cold JIT. Each spare still serves exactly one audit and is then discarded, like
 * every audit child: isolation is unchanged. Only JavaScript audits on the default child entry use
 * them; spares are replaced after each audit ends (not during it, where they would compete for CPU).
 */
const spares: AuditChild[] = [];
let spareTarget = 0;

/** Keep `count` warmed-up audit children ready (0 stops; existing spares are released). */
export function prewarmAuditChildren(count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`spare audit children must be a non-negative integer, got ${count}`);
  spareTarget = count;
  while (spares.length > spareTarget) spares.pop()!.release();
  refillSpares();
}

/** The spare children now: process ids and whether each has finished warming up (tests, diagnostics). */
export function spareAuditChildren(): { pid: number | undefined; ready: boolean }[] {
  return spares.map((c) => ({ pid: c.process.pid, ready: c.ready }));
}

function spareChildPath(): string {
  if (!__filename.endsWith(".ts")) return defaultChildPath();
  return prebuiltChild()?.path ?? defaultChildPath();
}

function refillSpares(): void {
  if (spareTarget === 0 && spares.length === 0) return;
  const path = spareChildPath();
  // Spares of code that has changed on disk since would never match an audit again.
  for (const stale of spares.filter((c) => c.childPath !== path)) {
    spares.splice(spares.indexOf(stale), 1);
    stale.release();
  }
  while (spares.length < spareTarget) {
    const child = new AuditChild(path, [], null, ["--assay-warm-up"]);
    child.detach();
    child.process.on("error", () => undefined);
    spares.push(child);
    void child.exited.then(() => {
      const at = spares.indexOf(child);
      if (at >= 0) spares.splice(at, 1);
    });
  }
}

function takeSpare(childPath: string, flags: readonly string[]): AuditChild | null {
  const at = spares.findIndex((c) => c.childPath === childPath && c.flags.join(" ") === flags.join(" ") && c.process.exitCode === null && !c.released);
  if (at < 0) return null;
  return spares.splice(at, 1)[0]!;
}

export async function auditInChildProcess(input: IsolatedAuditInput, options: IsolatedAuditOptions = {}): Promise<IsolatedAuditResult> {
  const started = Date.now();
  const limits = resolveSandboxLimits(input.limits);
  // A Python audit first loads its interpreter (seconds, more on a loaded machine): that is not the runtime's time.
  const wallClockMs = options.wallClockMs ?? limits.wallClockMs + startupAllowanceMs(input.manifest);
  const suite = await resolveSuite(input.suite);
  const plan = planOf(suite, input.seed);
  const n = plan.length;
  const workers = effectiveParallelism(options.parallelism ?? 1, input.manifest, n);
  const childPath = options.childPath ?? childPathFor(input);

  const emit = (event: AuditProgressEvent) => {
    try {
      options.onProgress?.(event);
    } catch {
      // A listener's bug must not change the audit.
    }
  };

  // Per plan run: the records and (parallel phase) the progress events held until it is committed.
  const records: TurnRecord[][] = plan.map(() => []);
  const held: AuditProgressEvent[][] = plan.map(() => []);
  const meterUnits: (number | null)[] = plan.map(() => null);
  /** Runs 0..head-1 are final; `committedUnits` is what they used of the audit meter. */
  let head = 0;
  let committedUnits = 0;
  /** "parallel": speculative runs on N children; "sequential": one child runs head..n-1 on the shared meter. */
  let phase: "parallel" | "sequential" = workers > 1 ? "parallel" : "sequential";
  let nextToDispatch = 0;
  /** Sequential phase: the run in progress (the last scenario_start). */
  let current = -1;
  let outcome: IsolatedAuditOutcome = { status: "completed" };
  let errorMessage: string | null = null;
  let sequentialDone = false;
  let over = false;
  const children = new Set<AuditChild>();
  const spentCpuMs: number[] = [];

  emit({ type: "audit_start", suite: { id: suite.id, version: suite.version }, seed: input.seed, runs: n });

  await new Promise<void>((resolve) => {
    const settleIfIdle = () => {
      if (over && children.size === 0) resolve();
    };
    /** The audit is over (done, killed, failed): release or kill every child and resolve once they are gone. */
    const end = (kill: boolean) => {
      over = true;
      clearTimeout(timer);
      for (const child of children) (kill ? child.kill() : child.release());
      settleIfIdle();
    };

    const flags = languageFlags(input.manifest);
    const spawn = (): AuditChild => {
      const spare = options.childPath === undefined ? takeSpare(childPath, flags) : null;
      const child = spare ?? new AuditChild(childPath, flags, onMessage);
      if (spare) {
        spare.adopt(onMessage);
        // Already warm and ready: give it work once the loop below has set everything up.
        if (spare.ready) queueMicrotask(() => dispatch(spare));
      }
      children.add(child);
      child.process.on("error", (error) => {
        if (!errorMessage && !child.released) errorMessage = error.message;
      });
      void child.exited.then((exit) => {
        children.delete(child);
        spentCpuMs.push(child.cpuMs);
        if (!child.released && !over) onUnexpectedExit(child, exit);
        settleIfIdle();
      });
      return child;
    };

    const startSequential = () => {
      phase = "sequential";
      current = head - 1;
      for (let i = head; i < n; i++) {
        records[i] = [];
        held[i] = [];
        meterUnits[i] = null;
      }
      for (const child of children) child.kill();
      if (head >= n) return end(false);
      spawn();
    };

    const dispatch = (child: AuditChild) => {
      if (over || child.released || child.busy || !child.ready) return;
      if (phase === "sequential") {
        child.run(input, { indices: plan.slice(head).map((_, k) => head + k), meter: "shared", meterUsed: committedUnits });
        return;
      }
      if (nextToDispatch >= n) return child.release();
      child.run(input, { indices: [nextToDispatch++], meter: "per_run" });
    };

    /** Commit finished runs in plan order while the shared meter could not have changed them. */
    const commit = () => {
      while (phase === "parallel" && head < n && meterUnits[head] !== null) {
        const units = meterUnits[head]!;
        if (committedUnits + units + limits.stepBudget > limits.auditBudget) return startSequential();
        for (const event of held[head]!) emit(event);
        held[head] = [];
        committedUnits += units;
        head += 1;
      }
      if (phase === "parallel" && head >= n) end(false);
    };

    const onUnexpectedExit = (child: AuditChild, exit: ChildExit) => {
      if (errorMessage !== null) {
        outcome = { status: "error", message: errorMessage };
        return end(true);
      }
      if (phase === "parallel") {
        // Why not a crash finding yet: the sequential audit decides (a deterministic crash recurs there, on the same run).
        return startSequential();
      }
      if (!sequentialDone) outcome = { status: "died", code: exit.code, signal: exit.signal, stderr: exit.stderr };
      end(true);
    };

    function onMessage(child: AuditChild, message: ChildMessage): void {
      if (over || child.released) return;
      switch (message.type) {
        case "ready":
          child.ready = true;
          dispatch(child);
          break;
        case "event":
          if (phase === "sequential") {
            if (message.event.type === "scenario_start") current = message.event.index - 1;
            emit(message.event);
          } else if (message.run >= 0 && message.run < n) held[message.run]!.push(message.event);
          break;
        case "record":
          if (message.run >= 0 && message.run < n) records[message.run]!.push(message.record);
          break;
        case "run_end":
          if (phase === "parallel" && message.run >= 0 && message.run < n) meterUnits[message.run] = message.meterUnits;
          break;
        case "done":
          child.busy = false;
          if (message.cpu) child.cpuMs = Math.round((message.cpu.userMicros + message.cpu.systemMicros) / 1000);
          if (phase === "sequential") {
            sequentialDone = true;
            head = n;
            end(false);
          } else {
            commit();
            dispatch(child);
          }
          break;
        case "error":
          errorMessage = message.message;
          outcome = { status: "error", message: message.message };
          end(true);
          break;
      }
    }

    const timer = setTimeout(() => {
      outcome = starvedOrKilled();
      if (phase === "parallel") {
        // The first uncommitted run is the one in progress; later ones are dropped (never started, as in the sequential audit).
        for (const event of held[head] ?? []) emit(event);
        current = head < n && (held[head]!.length > 0 || records[head]!.length > 0) ? head : head - 1;
      }
      end(true);
    }, wallClockMs);

    /**
     * At the wall clock: the CPU the audit got (finished children's reports, live
     * children from /proc) against the time waited. Unknown (no /proc) counts as
     * not starved, the behaviour before this check.
     */
    function starvedOrKilled(): IsolatedAuditOutcome {
      let cpuMs = spentCpuMs.reduce((a, b) => a + b, 0);
      for (const child of children) {
        const live = processCpuMs(child.process.pid);
        if (live === null) return { status: "killed", reason: "wall_clock", afterMs: wallClockMs };
        cpuMs += live;
      }
      return cpuMs < STARVED_CPU_SHARE * wallClockMs ? { status: "starved", afterMs: wallClockMs, cpuMs: Math.round(cpuMs) } : { status: "killed", reason: "wall_clock", afterMs: wallClockMs };
    }

    if (n === 0) return end(false);
    for (let k = 0; k < workers; k++) spawn();
  });

  refillSpares();
  const final = outcome as IsolatedAuditOutcome;
  if (final.status === "error") throw new Error(`audit child failed: ${final.message}`);
  if (final.status === "starved") throw new AuditStarvedError(final.afterMs, final.cpuMs);
  if (final.status === "completed") current = n - 1;

  const runs: ScenarioRun[] = [];
  for (let i = 0; i <= current && i < n; i++) {
    const planned = plan[i]!;
    const got = records[i]!;
    const script = planned.scenario.script(planned.seed, input.manifest);
    let runRecords = got;
    const interrupted = final.status !== "completed" && i === current && !got.some((r) => r.fault) && got.length < script.length;
    if (interrupted) {
      const fault = abortFault(final, wallClockMs);
      runRecords = [...got, abortRecord(planned, script, got.length + 1, fault)];
      emit({ type: "turn", runId: planned.runId, scenario: planned.scenario.id, turn: got.length + 1, of: script.length, reportedDi: null, measuredDi: null, budgetUsed: 0, fault });
      emit({ type: "scenario_end", runId: planned.runId, scenario: planned.scenario.id, completed: false, turns: runRecords.length, fault });
    }
    const completed = runRecords.length === script.length && runRecords.every((r) => !r.fault);
    runs.push({ scenario: planned.scenario, seed: planned.seed, records: runRecords, completed });
  }
  const usage = usageOf(runs);
  emit({ type: "audit_end", runs: runs.length, completed: runs.filter((r) => r.completed).length, turns: usage.turns, budgetUsed: usage.budgetUnits });
  return {
    suite: { id: suite.id, version: suite.version, ...(suite.profile ? { profile: suite.profile } : {}) },
    seed: input.seed,
    limits,
    // Runs are in plan order and only a tail can be missing (never started): keep the plan aligned with them.
    plan: planInfo(plan.slice(0, runs.length)),
    runs,
    usage,
    outcome: final,
    durationMs: Date.now() - started,
    cpuMs: final.status === "completed" ? spentCpuMs.reduce((a, b) => a + b, 0) : null,
  };
}

/**
 * The audit could not be judged: the machine gave its processes too little CPU
 * before the wall clock ran out. Not a verdict on the runtime — the worker
 * retries the job later; `assay validate` says so.
 */
export class AuditStarvedError extends Error {
  override readonly name = "AuditStarvedError";
  constructor(
    readonly wallClockMs: number,
    readonly cpuMs: number,
  ) {
    super(`the machine is overloaded: the audit got ${cpuMs} ms of CPU in its ${wallClockMs} ms wall-clock limit, so no verdict was taken; retry when it is less busy`);
  }
}

function abortFault(outcome: IsolatedAuditOutcome, wallClockMs: number): SandboxFault {
  if (outcome.status === "killed") return { kind: "timeout", message: `wall-clock limit of ${wallClockMs} ms exceeded; the audit process was killed` };
  if (outcome.status === "died") {
    return { kind: "crash", message: `the audit process died (${outcome.signal ? `signal ${outcome.signal}` : `exit code ${outcome.code}`})` };
  }
  return { kind: "crash", message: "the audit process stopped" };
}

function abortRecord(planned: AuditPlannedRun, script: ReturnType<AuditPlannedRun["scenario"]["script"]>, index: number, fault: SandboxFault): TurnRecord {
  const scripted = script[index - 1] ?? script[script.length - 1]!;
  return {
    index,
    turn: jsonCopy(scripted.turn),
    expect: jsonCopy(scripted.expect),
    reply: null,
    packet: null,
    packetIssues: [],
    published: [],
    modelCalls: [],
    sentences: [],
    budgetUsed: 0,
    fault,
  };
}
