// Property tests: bounds of every basis-point value, the validity rule,
// monotonicity of DI, and determinism of metrics, findings and report.
import fc from "fast-check";
import { AuditReportSchema } from "@assay/protocol";
import { bandOf, compositeDriftBps, measureRun, measureTurnSeries, ratioBps, toBps, WINDOW_TURNS } from "../src/metrics";
import { deriveFindings } from "../src/findings";
import { buildReport } from "../src/report";
import type { ScenarioCheck, SentenceLabels } from "../src/types";
import { runOf, type TurnSpec } from "./fixtures/records";

const labelsArb: fc.Arbitrary<Partial<SentenceLabels> | null> = fc.option(
  fc.record({
    onTask: fc.boolean(),
    motif: fc.boolean(),
    identity: fc.constantFrom("none", "canonical", "session_alias", "global_rename", "persona_break"),
    ontology: fc.constantFrom("none", "grounded", "literalized"),
    runtimeEvent: fc.constantFrom("none", "operational", "mythologized"),
    participant: fc.constantFrom("none", "current", "other"),
    constraint: fc.constantFrom("none", "kept", "dropped"),
    foreignSession: fc.boolean(),
  }),
  { freq: 6 },
);

const turnArb: fc.Arbitrary<TurnSpec> = fc.record({
  sentences: fc.array(labelsArb, { minLength: 0, maxLength: 6 }),
  reply: fc.constantFrom<(string | null | undefined)[]>(undefined, undefined, undefined, undefined, undefined, null, "  ", "The and of it."),
  reportedDi: fc.option(fc.double({ min: 0, max: 1.5, noNaN: true }), { freq: 8 }),
  recenterActive: fc.boolean(),
  published: fc.nat({ max: 2 }),
  modelFault: fc.constantFrom(undefined, undefined, undefined, "provider_error"),
  session: fc.constantFrom("a", "a", "b"),
  expect: fc.record({ hijack: fc.boolean(), sessionAlias: fc.constantFrom(null, "Nova") }),
}).map((t) => {
  const spec: TurnSpec = { ...t };
  if (t.reply === undefined) delete spec.reply;
  if (t.modelFault === undefined) delete spec.modelFault;
  return spec;
});

const runArb = fc.record({
  specs: fc.array(turnArb, { minLength: 0, maxLength: 24 }),
  vocabulary: fc.constantFrom<("fresh" | "fixed")[]>("fresh", "fixed"),
  checks: fc.subarray(["drift", "recovery", "identity", "sessions", "faults", "sync", "stability"] as const, { minLength: 1 }),
});

type RunSpec = { specs: TurnSpec[]; vocabulary: "fresh" | "fixed"; checks: readonly ScenarioCheck[] };
const build = (r: RunSpec) => runOf(r.specs, { vocabulary: r.vocabulary, checks: [...r.checks] });

const isBps = (v: number | null) => v === null || (Number.isSafeInteger(v) && v >= 0 && v <= 10_000);

describe("metric bounds and validity", () => {
  it("every per-turn value is an integer in [0, 10000] or null; DI is null exactly when unverified", () => {
    fc.assert(
      fc.property(runArb, (r) => {
        const run = build(r);
        const measured = measureRun(run);
        const repliesSoFar = new Map<string, number>();
        measured.perRecord.forEach((m, i) => {
          const rec = run.records[i]!;
          const replied = rec.reply !== null && rec.reply.trim() !== "";
          if (replied) repliesSoFar.set(m.session, (repliesSoFar.get(m.session) ?? 0) + 1);
          for (const v of [m.di, m.sdi, m.sv, m.pd, m.scr, m.ti, m.sdc, m.stability]) expect(isBps(v)).toBe(true);
          expect(m.di === null).toBe(m.validity === "unverified");
          if (m.di !== null) {
            expect(m.band).toBe(bandOf(m.di));
            expect(m.stability).toBe(10_000 - m.di);
            expect(m.scr).toBeGreaterThan(0);
          } else expect(m.band).toBeNull();
          // never measured before the session's window is full, or without a reply
          if (!replied || (repliesSoFar.get(m.session) ?? 0) < WINDOW_TURNS) expect(m.di).toBeNull();
          if (m.validity === "valid") expect(m.window.some((t) => run.records[t - 1]!.modelCalls.some((c) => c.fault))).toBe(false);
        });
      }),
      { numRuns: 150 },
    );
  });

  it("DI is within [0, 10000] and monotone in SDI, SV and PD at fixed SCR", () => {
    const bps = fc.integer({ min: 0, max: 10_000 });
    fc.assert(
      fc.property(bps, bps, bps, fc.integer({ min: 1, max: 10_000 }), bps, fc.constantFrom(0, 1, 2), (sdi, sv, pd, scr, bump, which) => {
        const base = compositeDriftBps(sdi, sv, pd, scr);
        expect(isBps(base)).toBe(true);
        const up = [sdi, sv, pd].map((v, i) => (i === which ? Math.min(10_000, v + bump) : v)) as [number, number, number];
        expect(compositeDriftBps(...up, scr)).toBeGreaterThanOrEqual(base);
      }),
    );
  });

  it("conversions stay in range", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.nat({ max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (x, n, d) => {
        expect(isBps(toBps(x))).toBe(true);
        expect(isBps(ratioBps(Math.min(n, d), d))).toBe(true);
      }),
    );
  });
});

describe("determinism", () => {
  it("the same input twice gives identical series, findings and report", () => {
    const meta = {
      suite: { id: "core", version: "1" },
      seed: 1,
      engine: { name: "assay-audit", version: "0" },
      limits: { memoryBytes: 1, stackBytes: 1, stepBudget: 1, auditBudget: 1, outputBytes: 1, wallClockMs: 1 },
      subject: { name: "x", version: "1", digest: `0x${"0".repeat(64)}` },
      claims: ["SRIP-03" as const, "SRIP-05" as const, "SRIP-13" as const],
    };
    fc.assert(
      fc.property(fc.array(runArb, { minLength: 1, maxLength: 3 }), (rs) => {
        const runsA = rs.map(build);
        const runsB = rs.map(build);
        expect(runsA.map((r) => measureTurnSeries(r))).toEqual(runsB.map((r) => measureTurnSeries(r)));
        const findings = deriveFindings(runsA);
        expect(deriveFindings(runsB)).toEqual(findings);
        const report = buildReport({ ...meta, runs: runsA });
        expect(AuditReportSchema.safeParse(report).success).toBe(true);
        expect(buildReport({ ...meta, runs: runsB }).digest).toBe(report.digest);
        expect(report.verdict === "fail").toBe(report.findings.some((f) => f.severity === "critical"));
        expect(report.claims.map((c) => c.srip)).toEqual(["SRIP-03", "SRIP-05", "SRIP-13"]);
      }),
      { numRuns: 60 },
    );
  });
});
