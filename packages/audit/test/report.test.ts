import { AuditReportSchema, digestOf, type AuditReport } from "@assay/protocol";
import { buildReport, ReportInputError, reportDigest, reportFromSuiteRun, transcriptDigest, type BuildReportInput } from "../src/report";
import { METRIC_IDS, PROFILE_ID } from "../src/metrics";
import { repeat, runOf } from "./fixtures/records";
import { drifting, good } from "./fixtures/scenarios";

const meta = () => ({
  suite: { id: "core", version: "1.0.0" },
  seed: 7,
  engine: { name: "assay-audit", version: "0.1.0" },
  limits: { memoryBytes: 33_554_432, stackBytes: 524_288, stepBudget: 1_000_000, auditBudget: 100_000_000, outputBytes: 65_536, wallClockMs: 10_000 },
  subject: { name: "ref", version: "1.0.0", digest: `0x${"ab".repeat(32)}` },
  claims: ["SRIP-03" as const, "SRIP-13" as const],
});

function input(overrides: Partial<BuildReportInput> = {}): BuildReportInput {
  return {
    ...meta(),
    runs: [
      runOf(good(12), { id: "long-horizon", checks: ["drift"], srips: ["SRIP-03"] }),
      runOf([...good(6), ...repeat(2, { expect: { hijack: true } }), ...good(6)], { id: "drift-pressure", checks: ["drift", "recovery"], srips: ["SRIP-03"] }),
      runOf(good(12), { id: "long-horizon", seed: 8, checks: ["drift"], srips: ["SRIP-03"] }),
    ],
    ...overrides,
  };
}

const value = (report: Pick<AuditReport, "metrics">, id: string) => report.metrics.find((m) => m.id === id);

describe("buildReport", () => {
  it("builds a schema-valid report with integer metrics and the profile", () => {
    const report = buildReport(input());
    expect(AuditReportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({ format: "assay.report/v2", verdict: "pass", profile: PROFILE_ID, seed: 7, findings: [] });
    expect(report.usage).toEqual({ modelCalls: 38, inputTokens: 380, outputTokens: 190 });
    expect(report.scenarios.map((s) => [s.id, s.seed, s.turns, s.completed])).toEqual([
      ["long-horizon", 1, 12, true],
      ["drift-pressure", 1, 14, true],
      ["long-horizon", 8, 12, true],
    ]);
    for (const m of [...report.metrics, ...report.scenarios.flatMap((s) => s.metrics)]) {
      if (m.value === null) expect(m.validity).toBe("unverified");
      else expect(Number.isSafeInteger(m.value)).toBe(true);
    }
  });

  it("states each scenario's transcript digest", () => {
    const i = input();
    const report = buildReport(i);
    expect(report.scenarios[1]!.transcriptDigest).toBe(transcriptDigest(i.runs[1]!.records));
    // the digest covers the records only: identical transcripts under two seeds hash alike
    expect(report.scenarios[0]!.transcriptDigest).toBe(report.scenarios[2]!.transcriptDigest);
    expect(report.scenarios[0]!.transcriptDigest).not.toBe(report.scenarios[1]!.transcriptDigest);
  });

  it("carries each run's per-turn DI series (bps integers or null, one per turn) for the drift plots, matching the max DI metric", () => {
    const report = buildReport(input());
    for (const scenario of report.scenarios) {
      expect(scenario.series).toHaveLength(scenario.turns);
      for (const di of scenario.series!) if (di !== null) expect(Number.isSafeInteger(di) && di >= 0 && di <= 10_000).toBe(true);
      const measured = scenario.series!.filter((d): d is number => d !== null);
      // The window needs full turns: the first turn is unverified, never zero-filled.
      expect(scenario.series![0]).toBeNull();
      expect(measured.length).toBeGreaterThan(0);
    }
    // The series is what the scenario's max-DI metric summarises (single-session runs).
    for (const scenario of report.scenarios) {
      const peak = Math.max(...scenario.series!.filter((d): d is number => d !== null));
      expect(scenario.metrics.find((m) => m.id === METRIC_IDS.di)!.value).toBe(peak);
    }
    // Deterministic: the same runs give the same series and digest.
    expect(buildReport(input()).digest).toBe(report.digest);
  });

  it("defines the suite-level metric set", () => {
    const report = buildReport(input());
    expect(report.metrics.map((m) => m.id)).toEqual([
      METRIC_IDS.di,
      METRIC_IDS.diMean,
      METRIC_IDS.sdi,
      METRIC_IDS.sv,
      METRIC_IDS.pd,
      METRIC_IDS.scr,
      METRIC_IDS.stability,
      METRIC_IDS.ti,
      METRIC_IDS.sdc,
      METRIC_IDS.unclassified,
      METRIC_IDS.unverifiedTurns,
      METRIC_IDS.selfReport,
      METRIC_IDS.crystallization,
      METRIC_IDS.recovery,
      METRIC_IDS.sync,
      METRIC_IDS.spread,
      METRIC_IDS.spreadMean,
      METRIC_IDS.scenariosCompleted,
    ]);
    expect(value(report, METRIC_IDS.di)).toEqual({ id: METRIC_IDS.di, value: 0, unit: "bps", validity: "valid" });
    expect(value(report, METRIC_IDS.recovery)).toEqual({ id: METRIC_IDS.recovery, value: 0, unit: "turns", validity: "valid" });
    expect(value(report, METRIC_IDS.sync)).toEqual({ id: METRIC_IDS.sync, value: null, unit: "count", validity: "unverified" });
    expect(value(report, METRIC_IDS.spread)).toEqual({ id: METRIC_IDS.spread, value: 0, unit: "bps", validity: "valid" });
    expect(value(report, METRIC_IDS.unverifiedTurns)).toEqual({ id: METRIC_IDS.unverifiedTurns, value: 12, unit: "count", validity: "valid" });
    expect(value(report, METRIC_IDS.scenariosCompleted)!.value).toBe(3);
  });

  it("reports unverified metrics as null, never zero", () => {
    const report = buildReport(input({ runs: [runOf(good(3), { id: "short", checks: ["drift"] })] }));
    expect(value(report, METRIC_IDS.di)).toEqual({ id: METRIC_IDS.di, value: null, unit: "bps", validity: "unverified" });
    expect(value(report.scenarios[0]!, METRIC_IDS.scr)).toMatchObject({ value: null, validity: "unverified" });
  });

  it("takes the validity of the extreme turn for max / min, and of the majority for a mean", () => {
    const faulted = good(10);
    faulted[6] = { modelFault: "provider_error" };
    const a = buildReport(input({ runs: [runOf(faulted, { id: "lh", checks: ["drift"] })] }));
    // every measured DI is 0; the first valid 0 is the max; 4 of 6 measured turns are degraded
    expect(value(a, METRIC_IDS.di)).toMatchObject({ value: 0, validity: "valid" });
    expect(value(a, METRIC_IDS.diMean)).toMatchObject({ value: 0, validity: "degraded" });
    const drifting7 = good(14);
    drifting7[6] = drifting(5, { modelFault: "provider_error", reportedDi: 0.3 });
    const b = buildReport(input({ runs: [runOf(drifting7, { id: "lh", checks: ["drift"] })] }));
    expect(value(b, METRIC_IDS.di)!.validity).toBe("degraded");
    expect(value(b, METRIC_IDS.di)!.value).toBeGreaterThan(0);
  });

  it("summarises unprovoked drift at suite level: turns whose window holds a hijack are left out", () => {
    const hijacked = [...good(5), ...repeat(3, drifting(5, { expect: { hijack: true }, reportedDi: 0.8 })), ...good(10)];
    const report = buildReport(input({ runs: [runOf(hijacked, { id: "dp", checks: ["drift", "recovery"] })] }));
    expect(value(report, METRIC_IDS.di)).toMatchObject({ value: 0, validity: "valid" });
    expect(value(report.scenarios[0]!, METRIC_IDS.di)!.value).toBeGreaterThan(4500);
  });

  it("measures trajectory spread across seeds of one scenario and DI across drifting runs", () => {
    const runs = [runOf(good(10), { id: "lh", seed: 1 }), runOf([...good(5), ...repeat(5, drifting(5, { reportedDi: 0.8 }))], { id: "lh", seed: 2 })];
    const report = buildReport(input({ runs }));
    const spread = value(report, METRIC_IDS.spread)!;
    expect(spread.value).toBe(value(report, METRIC_IDS.di)!.value);
    expect(spread.value!).toBeGreaterThan(7000);
    expect(report.scenarios.every((s) => s.metrics.some((m) => m.id === METRIC_IDS.spread))).toBe(true);
  });

  it("verdict is fail iff there is a critical finding", () => {
    const major = buildReport(input({ runs: [runOf([...good(6), { sentences: [{ identity: "global_rename" }] }], { id: "identity", checks: ["identity"] })] }));
    expect(major.findings.map((f) => f.severity)).toEqual(["major"]);
    expect(major.verdict).toBe("pass");
    const critical = buildReport(input({ runs: [runOf([...good(3), { reply: null, reportedDi: null, fault: { kind: "memory" } }], { id: "faults" })] }));
    expect(critical.findings.map((f) => [f.code, f.severity])).toEqual([["RUNTIME_MEMORY", "critical"]]);
    expect(critical.verdict).toBe("fail");
    const replay = runOf(good(6), { id: "long-horizon" });
    replay.records[2]!.reply = "changed";
    const nondeterministic = buildReport(input({ replays: [{ original: input().runs[0]!, replay }] }));
    expect(nondeterministic.findings).toMatchObject([{ code: "RUNTIME_NONDETERMINISTIC", scenario: "long-horizon@1", severity: "critical" }]);
    expect(nondeterministic.verdict).toBe("fail");
  });

  it("states one claim result per claimed SRIP from the runs' declared SRIPs and the findings", () => {
    expect(buildReport(input()).claims).toEqual([
      { srip: "SRIP-03", status: "evidenced", findings: [] },
      { srip: "SRIP-13", status: "not-tested", findings: [] },
    ]);
    const leaking = runOf([...good(6), { sentences: [{ identity: "global_rename" }] }], { id: "identity", checks: ["identity"], srips: ["SRIP-13"] });
    const report = buildReport(input({ runs: [...input().runs, leaking], claims: ["SRIP-13", "SRIP-05", "SRIP-03"] }));
    expect(report.verdict).toBe("pass");
    expect(report.claims).toEqual([
      { srip: "SRIP-03", status: "evidenced", findings: [] },
      { srip: "SRIP-05", status: "not-tested", findings: [] },
      { srip: "SRIP-13", status: "not-evidenced", findings: ["ALIAS_SCOPE_LEAK"] },
    ]);
    const crashed = runOf([...good(3), { reply: null, reportedDi: null, fault: { kind: "crash" } }], { id: "lh", srips: ["SRIP-03"] });
    expect(buildReport(input({ runs: [crashed] })).claims).toEqual([
      { srip: "SRIP-03", status: "not-evidenced", findings: ["RUNTIME_CRASH"] },
      { srip: "SRIP-13", status: "not-tested", findings: ["RUNTIME_CRASH"] },
    ]);
  });

  it("refuses claims outside the SRIP set", () => {
    expect(() => buildReport({ ...input(), claims: ["SRIP-99" as "SRIP-03"] })).toThrow(/claims/);
  });

  it("sorts findings by severity, scenario order, turn and code", () => {
    const runs = [
      runOf([...good(6), { sentences: [{ identity: "global_rename" }] }, { sentences: [{ participant: "other" }] }], { id: "a", checks: ["identity"] }),
      runOf([...good(2), { reply: null, reportedDi: null, fault: { kind: "crash" } }], { id: "b" }),
      runOf([{ sentences: [{ ontology: "literalized" }] }], { id: "c", checks: ["faults"] }),
    ];
    const report = buildReport(input({ runs }));
    expect(report.findings.map((f) => `${f.severity}/${f.scenario}/${f.turn}/${f.code}`)).toEqual([
      "critical/b/3/RUNTIME_CRASH",
      "major/a/7/ALIAS_SCOPE_LEAK",
      "major/a/8/PARTICIPANT_SCOPE_LEAK",
      "major/c/1/RUNTIME_MYTHOLOGIZED",
    ]);
  });
});

describe("report digest", () => {
  it("is the digest of the report without its digest, and stable across builds", () => {
    const a = buildReport(input());
    const b = buildReport(input());
    expect(a).toEqual(b);
    const { digest, ...unsigned } = a;
    expect(digest).toBe(digestOf(unsigned));
    expect(reportDigest(a)).toBe(digest);
  });

  const variants: [string, (i: BuildReportInput) => BuildReportInput][] = [
    ["seed", (i) => ({ ...i, seed: 8 })],
    ["suite version", (i) => ({ ...i, suite: { ...i.suite, version: "1.0.1" } })],
    ["engine", (i) => ({ ...i, engine: { ...i.engine, version: "0.1.1" } })],
    ["limits", (i) => ({ ...i, limits: { ...i.limits, memoryBytes: i.limits.memoryBytes + 1 } })],
    ["subject digest", (i) => ({ ...i, subject: { ...i.subject, digest: `0x${"cd".repeat(32)}` } })],
    ["subject version", (i) => ({ ...i, subject: { ...i.subject, version: "1.0.1" } })],
    ["usage", (i) => ({ ...i, usage: { modelCalls: 1, inputTokens: 2, outputTokens: 3 } })],
    [
      "one reply",
      (i) => {
        const runs = input().runs;
        runs[0]!.records[3]!.reply = `${runs[0]!.records[3]!.reply} Extra words here.`;
        return { ...i, runs };
      },
    ],
    [
      "one reported packet",
      (i) => {
        const runs = input().runs;
        runs[1]!.records[9]!.packet!.payload.drift_metrics.di = 0.2;
        return { ...i, runs };
      },
    ],
    ["scenario order", (i) => ({ ...i, runs: [...i.runs].reverse() })],
  ];

  it.each(variants)("changes when the %s changes", (_name, change) => {
    const base = buildReport(input()).digest;
    expect(buildReport(change(input())).digest).not.toBe(base);
  });

  it("rejects bad metadata with a typed error naming the field", () => {
    expect(() => buildReport({ ...input(), seed: -1 })).toThrow(ReportInputError);
    expect(() => buildReport({ ...input(), subject: { name: "x", version: "1", digest: "nope" } })).toThrow(/subject\.digest/);
  });
});

describe("reportFromSuiteRun", () => {
  const plan = (runs: ReturnType<typeof runOf>[], replayOf?: string) =>
    runs.map((r, i) => ({ runId: i === runs.length - 1 && replayOf ? `${r.scenario.id}@replay` : `${r.scenario.id}@${r.seed}`, scenario: r.scenario.id, seed: r.seed, ...(i === runs.length - 1 && replayOf ? { replayOf } : {}) }));

  it("turns planned replays into replay pairs and keeps them out of the scenarios", () => {
    const runs = [runOf(good(6), { id: "lh" }), runOf(good(6), { id: "lh" })];
    const report = reportFromSuiteRun(runs, { ...meta(), plan: plan(runs, "lh@1") });
    expect(report.scenarios.map((s) => s.id)).toEqual(["lh"]);
    expect(report.findings).toEqual([]);
    runs[1]!.records[2]!.reply = "different";
    const failing = reportFromSuiteRun(runs, { ...meta(), plan: plan(runs, "lh@1") });
    expect(failing.findings).toMatchObject([{ code: "RUNTIME_NONDETERMINISTIC", scenario: "lh", turn: 3 }]);
    expect(failing.verdict).toBe("fail");
  });

  it("refuses a misaligned plan or another profile", () => {
    const runs = [runOf(good(6), { id: "lh" })];
    expect(() => reportFromSuiteRun(runs, { ...meta(), plan: [] })).toThrow(ReportInputError);
    expect(() => reportFromSuiteRun(runs, { ...meta(), plan: [{ runId: "x", scenario: "other", seed: 1 }] })).toThrow(ReportInputError);
    expect(() => reportFromSuiteRun(runs, { ...meta(), plan: [{ runId: "x", scenario: "lh", seed: 1, replayOf: "nope" }] })).toThrow(/replayOf/);
    expect(() => reportFromSuiteRun(runs, { ...meta(), profile: "srs.profile.other.v1", plan: plan(runs) })).toThrow(/profile/);
  });
});

// Compile-time check (tsc): reportFromSuiteRun can be injected as the engine's ReportBuilder.
import type { ReportBuilder } from "../src/engine/audit";
export const asEngineReportBuilder: ReportBuilder = reportFromSuiteRun;
