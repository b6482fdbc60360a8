// Run an audit in a separate Node process (SPEC §4: "inside a separate worker
// process ... and a wall-clock kill"). The parent resolves the same suite to
// rebuild ScenarioRuns from the streamed TurnRecords, kills the child at the
// wall-clock limit and survives it dying: both end as a sandbox fault on the
// run in progress (timeout / crash), never as a thrown exception.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { resolveSandboxLimits } from "../sandbox/limits";
import type { SandboxFault } from "../sandbox/faults";
import type { AuditProgressEvent } from "../engine/events";
import { planInfo, planOf, usageOf, type AuditPlannedRun, type SuiteRunResult } from "../engine/run-suite";
import { jsonCopy } from "../engine/json";
import type { ScenarioRun, TurnRecord } from "../types";
import type { ChildMessage, IsolatedAuditInput, ParentMessage } from "./messages";
import { resolveSuite } from "./resolve";
import { languageFlags, startupAllowanceMs } from "./language-flags";

export type IsolatedAuditOptions = {
  onProgress?: (event: AuditProgressEvent) => void;
  /** Wall-clock limit for the whole audit; defaults to the limits' wallClockMs. */
  wallClockMs?: number;
  /** Child entry (tests); defaults to child.ts / child.js next to this file. */
  childPath?: string;
};

export type IsolatedAuditOutcome =
  | { status: "completed" }
  | { status: "killed"; reason: "wall_clock"; afterMs: number }
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

/** A deliberately small environment: the runtime's process gets no secrets, and local time is UTC. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { TZ: "UTC", LANG: "C", NODE_ENV: "production" };
  if (process.env.PATH) env.PATH = process.env.PATH;
  return env;
}

export async function auditInChildProcess(input: IsolatedAuditInput, options: IsolatedAuditOptions = {}): Promise<IsolatedAuditResult> {
  const started = Date.now();
  const limits = resolveSandboxLimits(input.limits);
  // A Python audit first loads its interpreter (seconds, more on a loaded machine): that is not the runtime's time.
  const wallClockMs = options.wallClockMs ?? limits.wallClockMs + startupAllowanceMs(input.manifest);
  const suite = await resolveSuite(input.suite);
  const plan = planOf(suite, input.seed);
  const records: TurnRecord[][] = plan.map(() => []);
  let current = -1;
  let outcome: IsolatedAuditOutcome = { status: "completed" };
  let errorMessage: string | null = null;
  let done = false;
  let cpuMs: number | null = null;
  const stderr: string[] = [];

  const childPath = options.childPath ?? defaultChildPath();
  const child: ChildProcess = fork(childPath, [], {
    execArgv: [...(childPath.endsWith(".ts") ? ["--import", "tsx", "--max-old-space-size=512"] : ["--max-old-space-size=512"]), ...languageFlags(input.manifest)],
    env: childEnv(),
    // Why: `--import tsx` resolves from the child's cwd; the caller's cwd (a user's
    // runtime directory) may be outside the repository. The child needs no cwd of its own.
    cwd: join(__dirname, "..", ".."),
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    serialization: "json",
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.join("").length < 8_000) stderr.push(chunk.toString("utf8"));
  });

  const emit = (event: AuditProgressEvent) => {
    try {
      options.onProgress?.(event);
    } catch {
      // A listener's bug must not change the audit.
    }
  };

  await new Promise<void>((resolve) => {
    let killedForTime = false;
    const timer = setTimeout(() => {
      killedForTime = true;
      outcome = { status: "killed", reason: "wall_clock", afterMs: wallClockMs };
      child.kill("SIGKILL");
    }, wallClockMs);
    child.on("message", (message: ChildMessage) => {
      switch (message.type) {
        case "ready": {
          const run: ParentMessage = { type: "run", input };
          child.send(run);
          break;
        }
        case "event":
          if (message.event.type === "scenario_start") current = message.event.index - 1;
          emit(message.event);
          break;
        case "record":
          if (message.run >= 0 && message.run < records.length) records[message.run]!.push(message.record);
          break;
        case "done":
          done = true;
          if (message.cpu) cpuMs = Math.round((message.cpu.userMicros + message.cpu.systemMicros) / 1000);
          break;
        case "error":
          errorMessage = message.message;
          break;
      }
    });
    child.on("error", (error) => {
      if (!errorMessage) errorMessage = error.message;
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!killedForTime) {
        if (errorMessage !== null) outcome = { status: "error", message: errorMessage };
        else if (!done) outcome = { status: "died", code, signal, stderr: stderr.join("").slice(-4_000) };
      }
      resolve();
    });
  });

  const final = outcome as IsolatedAuditOutcome;
  if (final.status === "error") throw new Error(`audit child failed: ${final.message}`);

  const runs: ScenarioRun[] = [];
  for (let i = 0; i < plan.length; i++) {
    const planned = plan[i]!;
    const got = records[i]!;
    if (i > current && got.length === 0) continue; // never started
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
  if (final.status !== "completed") {
    emit({ type: "audit_end", runs: runs.length, completed: runs.filter((r) => r.completed).length, turns: usage.turns, budgetUsed: usage.budgetUnits });
  }
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
    cpuMs,
  };
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
