// One runtime inside one QuickJS context, for one scenario run (SPEC §3, §4).
// The Node side owns everything observable: the virtual clock, the seeded
// PRNG, the model bridge, what was published and logged, and the deterministic
// CPU meter (WebAssembly gas — function entries and loop iterations — counted
// by the metered QuickJS binary, plus size-based charges for host calls). The isolate only ever receives
// JSON strings and numbers.
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from "quickjs-emscripten-core";
import {
  ModelRequestSchema,
  SigmaPacketSchema,
  type Manifest,
  type ModelRequest,
  type ModelResponse,
  type SandboxLimits,
  type SigmaPacket,
  type Turn,
} from "@assay/protocol";
import { BOOTSTRAP_SOURCE, FORBIDDEN_GLOBALS, WATCHED_INTRINSICS } from "./bootstrap";
import { embed } from "./embed";
import { HostError, ModelFaultError, isModelFaultCode, type SandboxFault } from "./faults";
import { GAS_PER_UNIT, HOST_CALL_COST, LOG_LIMITS, TRAP_MARGIN_UNITS, VIRTUAL_CLOCK } from "./limits";
import { deriveSeed, mulberry32, type Prng } from "./prng";
import { discardQuickJs, gasOf, loadQuickJs, type WasmGas } from "./quickjs";
import { BudgetMeter } from "./budget";
import { formatIssues } from "./issues";
import { parseWellFormed, wellFormedString } from "./well-formed";

/** Node side of host.model.complete. Throw ModelFaultError for a scripted provider fault. */
export type HostModel = (request: ModelRequest) => ModelResponse;

export type SandboxOptions = {
  /** The entry bundle: one ES2022 module exporting createRuntime(host). */
  source: string;
  /** File name shown in stack traces (the manifest's entry). */
  entryName?: string;
  manifest: Manifest;
  limits: SandboxLimits;
  /** Seed of this scenario run: drives host.random and Math.random. */
  seed: number;
  model: HostModel;
  /** Audit-wide CPU meter shared by every sandbox of one audit. */
  meter?: BudgetMeter;
};

export type StepOutcome = {
  reply: string | null;
  packet: SigmaPacket | null;
  packetIssues: string[];
  published: SigmaPacket[];
  logs: string[];
  /** Interrupt-handler units used by this step (the first step also carries module evaluation and createRuntime). */
  budgetUsed: number;
  outputBytes: number;
  fault?: SandboxFault;
};

type StepState = {
  units: number;
  hostMilliUnits: number;
  /** WebAssembly gas of this step, and how many whole units of it are already charged. */
  gas: bigint;
  gasUnits: number;
  outputBytes: number;
  published: SigmaPacket[];
  publishIssues: string[];
  logs: string[];
};

type Settled = { ok: true; handle: QuickJSHandle } | { ok: false; fault: SandboxFault };

const MAX_MESSAGE = 500;
/** The gas value that means "not metering" (host work between and around steps). */
const UNMETERED = 2n ** 62n;
const GAS_UNIT = BigInt(GAS_PER_UNIT);
/** Promise jobs run per budget unit while a step's promise settles. */
const JOBS_PER_UNIT = 100;

function clip(text: string, max = MAX_MESSAGE): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A string the bootstrap sent JSON-encoded (so NUL and lone surrogates survive the C boundary). */
function parseJsonString(json: string): string {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "string" ? value : String(value);
  } catch {
    return json;
  }
}

function emptyState(): StepState {
  return { units: 0, hostMilliUnits: 0, gas: 0n, gasUnits: 0, outputBytes: 0, published: [], publishIssues: [], logs: [] };
}

export class RuntimeSandbox {
  /** Open a sandbox on the process-wide QuickJS module. */
  static async open(options: SandboxOptions): Promise<RuntimeSandbox> {
    return new RuntimeSandbox(await loadQuickJs(options.limits.memoryBytes), options);
  }

  private readonly runtime: QuickJSRuntime;
  private readonly context: QuickJSContext;
  private readonly meter: BudgetMeter;
  private readonly gas: WasmGas;
  /** The gas value set at the last arm(); consumed = armedAt - gas.value. Null while not metering. */
  private armedAt: bigint | null = null;
  private readonly random: Prng;
  private entry: { start: QuickJSHandle; step: QuickJSHandle; integrity: QuickJSHandle; api: QuickJSHandle } | null = null;
  private state: StepState = emptyState();
  /** First fault recorded by a host-side trap; makes the interrupt handler stop the isolate. */
  private abort: SandboxFault | null = null;
  private hostFailure: unknown = null;
  private started = false;
  private faulted: SandboxFault | null = null;
  private clockMs: number = VIRTUAL_CLOCK.epochMs;
  private poisoned = false;
  private closed = false;

  constructor(
    private readonly quickjs: QuickJSWASMModule,
    private readonly options: SandboxOptions,
  ) {
    this.meter = options.meter ?? new BudgetMeter(options.limits.auditBudget);
    this.gas = gasOf(quickjs);
    this.random = mulberry32(deriveSeed(options.seed, "host.random"));
    this.runtime = quickjs.newRuntime();
    this.runtime.setMemoryLimit(options.limits.memoryBytes);
    this.runtime.setMaxStackSize(options.limits.stackBytes);
    this.runtime.setInterruptHandler(() => this.onInterrupt());
    // Why: every import (static or dynamic) is a way out of the one-file bundle.
    this.runtime.setModuleLoader((name) =>
      this.unmetered(() => {
        this.recordForbidden(`import of module "${clip(name, 100)}"`);
        return { error: new Error(`module "${name}" is not available in the Assay sandbox`) };
      }),
    );
    this.context = this.runtime.newContext();
  }

  /** Virtual milliseconds of this run's clock. */
  get now(): number {
    return this.clockMs;
  }

  /** The fault that ended this sandbox, if any. */
  get fault(): SandboxFault | null {
    return this.faulted;
  }

  /**
   * Run one turn. The first call evaluates the module and calls createRuntime.
   * After a fault the sandbox is disposed and further steps are refused.
   */
  step(turn: Turn): StepOutcome {
    if (this.closed) throw new HostError("sandbox is disposed");
    this.state = emptyState();
    this.clockMs += VIRTUAL_CLOCK.turnMs;
    this.arm();
    try {
      if (!this.started) {
        this.started = true;
        const startFault = this.guard(() => this.start());
        if (startFault) return this.finishFault(startFault);
      }
      const fault = this.guard(() => this.runStep(turn));
      if (fault) return this.finishFault(fault);
      this.disarm();
      // The step's last units (drained above) may have crossed a budget after the isolate returned.
      if (this.abort) return this.finishFault(this.abort);
      this.lastOutcome!.budgetUsed = this.state.units;
      return this.lastOutcome!;
    } finally {
      this.disarm();
    }
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.poisoned) {
      // The WASM instance aborted: freeing into it could abort again. Drop the module instead.
      discardQuickJs(this.quickjs);
      return;
    }
    try {
      if (this.entry) {
        for (const handle of Object.values(this.entry)) if (handle.alive) handle.dispose();
      }
      this.context.dispose();
      this.runtime.dispose();
    } catch {
      discardQuickJs(this.quickjs);
    }
  }

  // ------------------------------------------------------------ internals ---

  private lastOutcome: StepOutcome | null = null;

  private onInterrupt(): boolean {
    if (this.abort) return true;
    this.drain();
    return this.abort !== null;
  }

  /**
   * Start metering: the gas counter is set to what the step may still spend
   * (plus a small margin so that interpreted code is normally stopped cleanly by
   * the interrupt handler first). A native builtin that would run past it traps
   * at that deterministic point instead of running on.
   */
  private arm(): void {
    // Once the step is being stopped, only the margin is left: the isolate runs at most that far before it traps.
    const remaining = this.abort ? 0 : Math.max(0, Math.min(this.options.limits.stepBudget - this.state.units, this.meter.auditBudget - this.meter.used));
    const allowance = BigInt(remaining + TRAP_MARGIN_UNITS) * GAS_UNIT;
    this.gas.value = allowance;
    this.armedAt = allowance;
  }

  /** Charge the gas spent since arm() and re-arm with what is left. */
  private drain(): void {
    if (this.armedAt === null) return;
    const left = this.gas.value;
    this.state.gas += this.armedAt - left;
    const whole = Number(this.state.gas / GAS_UNIT);
    if (whole > this.state.gasUnits) {
      const units = whole - this.state.gasUnits;
      this.state.gasUnits = whole;
      this.addUnits(units);
    }
    this.arm();
  }

  /** Stop metering (the step ended, or host work follows). */
  private disarm(): void {
    this.drain();
    this.armedAt = null;
    this.gas.value = UNMETERED;
  }

  /** Host work done for the isolate: not counted as gas (it is charged by size instead). */
  private unmetered<T>(work: () => T): T {
    const metering = this.armedAt !== null;
    if (metering) this.disarm();
    try {
      return work();
    } finally {
      if (metering) this.arm();
    }
  }

  /**
   * Host calls cost budget too (in thousandths of a unit), or a loop of cheap
   * calls — 2 M empty host.log() calls ran 11 s on ~1 200 interpreter units —
   * would escape the CPU bound. Integer arithmetic keeps it deterministic.
   */
  private chargeHostCall(milliUnits: number): void {
    this.state.hostMilliUnits += milliUnits;
    if (this.state.hostMilliUnits >= 1000) {
      const whole = Math.floor(this.state.hostMilliUnits / 1000);
      this.state.hostMilliUnits -= whole * 1000;
      if (!this.abort) this.addUnits(whole);
    }
  }

  /** String length of a handle, read without copying the string out of the isolate. */
  private lengthOf(handle: QuickJSHandle): number {
    const length = this.context.getProp(handle, "length");
    const value = this.context.typeof(length) === "number" ? this.context.getNumber(length) : 0;
    length.dispose();
    return value;
  }

  /** Charge a host call plus HOST_CALL_COST.perChar per character of its argument; false when the step is being stopped. */
  private chargeSized(base: number, arg: QuickJSHandle): boolean {
    if (this.abort) return false;
    const chars = this.context.typeof(arg) === "string" ? this.lengthOf(arg) : 0;
    this.chargeHostCall(base + chars * HOST_CALL_COST.perChar);
    return this.abort === null;
  }

  private addUnits(units: number): void {
    this.state.units += units;
    this.meter.used += units;
    // The first reason to stop is the one reported (an output fault stays one even if the budget runs out while stopping).
    if (this.abort) return;
    if (this.state.units > this.options.limits.stepBudget) {
      this.abort = { kind: "timeout", message: `step exceeded its CPU budget of ${this.options.limits.stepBudget} units` };
      return;
    }
    if (this.meter.used > this.meter.auditBudget) {
      this.abort = { kind: "timeout", message: `audit exceeded its CPU budget of ${this.meter.auditBudget} units` };
    }
  }

  private recordForbidden(what: string): void {
    if (!this.abort) this.abort = { kind: "forbidden_api", message: `forbidden access: ${what}` };
  }

  private addOutput(bytes: number, what: string): void {
    this.state.outputBytes += bytes;
    if (this.state.outputBytes > this.options.limits.outputBytes && !this.abort) {
      this.abort = {
        kind: "output_limit",
        message: `step output exceeded ${this.options.limits.outputBytes} bytes (at ${what})`,
      };
    }
  }

  /** Run an isolate operation; turn engine-level throws into faults or rethrow host bugs. */
  private guard(operation: () => SandboxFault | null): SandboxFault | null {
    let fault: SandboxFault | null;
    try {
      fault = operation();
    } catch (error) {
      if (this.hostFailure) throw this.hostFailure;
      fault = this.faultFromNodeError(error);
    }
    if (this.hostFailure) {
      const failure = this.hostFailure;
      this.hostFailure = null;
      throw failure;
    }
    return fault;
  }

  private faultFromNodeError(error: unknown): SandboxFault {
    const message = error instanceof Error ? error.message : String(error);
    // The metered binary traps (unreachable) when the gas it was given runs out:
    // a native builtin ran past the budget. Drain charges it, which sets the abort.
    const gasTrap = this.armedAt !== null && this.gas.value === 0n;
    this.drain();
    if (gasTrap && !this.abort) this.abort = { kind: "timeout", message: `step exceeded its CPU budget of ${this.options.limits.stepBudget} units` };
    if (error instanceof RangeError && /call stack/i.test(message)) {
      this.poisoned = true;
      return { kind: "memory", message: "stack limit exceeded" };
    }
    if (this.abort) {
      this.poisoned = true;
      return this.abort;
    }
    this.poisoned = true;
    if (/out of memory|memory access out of bounds|Cannot enlarge memory/i.test(message)) {
      return { kind: "memory", message: `isolate memory exhausted: ${clip(message, 200)}` };
    }
    return { kind: "crash", message: `isolate aborted: ${clip(message, 200)}` };
  }

  private start(): SandboxFault | null {
    const ctx = this.context;
    const api = this.installBootstrap();
    const moduleResult = ctx.evalCode(this.options.source, this.options.entryName ?? "runtime.js", { type: "module" });
    if (moduleResult.error) return this.faultFromError(moduleResult.error, "module evaluation");
    const namespace = this.settle(moduleResult.value, "module evaluation");
    if (!namespace.ok) return namespace.fault;
    const manifestJson = ctx.newString(JSON.stringify(this.options.manifest));
    const startResult = ctx.callFunction(api.start, ctx.undefined, namespace.handle, manifestJson);
    manifestJson.dispose();
    namespace.handle.dispose();
    if (startResult.error) return this.faultFromError(startResult.error, "createRuntime");
    const started = this.settle(startResult.value, "createRuntime");
    if (!started.ok) return started.fault;
    started.handle.dispose();
    return this.checkAfterCall("createRuntime");
  }

  private runStep(turn: Turn): SandboxFault | null {
    const ctx = this.context;
    const api = this.entry!;
    const turnJson = ctx.newString(JSON.stringify(turn));
    const result = ctx.callFunction(api.step, ctx.undefined, turnJson);
    turnJson.dispose();
    if (result.error) return this.pollutionBehind(this.faultFromError(result.error, "step"));
    const settled = this.settle(result.value, "step");
    if (!settled.ok) return this.pollutionBehind(settled.fault);
    const isString = ctx.typeof(settled.handle) === "string";
    // Why the length first: copying a 60 MB result out of the isolate is host work the cap exists to prevent.
    const chars = isString ? this.lengthOf(settled.handle) : 0;
    if (chars > this.options.limits.outputBytes) {
      settled.handle.dispose();
      this.addOutput(chars, "step result");
      return this.abort;
    }
    const text = isString ? this.unmetered(() => ctx.getString(settled.handle)) : null;
    settled.handle.dispose();
    if (text === null) return { kind: "invalid_result", message: "step result could not be serialised" };
    this.addOutput(Buffer.byteLength(text, "utf8"), "step result");
    const after = this.checkAfterCall("step");
    if (after) return after;
    return this.acceptResult(text);
  }

  /**
   * A crash caused by polluted intrinsics (Object.prototype.then makes every
   * result a promise that never settles) is reported as the pollution. Only
   * after a crash: the context is intact then, unlike after an interrupt.
   */
  private pollutionBehind(fault: SandboxFault): SandboxFault {
    if (fault.kind !== "crash" || this.abort) return fault;
    return this.checkAfterCall("step") ?? fault;
  }

  /** After a call returned normally: a recorded trap or pollution still faults the step. */
  private checkAfterCall(phase: string): SandboxFault | null {
    if (this.abort) return this.abort;
    const api = this.entry!;
    const result = this.context.callFunction(api.integrity, this.context.undefined);
    if (result.error) return this.faultFromError(result.error, `${phase} integrity check`);
    const problem = this.context.getString(result.value);
    result.value.dispose();
    if (this.abort) return this.abort;
    if (problem) return { kind: "forbidden_api", message: `prototype pollution: ${problem}` };
    return null;
  }

  private acceptResult(text: string): SandboxFault | null {
    let value: unknown;
    try {
      value = parseWellFormed(text);
    } catch {
      return { kind: "invalid_result", message: "step result is not valid JSON" };
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return { kind: "invalid_result", message: `step must return { reply, packet }, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}` };
    }
    const record = value as Record<string, unknown>;
    if (typeof record.reply !== "string") {
      return { kind: "invalid_result", message: "step result has no string reply" };
    }
    const packet = SigmaPacketSchema.safeParse(record.packet);
    const packetIssues = packet.success ? [] : formatIssues(packet.error, "packet");
    this.lastOutcome = {
      reply: record.reply,
      packet: packet.success ? packet.data : null,
      packetIssues: [...packetIssues, ...this.state.publishIssues],
      published: this.state.published,
      logs: this.state.logs,
      budgetUsed: this.state.units,
      outputBytes: this.state.outputBytes,
    };
    return null;
  }

  private finishFault(fault: SandboxFault): StepOutcome {
    // Charge what is left of the step's gas before reporting it; disposal is host work.
    this.disarm();
    this.faulted = fault;
    // Why: an exhausted linear memory may have failed an allocation inside the
    // bridge's own glue code; never reuse that heap.
    if (fault.kind === "memory") this.poisoned = true;
    const outcome: StepOutcome = {
      reply: null,
      packet: null,
      packetIssues: [...this.state.publishIssues],
      published: this.state.published,
      logs: this.state.logs,
      budgetUsed: this.state.units,
      outputBytes: this.state.outputBytes,
      fault,
    };
    this.dispose();
    return outcome;
  }

  /** Resolve a value that may be a promise by draining QuickJS's job queue. */
  private settle(handle: QuickJSHandle, phase: string): Settled {
    const ctx = this.context;
    let state = ctx.getPromiseState(handle);
    if (state.type === "fulfilled" && state.notAPromise) return { ok: true, handle };
    while (state.type === "pending") {
      // Why batches: each batch of jobs costs a budget unit, so an endless
      // microtask chain (tiny jobs, few interrupt polls) ends as a timeout
      // instead of silently exhausting QuickJS's job queue.
      const jobs = this.runtime.executePendingJobs(JOBS_PER_UNIT);
      if (jobs.error) {
        let fault = this.faultFromError(jobs.error, phase);
        // Why: a promise job never throws to its caller (exceptions become
        // rejections); an exception with no value escaping the job queue is
        // QuickJS failing to allocate.
        if (fault.kind === "crash" && / threw: (null|undefined)$/.test(fault.message)) {
          fault = { kind: "memory", message: `out of memory while running promise jobs during ${phase}` };
        }
        handle.dispose();
        return { ok: false, fault };
      }
      const executed = jobs.value;
      if (executed > 0 && !this.abort) this.addUnits(1);
      if (this.abort) {
        handle.dispose();
        return { ok: false, fault: this.abort };
      }
      state = ctx.getPromiseState(handle);
      if (state.type === "pending" && executed === 0) {
        handle.dispose();
        return { ok: false, fault: this.abort ?? { kind: "crash", message: `${phase} returned a promise that never settles` } };
      }
    }
    handle.dispose();
    if (state.type === "rejected") return { ok: false, fault: this.faultFromError(state.error, phase, "rejected") };
    if (state.type === "fulfilled") return { ok: true, handle: state.value };
    return { ok: false, fault: { kind: "crash", message: `${phase}: unexpected promise state` } };
  }

  /** Classify an exception that escaped the isolate, and dispose its handle. */
  private faultFromError(error: QuickJSHandle, phase: string, how: "threw" | "rejected" = "threw"): SandboxFault {
    let name = "";
    let message = "";
    if (!this.abort) {
      try {
        const dumped: unknown = this.context.dump(error);
        if (dumped && typeof dumped === "object") {
          const d = dumped as { name?: unknown; message?: unknown };
          name = typeof d.name === "string" ? d.name : "";
          message = typeof d.message === "string" ? d.message : clip(JSON.stringify(dumped) ?? String(dumped));
        } else {
          message = String(dumped);
        }
      } catch {
        message = "unreadable exception";
      }
    }
    if (error.alive) error.dispose();
    if (this.abort) return this.abort;
    if (/out of memory/i.test(message)) return { kind: "memory", message: `out of memory (limit ${this.options.limits.memoryBytes} bytes) during ${phase}` };
    if (/stack overflow|call stack/i.test(message)) return { kind: "memory", message: `stack limit of ${this.options.limits.stackBytes} bytes exceeded during ${phase}` };
    if (name === "InternalError" && message === "interrupted") return { kind: "timeout", message: `${phase} interrupted` };
    return { kind: "crash", message: clip(`${phase} ${how}: ${name ? `${name}: ` : ""}${message}`) };
  }

  private installBootstrap(): { start: QuickJSHandle; step: QuickJSHandle; integrity: QuickJSHandle } {
    const ctx = this.context;
    const factory = ctx.unwrapResult(ctx.evalCode(BOOTSTRAP_SOURCE, "assay-bootstrap.js", { type: "global", strict: true }));
    const native = ctx.newObject();
    const define = (name: string, fn: (...args: QuickJSHandle[]) => QuickJSHandle | void) => {
      // Host work is charged by size (chargeHostCall), not as the isolate's gas.
      const handle = ctx.newFunction(name, (...args) => this.unmetered(() => fn(...args)));
      ctx.setProp(native, name, handle);
      handle.dispose();
    };
    define("now", () => {
      this.chargeHostCall(HOST_CALL_COST.now);
      return ctx.newNumber(this.clockMs);
    });
    define("random", () => {
      this.chargeHostCall(HOST_CALL_COST.random);
      return ctx.newNumber(this.random());
    });
    // Calls that carry a string are charged by its length too, before any work
    // is done on it: a 16 MB host.embed cost 0.9 s of Node CPU for 0.5 units.
    define("complete", (body) => {
      if (!this.chargeSized(HOST_CALL_COST.complete, body)) return ctx.newString(JSON.stringify({ invalid: "the sandbox is stopping this step" }));
      return ctx.newString(this.hostComplete(ctx.getString(body)));
    });
    define("embed", (text) => {
      if (!this.chargeSized(HOST_CALL_COST.embed, text)) return ctx.newString("[]");
      return ctx.newString(JSON.stringify(embed(parseJsonString(ctx.getString(text)))));
    });
    define("publish", (body) => {
      // Why first: a packet longer (in UTF-16 units, so also in UTF-8 bytes) than the output cap is an output fault, not CPU.
      const chars = this.lengthOf(body);
      if (this.state.outputBytes + chars > this.options.limits.outputBytes) return this.addOutput(chars, "host.sync.publish");
      if (!this.chargeSized(HOST_CALL_COST.publish, body)) return;
      this.hostPublish(ctx.getString(body));
    });
    define("log", (line) => {
      if (!this.chargeSized(HOST_CALL_COST.log, line)) return;
      this.hostLog(wellFormedString(parseJsonString(ctx.getString(line))));
    });
    define("forbid", (what) => {
      this.recordForbidden(ctx.getString(what));
    });
    define("invalid", (message) => {
      if (!this.abort) this.abort = { kind: "invalid_result", message: clip(ctx.getString(message)) };
    });
    const names = (list: readonly string[]) => {
      const arr = ctx.newArray();
      list.forEach((n, i) => {
        const s = ctx.newString(n);
        ctx.setProp(arr, i, s);
        s.dispose();
      });
      return arr;
    };
    const seed = ctx.newNumber(deriveSeed(this.options.seed, "Math.random"));
    const forbidden = names(FORBIDDEN_GLOBALS);
    const watched = names(WATCHED_INTRINSICS);
    const api = ctx.unwrapResult(ctx.callFunction(factory, ctx.undefined, native, seed, forbidden, watched));
    for (const h of [factory, native, seed, forbidden, watched]) h.dispose();
    const entry = {
      api,
      start: ctx.getProp(api, "start"),
      step: ctx.getProp(api, "step"),
      integrity: ctx.getProp(api, "integrity"),
    };
    this.entry = entry;
    return entry;
  }

  private hostComplete(body: string): string {
    // The isolate is being stopped (budget, trap, output): do no more work for it.
    if (this.abort) return JSON.stringify({ invalid: "the sandbox is stopping this step" });
    this.clockMs += VIRTUAL_CLOCK.modelCallMs;
    let request: ModelRequest;
    try {
      const parsed = ModelRequestSchema.safeParse(parseWellFormed(body));
      if (!parsed.success) return JSON.stringify({ invalid: formatIssues(parsed.error, "request").join("; ") });
      request = parsed.data;
    } catch {
      return JSON.stringify({ invalid: "request is not JSON" });
    }
    try {
      const response = this.options.model(request);
      return JSON.stringify({
        value: { text: response.text, usage: { inputTokens: response.usage.inputTokens, outputTokens: response.usage.outputTokens } },
      });
    } catch (error) {
      if (error instanceof ModelFaultError || (error && typeof error === "object" && isModelFaultCode((error as { code?: unknown }).code) && !(error instanceof HostError))) {
        return JSON.stringify({ fault: (error as { code: string }).code });
      }
      // A bug on our side: stop the isolate and rethrow it after the call unwinds.
      this.hostFailure = error instanceof Error ? error : new HostError(String(error));
      if (!this.abort) this.abort = { kind: "crash", message: "host failure" };
      return JSON.stringify({ invalid: "host failure" });
    }
  }

  private hostPublish(body: string): void {
    this.addOutput(Buffer.byteLength(body, "utf8"), "host.sync.publish");
    if (this.abort) return;
    let value: unknown = null;
    try {
      value = parseWellFormed(body);
    } catch {
      value = null;
    }
    const index = this.state.published.length + this.state.publishIssues.length;
    const packet = SigmaPacketSchema.safeParse(value);
    if (packet.success) this.state.published.push(packet.data);
    else this.state.publishIssues.push(...formatIssues(packet.error, `published[${index}]`));
  }

  private hostLog(line: string): void {
    this.addOutput(Buffer.byteLength(line, "utf8"), "host.log");
    if (this.state.logs.length < LOG_LIMITS.linesPerStep) this.state.logs.push(clip(line, LOG_LIMITS.charsPerLine));
  }
}
