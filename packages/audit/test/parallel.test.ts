// Parallel audits (docs/decisions/0025-parallel-audits.md): the same report,
// digest and progress stream at parallelism 1, 2 and 4; limits and findings
// hold per run whether the speculative runs commit or the audit falls back to
// the sequential run on the shared meter.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ManifestSchema, type AuditReport, type Manifest } from "@assay/protocol";
import { reportMeta, type AuditProgressEvent } from "../src/engine";
import { reportFromSuiteRun } from "../src/report/fromSuiteRun";
import { auditInChildProcess, auditInProcess, effectiveParallelism, type IsolatedAuditInput, type IsolatedAuditResult } from "../src/process";
import { loadExample } from "./support/load-example";

// Why generous: each audit forks up to four children (tsx + the metered QuickJS binary) on a shared 2-core machine.
jest.setTimeout(600_000);

const shortCore = { module: join(__dirname, "fixtures", "short-core.ts"), export: "shortCoreSuite" };
const probeRuntime = readFileSync(join(__dirname, "..", "bench", "probe-runtime.js"), "utf8");
const probeSuite = { module: join(__dirname, "..", "src", "engine", "probe-suite.ts"), export: "createProbeSuite" };
const examples = join(__dirname, "..", "..", "..", "examples", "runtimes");

type Audited = { result: IsolatedAuditResult; report: AuditReport; events: AuditProgressEvent[] };

async function audit(input: IsolatedAuditInput, files: { path: string; content: string }[], parallelism: number): Promise<Audited> {
  const events: AuditProgressEvent[] = [];
  const result = await auditInChildProcess(input, { parallelism, onProgress: (e) => events.push(e) });
  const report = reportFromSuiteRun(result.runs, reportMeta(result, input.manifest, files));
  return { result, report, events };
}

function rawExample(name: string): { manifest: Manifest; source: string } {
  const dir = join(examples, name);
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(dir, "sigma-runtime.json"), "utf8")));
  return { manifest, source: readFileSync(join(dir, manifest.entry), "utf8") };
}

describe("parallel audits", () => {
  it("give the reference runtime the same report digest, runs and progress stream at parallelism 1, 2 and 4", async () => {
    const reference = loadExample("reference");
    const input: IsolatedAuditInput = { suite: shortCore, seed: 7, manifest: reference.manifest, bundleSource: reference.bundleSource };
    const files = [{ path: reference.manifest.entry, content: reference.bundleSource }];
    const one = await audit(input, files, 1);
    expect(one.result.outcome).toEqual({ status: "completed" });
    expect(one.result.runs).toHaveLength(4);
    const local = await auditInProcess(input);
    expect(JSON.stringify(local.runs.map((r) => r.records))).toBe(JSON.stringify(one.result.runs.map((r) => r.records)));
    for (const parallelism of [2, 4]) {
      const other = await audit(input, files, parallelism);
      expect(other.result.outcome).toEqual({ status: "completed" });
      expect(other.report.digest).toBe(one.report.digest);
      expect(JSON.stringify(other.report)).toBe(JSON.stringify(one.report));
      expect(other.result.usage).toEqual(one.result.usage);
      expect(other.result.plan).toEqual(one.result.plan);
      // Events are held per run until it commits: the stream is the sequential one, event for event.
      expect(other.events).toEqual(one.events);
    }
    // Progress is consistent with the report: one start per run, one turn event per record.
    const turns = one.events.filter((e) => e.type === "turn").length;
    expect(turns).toBe(one.result.usage.turns);
    expect(one.events.filter((e) => e.type === "scenario_start").map((e) => (e as { runId: string }).runId)).toEqual(one.result.plan.map((p) => p.runId));
    expect(one.events[0]!.type).toBe("audit_start");
    expect(one.events[one.events.length - 1]).toEqual({ type: "audit_end", runs: 4, completed: one.result.runs.filter((r) => r.completed).length, turns, budgetUsed: one.result.usage.budgetUnits });
  });

  it("keeps a hostile runtime's step-budget finding identical in parallel", async () => {
    const { manifest, source } = rawExample("hostile-infinite-loop");
    const input: IsolatedAuditInput = { suite: shortCore, seed: 7, manifest, bundleSource: source };
    const files = [{ path: manifest.entry, content: source }];
    const one = await audit(input, files, 1);
    const two = await audit(input, files, 2);
    expect(one.report.verdict).toBe("fail");
    expect(one.report.findings.some((f) => f.code === "RUNTIME_TIMEOUT")).toBe(true);
    expect(two.report.findings).toEqual(one.report.findings);
    expect(two.report.digest).toBe(one.report.digest);
    expect(two.events).toEqual(one.events);
  });

  it("falls back to the sequential run when the audit-wide CPU budget runs out, with the same fault on the same turn", async () => {
    // ~10 units a step: four runs of 8 turns need ~330 units, the audit has 250. Run 1 commits
    // (0 + ~85 + a step budget of 100 fit in 250), run 2 cannot, so the audit re-runs 2..4 in order.
    const burner = `export function createRuntime(host) { return { step(turn) { let x = 0; for (let i = 0; i < 60000; i++) x += i; return { reply: "ok " + (x % 7), packet: null }; } }; }`;
    const manifest: Manifest = { ...rawExample("hostile-infinite-loop").manifest, name: "budget-burner" };
    const input: IsolatedAuditInput = {
      suite: { ...probeSuite, options: { turns: 8, runs: 4, faultTurn: 0 } },
      seed: 3,
      manifest,
      bundleSource: burner,
      // Why a long wall clock: the loaded CI machine must not turn the budget fault into a kill.
      limits: { stepBudget: 100, auditBudget: 250, wallClockMs: 400_000 },
    };
    const files = [{ path: manifest.entry, content: burner }];
    const one = await audit(input, files, 1);
    const budgetFault = one.result.runs.flatMap((r) => r.records).find((t) => t.fault)?.fault;
    expect(budgetFault).toEqual({ kind: "timeout", message: "audit exceeded its CPU budget of 250 units" });
    expect(one.result.usage.budgetUnits).toBeGreaterThan(250);
    expect(one.result.runs[0]!.completed).toBe(true);
    for (const parallelism of [2, 4]) {
      const other = await audit(input, files, parallelism);
      expect(JSON.stringify(other.result.runs.map((r) => r.records))).toBe(JSON.stringify(one.result.runs.map((r) => r.records)));
      expect(other.report.digest).toBe(one.report.digest);
      expect(other.events).toEqual(one.events);
    }
  });

  it("runs Python runtimes one at a time and never more children than runs", () => {
    const js = loadExample("reference").manifest;
    expect(effectiveParallelism(4, js, 13)).toBe(4);
    expect(effectiveParallelism(4, js, 2)).toBe(2);
    expect(effectiveParallelism(4, { ...js, language: "python" } as Manifest, 13)).toBe(1);
    expect(() => effectiveParallelism(0, js, 13)).toThrow(RangeError);
  });
});
