import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { digestOf, type Manifest } from "@assay/protocol";
import { reportMeta, type AuditProgressEvent } from "../src/engine";
import { reportFromSuiteRun } from "../src/report/fromSuiteRun";
import { AuditStarvedError, auditInChildProcess, auditInProcess, type IsolatedAuditInput } from "../src/process";
import { readdirSync } from "node:fs";

jest.setTimeout(60_000);

const probeRuntime = readFileSync(join(__dirname, "..", "bench", "probe-runtime.js"), "utf8");
const probeSuiteModule = join(__dirname, "..", "src", "engine", "probe-suite.ts");

const manifest: Manifest = {
  name: "probe-runtime",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  entry: "runtime.js",
  identity: { name: "Probe", role: "engine probe runtime", constraints: ["stay on the migration plan"] },
  claims: ["SRIP-03"],
  suite: "core",
};

function input(overrides: Partial<IsolatedAuditInput> = {}): IsolatedAuditInput {
  return {
    suite: { module: probeSuiteModule, export: "createProbeSuite", options: { turns: 15, runs: 2, faultTurn: 4 } },
    seed: 21,
    manifest,
    bundleSource: probeRuntime,
    ...overrides,
  };
}

const transcript = (runs: { records: unknown[] }[]) => digestOf(runs.map((r) => r.records));

describe("auditInChildProcess", () => {
  it("runs the suite in a child process and streams progress", async () => {
    const events: AuditProgressEvent[] = [];
    const result = await auditInChildProcess(input(), { onProgress: (e) => events.push(e) });
    expect(result.outcome).toEqual({ status: "completed" });
    expect(result.cpuMs).toBeGreaterThan(0);
    expect(result.runs).toHaveLength(2);
    expect(result.runs.every((r) => r.completed && r.records.length === 15)).toBe(true);
    expect(result.runs[0]!.scenario.id).toBe("probe");
    expect(events.filter((e) => e.type === "turn")).toHaveLength(30);
    expect(events[events.length - 1]!.type).toBe("audit_end");
    // The child and the in-process path run the same engine: identical transcripts.
    const local = await auditInProcess(input());
    expect(transcript(result.runs)).toBe(transcript(local.runs));
    expect(result.usage).toEqual(local.usage);
  });

  it("gives byte-identical transcripts in two separate processes, and different ones for another seed", async () => {
    const [a, b, c] = await Promise.all([
      auditInChildProcess(input()),
      auditInChildProcess(input()),
      auditInChildProcess(input({ seed: 22 })),
    ]);
    expect(transcript(a.runs)).toBe(transcript(b.runs));
    expect(JSON.stringify(a.runs.map((r) => r.records))).toBe(JSON.stringify(b.runs.map((r) => r.records)));
    expect(transcript(c.runs)).not.toBe(transcript(a.runs));
  });

  it("kills the child at the wall-clock limit, reports a timeout fault and serves the next audit", async () => {
    const spinner = `export function createRuntime(host) { let n = 0; return { step(turn) { n += 1; if (n === 3) { for (;;) {} } return { reply: "ok", packet: null }; } }; }`;
    const events: AuditProgressEvent[] = [];
    const started = Date.now();
    const killed = await auditInChildProcess(
      input({ bundleSource: spinner, limits: { stepBudget: 1_000_000_000, auditBudget: 2_000_000_000 } }),
      // Why 8 s: the clock starts at fork, and on a loaded machine start-up (tsx, metering and compiling
      // the QuickJS binary) plus two turns took more than the 2.5 s this test used to allow.
      { wallClockMs: 8_000, onProgress: (e) => events.push(e) },
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(killed.outcome).toEqual({ status: "killed", reason: "wall_clock", afterMs: 8_000 });
    expect(killed.cpuMs).toBeNull();
    expect(killed.runs).toHaveLength(1);
    const records = killed.runs[0]!.records;
    expect(records).toHaveLength(3);
    expect(records[2]!.fault).toEqual({ kind: "timeout", message: "wall-clock limit of 8000 ms exceeded; the audit process was killed" });
    expect(records[2]!.turn.text).toMatch(/^Turn 3:/);
    expect(events.some((e) => e.type === "scenario_end" && e.fault?.kind === "timeout")).toBe(true);
    // The plan is cut to the runs that started, so the report builds and fails on RUNTIME_TIMEOUT.
    expect(killed.plan.map((p) => p.runId)).toEqual(["probe#1"]);
    const report = reportFromSuiteRun(killed.runs, reportMeta(killed, manifest, [{ path: "runtime.js", content: spinner }]));
    expect(report.verdict).toBe("fail");
    expect(report.findings.some((f) => f.code === "RUNTIME_TIMEOUT" && f.severity === "critical" && f.turn === 3)).toBe(true);

    const next = await auditInChildProcess(input());
    expect(next.outcome.status).toBe("completed");
    expect(next.runs.every((r) => r.completed)).toBe(true);
  });

  it("takes no verdict when the machine starves the audit of CPU until the wall clock (a stopped child), and kills it", async () => {
    // Stop every audit child as soon as it exists: it gets (almost) no CPU, as on a badly overloaded machine.
    const stopped = new Set<number>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const pid of childrenOf(process.pid)) {
          if (!stopped.has(pid)) {
            stopped.add(pid);
            process.kill(pid, "SIGSTOP");
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      const error = await auditInChildProcess(input(), { wallClockMs: 4_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuditStarvedError);
      expect((error as AuditStarvedError).wallClockMs).toBe(4_000);
      expect((error as AuditStarvedError).cpuMs).toBeLessThan(1_000);
      expect((error as Error).message).toMatch(/overloaded/);
    } finally {
      watching = false;
      await watcher;
    }
    expect(stopped.size).toBeGreaterThan(0);
    // Killed, not left stopped.
    await new Promise((r) => setTimeout(r, 200));
    for (const pid of stopped) expect(() => process.kill(pid, 0)).toThrow();
  });

  it("survives the child dying and reports it as a crash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "assay-child-"));
    const dying = join(dir, "dying-child.js");
    writeFileSync(
      dying,
      `process.send({ type: "ready", pid: process.pid });
       process.on("message", () => {
         process.send({ type: "event", event: { type: "scenario_start", runId: "probe#1", scenario: "probe", seed: 21, index: 1, of: 2, turns: 15 } });
         setTimeout(() => process.exit(3), 50);
       });`,
    );
    const result = await auditInChildProcess(input(), { childPath: dying });
    expect(result.outcome).toMatchObject({ status: "died", code: 3 });
    expect(result.runs[0]!.records[0]!.fault).toEqual({ kind: "crash", message: "the audit process died (exit code 3)" });
  });

  it("does not hand the parent's environment to the child", async () => {
    process.env.ASSAY_TEST_SECRET = "do-not-leak";
    const dir = mkdtempSync(join(tmpdir(), "assay-child-"));
    const envDump = join(dir, "env-child.js");
    const out = join(dir, "env.json");
    writeFileSync(
      envDump,
      `require("fs").writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.env));
       process.send({ type: "ready", pid: process.pid });
       process.on("message", () => { process.send({ type: "done", usage: {}, plan: [], limits: {} }, () => process.exit(0)); });`,
    );
    await auditInChildProcess(input(), { childPath: envDump });
    const env = JSON.parse(readFileSync(out, "utf8")) as Record<string, string>;
    expect(env.ASSAY_TEST_SECRET).toBeUndefined();
    expect(env.TZ).toBe("UTC");
    delete process.env.ASSAY_TEST_SECRET;
  });
});

/** Live audit child processes of a pid (Linux /proc). */
function childrenOf(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) !== parent || fields[0] === "Z") continue;
      // Audit children only (not e.g. the esbuild service that builds the child bundle).
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (/process[\\/]child\.(ts|js)\0|audit-child-[0-9a-f]+\.js\0/.test(cmdline)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
