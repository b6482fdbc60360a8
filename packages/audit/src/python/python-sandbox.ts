// One scenario run of a Python runtime on the audit's shared interpreter: the
// Python counterpart of sandbox/RuntimeSandbox, with the same StepOutcome. The
// Node side owns everything observable (virtual clock, seeded PRNGs, model
// bridge, published packets, logs, the audit-wide meter); the harness counts
// the work and reports it with every step. Only JSON strings cross.
import { ModelRequestSchema, SigmaPacketSchema, type ModelRequest, type SigmaPacket, type Turn } from "@assay/protocol";
import { BudgetMeter } from "../sandbox/budget";
import { embed } from "../sandbox/embed";
import { HostError, ModelFaultError, isModelFaultCode, type SandboxFault } from "../sandbox/faults";
import { formatIssues } from "../sandbox/issues";
import { LOG_LIMITS, VIRTUAL_CLOCK } from "../sandbox/limits";
import { deriveSeed, mulberry32, type Prng } from "../sandbox/prng";
import type { SandboxOptions, StepOutcome } from "../sandbox/sandbox";
import type { PythonInterpreter } from "./interpreter";
import { EVENTS_PER_UNIT } from "./limits";
import { withVirtualWorld } from "./virtual-world";

type StepState = { outputBytes: number; published: SigmaPacket[]; publishIssues: string[]; logs: string[]; abort: SandboxFault | null };

type Envelope = { events: number; result?: string; fault?: SandboxFault };

const MAX_MESSAGE = 500;

function clip(text: string, max = MAX_MESSAGE): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export class PythonRuntimeSandbox {
  private readonly meter: BudgetMeter;
  private readonly random: Prng;
  private readonly entropy: Prng;
  private clockMs: number = VIRTUAL_CLOCK.epochMs;
  private state: StepState = { outputBytes: 0, published: [], publishIssues: [], logs: [], abort: null };
  private hostFailure: unknown = null;
  private closed = false;
  private faulted: SandboxFault | null = null;

  constructor(
    private readonly interpreter: PythonInterpreter,
    private readonly options: SandboxOptions,
  ) {
    this.meter = options.meter ?? new BudgetMeter(options.limits.auditBudget);
    this.random = mulberry32(deriveSeed(options.seed, "host.random"));
    this.entropy = mulberry32(deriveSeed(options.seed, "os.urandom"));
    interpreter.startRun(JSON.stringify(options.manifest), deriveSeed(options.seed, "random.seed"));
  }

  get now(): number {
    return this.clockMs;
  }

  get fault(): SandboxFault | null {
    return this.faulted;
  }

  step(turn: Turn): StepOutcome {
    if (this.closed) throw new HostError("sandbox is disposed");
    this.state = { outputBytes: 0, published: [], publishIssues: [], logs: [], abort: null };
    this.clockMs += VIRTUAL_CLOCK.turnMs;
    const { stepBudget } = this.options.limits;
    const auditLeft = this.meter.remaining;
    const budget = Math.min(stepBudget, auditLeft);
    const limitMessage = stepBudget <= auditLeft ? `step exceeded its CPU budget of ${stepBudget} units` : `audit exceeded its CPU budget of ${this.meter.auditBudget} units`;
    // The step stops at the first event past `budget` whole units.
    const limit = budget * EVENTS_PER_UNIT + EVENTS_PER_UNIT - 1;

    let text: string;
    const interpreter = this.interpreter;
    interpreter.handler = (name, body) => this.hostCall(name, body);
    interpreter.stdout = (line) => this.hostLog(line);
    try {
      text = withVirtualWorld({ nowMs: () => this.clockMs, entropy: this.entropy }, () => interpreter.step(JSON.stringify(turn), limit, limitMessage));
    } catch (error) {
      // The harness catches every Python exception: a throw here is the interpreter itself failing.
      interpreter.poisoned = true;
      if (this.hostFailure) throw this.hostFailure;
      const message = error instanceof Error ? error.message : String(error);
      const kind = /call stack|stack overflow|memory|out of bounds/i.test(message) ? "memory" : "crash";
      return this.finish({ kind, message: `interpreter failed: ${clip(message, 200)}` }, 0);
    } finally {
      interpreter.handler = null;
      interpreter.stdout = null;
    }
    if (this.hostFailure) {
      const failure = this.hostFailure;
      this.hostFailure = null;
      throw failure;
    }
    const envelope = JSON.parse(text) as Envelope;
    const units = Math.floor(envelope.events / EVENTS_PER_UNIT);
    this.meter.used += units;
    const fault = this.state.abort ?? envelope.fault ?? null;
    if (fault) return this.finish(fault, units);
    return this.accept(envelope.result!, units);
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.interpreter.endRun();
  }

  // ------------------------------------------------------------ internals ---

  private finish(fault: SandboxFault, units: number): StepOutcome {
    this.faulted = fault;
    const outcome: StepOutcome = {
      reply: null,
      packet: null,
      packetIssues: [...this.state.publishIssues],
      published: this.state.published,
      logs: this.state.logs,
      budgetUsed: units,
      outputBytes: this.state.outputBytes,
      fault: { kind: fault.kind, message: clip(fault.message) },
    };
    this.dispose();
    return outcome;
  }

  private accept(text: string, units: number): StepOutcome {
    this.addOutput(Buffer.byteLength(text, "utf8"), "step result");
    if (this.state.abort) return this.finish(this.state.abort, units);
    const record = JSON.parse(text) as { reply: string; packet?: unknown };
    const packet = SigmaPacketSchema.safeParse(record.packet);
    const packetIssues = packet.success ? [] : formatIssues(packet.error, "packet");
    return {
      reply: record.reply,
      packet: packet.success ? packet.data : null,
      packetIssues: [...packetIssues, ...this.state.publishIssues],
      published: this.state.published,
      logs: this.state.logs,
      budgetUsed: units,
      outputBytes: this.state.outputBytes,
    };
  }

  /** A call from the harness. Answers are JSON; {"stop"} makes the harness stop the step. */
  private hostCall(name: string, body: string): string {
    if (this.state.abort) return JSON.stringify({ stop: this.state.abort });
    switch (name) {
      case "now":
        return JSON.stringify({ value: this.clockMs });
      case "random":
        return JSON.stringify({ value: this.random() });
      case "sleep": {
        const ms = Number(JSON.parse(body));
        if (Number.isFinite(ms) && ms > 0) this.clockMs += Math.min(Math.floor(ms), 86_400_000);
        return JSON.stringify({ value: null });
      }
      case "embed":
        return JSON.stringify({ value: embed(JSON.parse(body) as string) });
      case "log":
        this.hostLog(JSON.parse(body) as string);
        return this.state.abort ? JSON.stringify({ stop: this.state.abort }) : "{}";
      case "publish":
        this.hostPublish(body);
        return this.state.abort ? JSON.stringify({ stop: this.state.abort }) : "{}";
      case "complete":
        return this.hostComplete(body);
      default:
        throw new HostError(`unknown host call ${name}`);
    }
  }

  private hostComplete(body: string): string {
    this.clockMs += VIRTUAL_CLOCK.modelCallMs;
    let request: ModelRequest;
    const parsed = ModelRequestSchema.safeParse(JSON.parse(body));
    if (!parsed.success) return JSON.stringify({ invalid: formatIssues(parsed.error, "request").join("; ") });
    request = parsed.data;
    try {
      const response = this.options.model(request);
      return JSON.stringify({ value: { text: response.text, usage: { inputTokens: response.usage.inputTokens, outputTokens: response.usage.outputTokens } } });
    } catch (error) {
      if (error instanceof ModelFaultError || (error && typeof error === "object" && isModelFaultCode((error as { code?: unknown }).code) && !(error instanceof HostError))) {
        return JSON.stringify({ fault: (error as { code: string }).code });
      }
      // A bug on our side: stop the step and rethrow it once the interpreter returns.
      this.hostFailure = error instanceof Error ? error : new HostError(String(error));
      this.state.abort ??= { kind: "crash", message: "host failure" };
      return JSON.stringify({ stop: this.state.abort });
    }
  }

  private hostPublish(body: string): void {
    this.addOutput(Buffer.byteLength(body, "utf8"), "host.sync.publish");
    if (this.state.abort) return;
    const index = this.state.published.length + this.state.publishIssues.length;
    const packet = SigmaPacketSchema.safeParse(JSON.parse(body));
    if (packet.success) this.state.published.push(packet.data);
    else this.state.publishIssues.push(...formatIssues(packet.error, `published[${index}]`));
  }

  private hostLog(line: string): void {
    this.addOutput(Buffer.byteLength(line, "utf8"), "host.log");
    if (this.state.logs.length < LOG_LIMITS.linesPerStep) this.state.logs.push(clip(line, LOG_LIMITS.charsPerLine));
  }

  private addOutput(bytes: number, what: string): void {
    this.state.outputBytes += bytes;
    if (this.state.outputBytes > this.options.limits.outputBytes && !this.state.abort) {
      this.state.abort = { kind: "output_limit", message: `step output exceeded ${this.options.limits.outputBytes} bytes (at ${what})` };
    }
  }
}
