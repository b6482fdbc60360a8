import { readFileSync } from "node:fs";
import { join } from "node:path";
import { digestOf, subjectDigest, type AuditReport, type Manifest } from "@assay/protocol";
import {
  ENGINE,
  createProbeModel,
  createProbeSuite,
  runAudit,
  runScenario,
  runSuite,
  type AuditProgressEvent,
  type AuditSuite,
} from "../src/engine";
import { resolveSandboxLimits } from "../src/sandbox";
import type { ScenarioDefinition, ScriptedTurn, SyntheticModel } from "../src/types";

const probeRuntime = readFileSync(join(__dirname, "..", "bench", "probe-runtime.js"), "utf8");

const manifest: Manifest = {
  name: "probe-runtime",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  entry: "runtime.js",
  identity: { name: "Probe", role: "engine probe runtime", constraints: ["stay on the migration plan"] },
  claims: ["SRIP-03", "SRIP-05"],
  suite: "core",
};

const limits = resolveSandboxLimits();

function scenarioOf(turns: ScriptedTurn[], id = "fake"): ScenarioDefinition {
  return { id, title: id, checks: ["faults"], srips: [], script: () => turns };
}

const say = (text: string, extra: Partial<ScriptedTurn> = {}): ScriptedTurn => ({
  turn: { session: "s", participant: "p", channel: "direct", text },
  expect: {},
  ...extra,
});

/** A model that always answers normally (it ignores scripted faults: the engine must enforce them). */
const naiveModel: SyntheticModel = {
  complete: (request) => ({ text: `Answer to ${request.messages.at(-1)?.content ?? ""}.`, usage: { inputTokens: 4, outputTokens: 3 } }),
  classify: (reply) => [{ text: reply, labels: null }],
};

const catching = `export function createRuntime(host) {
  return { step(turn) {
    let reply;
    try { reply = host.model.complete({ messages: [{ role: "user", content: turn.text }] }).text; }
    catch (e) { reply = "fault:" + e.code; }
    return { reply, packet: { header: { protocol_version: "1", source_runtime_id: "a", target_runtime_id: "b", timestamp: "t" },
      payload: { attractor_state: { id: "x", type: "t", stability: 1, phase: "STABLE", scr: 0.8 }, drift_metrics: { sdi: 0, sv: 0, pd: 0, di: 0.2 },
        memory_snapshot: { summary_hash: "h", retention_index: 0 }, safety_flags: { aegida_status: "ok", phase_lock: false, recenter_active: false } },
      signature: { checksum: "c", integrity_token: "t" } } };
  } };
}`;

describe("runScenario", () => {
  it("records one TurnRecord per scripted turn with usage, packet and classified sentences", async () => {
    const scenario = scenarioOf([say("one"), say("two")]);
    const run = await runScenario({ scenario, seed: 1, manifest, bundleSource: catching, limits, model: naiveModel });
    expect(run.completed).toBe(true);
    expect(run.records.map((r) => [r.index, r.reply, r.modelCalls, r.fault])).toEqual([
      [1, "Answer to one.", [{ inputTokens: 4, outputTokens: 3 }], undefined],
      [2, "Answer to two.", [{ inputTokens: 4, outputTokens: 3 }], undefined],
    ]);
    expect(run.records[0]!.packet?.payload.drift_metrics.di).toBe(0.2);
    expect(run.records[0]!.sentences).toEqual([{ text: "Answer to one.", labels: null }]);
    expect("fault" in run.records[0]!).toBe(false);
    // Records are pure JSON: hashable as they are.
    expect(() => digestOf(run.records)).not.toThrow();
  });

  it("enforces the scripted fault on the turn's first call even when the model answers", async () => {
    const scenario = scenarioOf([say("a"), say("b", { fault: { code: "empty" } }), say("c", { fault: { code: "truncated" } })]);
    const run = await runScenario({ scenario, seed: 1, manifest, bundleSource: catching, limits, model: naiveModel });
    expect(run.records.map((r) => r.reply)).toEqual(["Answer to a.", "fault:empty", "Answer to c."]);
    expect(run.records[1]!.modelCalls).toEqual([{ inputTokens: 4, outputTokens: 0, fault: "empty" }]);
    expect(run.records[2]!.modelCalls).toEqual([{ inputTokens: 4, outputTokens: 3, fault: "truncated" }]);
  });

  it("stops the run at the first sandbox fault", async () => {
    const crashing = catching.replace("catch (e) { reply = \"fault:\" + e.code; }", "catch (e) { throw e; }");
    const scenario = scenarioOf([say("a"), say("b", { fault: { code: "provider_error" } }), say("c")]);
    const run = await runScenario({ scenario, seed: 1, manifest, bundleSource: crashing, limits, model: naiveModel });
    expect(run.completed).toBe(false);
    expect(run.records).toHaveLength(2);
    expect(run.records[1]!.fault).toEqual({ kind: "crash", message: 'step threw: {"code":"provider_error"}' });
    expect(run.records[1]!.reply).toBeNull();
    expect(run.records[1]!.sentences).toEqual([]);
  });

  it("gives each scenario run a fresh isolate", async () => {
    const counter = catching.replace("return { step(turn) {", "globalThis.n = (globalThis.n || 0) + 1; return { step(turn) { turn.text = String(globalThis.n);");
    const scenario = scenarioOf([say("x")]);
    const a = await runScenario({ scenario, seed: 1, manifest, bundleSource: counter, limits, model: naiveModel });
    const b = await runScenario({ scenario, seed: 1, manifest, bundleSource: counter, limits, model: naiveModel });
    expect(a.records[0]!.reply).toBe("Answer to 1.");
    expect(b.records[0]!.reply).toBe("Answer to 1.");
  });
});

describe("runSuite", () => {
  const suite = createProbeSuite({ turns: 12, runs: 2, faultTurn: 5 });

  it("runs the plan, streams progress events and totals usage", async () => {
    const events: AuditProgressEvent[] = [];
    const result = await runSuite({ suite, seed: 3, manifest, bundleSource: probeRuntime, onProgress: (e) => events.push(e), measureDi: (records) => records.length / 100 });
    expect(result.runs).toHaveLength(2);
    expect(result.runs.every((r) => r.completed)).toBe(true);
    expect(result.plan.map((p) => p.runId)).toEqual(["probe#1", "probe#2"]);
    expect(events.map((e) => e.type).filter((t) => t !== "turn")).toEqual(["audit_start", "scenario_start", "scenario_end", "scenario_start", "scenario_end", "audit_end"]);
    const turns = events.filter((e): e is Extract<AuditProgressEvent, { type: "turn" }> => e.type === "turn");
    expect(turns).toHaveLength(24);
    expect(turns[2]!.measuredDi).toBe(0.03);
    expect(typeof turns[0]!.reportedDi).toBe("number");
    const calls = result.runs.flatMap((r) => r.records.flatMap((t) => t.modelCalls));
    expect(result.usage.modelCalls).toBe(calls.length);
    expect(result.usage.inputTokens).toBe(calls.reduce((s, c) => s + c.inputTokens, 0));
    expect(result.usage.turns).toBe(24);
    expect(calls.filter((c) => c.fault === "provider_error")).toHaveLength(2);
  });

  it("is deterministic for a seed and differs across seeds", async () => {
    const digest = async (seed: number) => digestOf((await runSuite({ suite, seed, manifest, bundleSource: probeRuntime })).runs.map((r) => r.records));
    const a = await digest(11);
    expect(await digest(11)).toBe(a);
    expect(await digest(12)).not.toBe(a);
  });

  it("shares one CPU budget across every run of the audit", async () => {
    const burner = catching.replace("let reply;", "let x = 0; for (let i = 0; i < 300000; i++) x += i; let reply;");
    const result = await runSuite({ suite, seed: 1, manifest, bundleSource: burner, limits: { auditBudget: 40 } });
    const faults = result.runs.flatMap((r) => r.records.filter((t) => t.fault).map((t) => t.fault!.message));
    expect(faults[0]).toBe("audit exceeded its CPU budget of 40 units");
    expect(result.usage.budgetUnits).toBeGreaterThanOrEqual(40);
  });

  it("hands the runs and the report metadata to the injected report builder", async () => {
    const files = [
      { path: "sigma-runtime.json", content: JSON.stringify(manifest) },
      { path: "runtime.js", content: probeRuntime },
    ];
    const seen: unknown[] = [];
    const buildReport = (runs: unknown[], meta: Record<string, unknown>) => {
      seen.push(runs, meta);
      return { format: "assay.report/v1" } as unknown as AuditReport;
    };
    const { report, run } = await runAudit({ suite, seed: 5, manifest, bundleSource: probeRuntime, files, buildReport });
    expect(report).toEqual({ format: "assay.report/v1" });
    expect(seen[0]).toBe(run.runs);
    expect(seen[1]).toMatchObject({
      suite: { id: "probe", version: "1.0.0" },
      seed: 5,
      engine: ENGINE,
      limits,
      subject: { name: "probe-runtime", version: "1.0.0", digest: subjectDigest(files) },
      usage: { modelCalls: run.usage.modelCalls, inputTokens: run.usage.inputTokens, outputTokens: run.usage.outputTokens },
    });
  });

  it("accepts a suite without a plan (one run per scenario under the audit seed)", async () => {
    const bare: AuditSuite = {
      id: "bare",
      version: "0.0.1",
      scenarios: [scenarioOf([say("a")], "s1"), scenarioOf([say("b")], "s2")],
      createModel: (s, seed) => createProbeModel(seed, s.id),
    };
    const result = await runSuite({ suite: bare, seed: 9, manifest, bundleSource: catching });
    expect(result.plan).toEqual([
      { runId: "s1", scenario: "s1", seed: 9 },
      { runId: "s2", scenario: "s2", seed: 9 },
    ]);
  });
});
