import { contentTerms } from "../src/model/text";
import {
  aepZone,
  bandIndex,
  bandOf,
  compositeDriftBps,
  divRoundHalfUp,
  latestMeasuredDi,
  measureRun,
  measureTurnSeries,
  ratioBps,
  runPhaseMachine,
  toBps,
  WINDOW_TURNS,
  type PhaseInput,
} from "../src/metrics";
import { mix, repeat, runOf, type TurnSpec } from "./fixtures/records";

const di = (specs: TurnSpec[], opts: Parameters<typeof runOf>[1] = {}) => measureTurnSeries(runOf(specs, opts));

describe("basis points", () => {
  it("rounds exact ratios half up", () => {
    expect(ratioBps(1, 8)).toBe(1250);
    expect(ratioBps(1, 3)).toBe(3333);
    expect(ratioBps(2, 3)).toBe(6667);
    expect(ratioBps(1, 20_000)).toBe(1); // 0.5 bps rounds up
    expect(ratioBps(0, 5)).toBe(0);
    expect(divRoundHalfUp(5, 2)).toBe(3);
    expect(() => divRoundHalfUp(1, 0)).toThrow(RangeError);
  });
  it("clamps floats into [0, 10000]", () => {
    expect(toBps(-0.2)).toBe(0);
    expect(toBps(1.7)).toBe(10_000);
    expect(toBps(0.44995)).toBe(4500);
    expect(toBps(0.44994)).toBe(4499);
  });
});

describe("DI bands", () => {
  it.each([
    [0, "stable", 0],
    [4499, "stable", 0],
    [4500, "reflective", 1],
    [4999, "reflective", 1],
    [5000, "sync_blocked", 2],
    [6000, "recenter", 3],
    [7000, "recenter", 3],
    [7001, "critical", 4],
    [7500, "critical", 4],
    [7501, "collapse", 5],
    [10_000, "collapse", 5],
  ])("DI %i bps is %s", (value, band, index) => {
    expect(bandOf(value)).toBe(band);
    expect(bandIndex(value)).toBe(index);
  });
});

describe("tokenizer of the profile (pinned)", () => {
  it("lowercases, drops stop words and short words", () => {
    expect(contentTerms("The migration PLAN, the plan! 42 ok go")).toEqual(["migration", "plan", "plan", "42"]);
  });
});

describe("window and validity", () => {
  it("is unverified (null, never zero) until the window is full", () => {
    const series = di(repeat(6));
    expect(series.slice(0, WINDOW_TURNS - 1).map((p) => [p.di, p.validity])).toEqual(repeat(4).map(() => [null, "unverified"]));
    expect(series.slice(0, 4).every((p) => p.sdi === null && p.sv === null && p.pd === null && p.scr === null && p.band === null)).toBe(true);
    expect(series[4]).toMatchObject({ turn: 5, di: 0, sdi: 0, sv: 0, pd: 0, scr: 10_000, validity: "valid", band: "stable" });
  });

  it("leaves a turn without a reply unverified and skips it in later windows", () => {
    const specs = repeat(7);
    specs[2] = { reply: null };
    const series = di(specs);
    expect(series[2]).toMatchObject({ di: null, validity: "unverified" });
    expect(series[4]).toMatchObject({ di: null, validity: "unverified" }); // only 4 replies so far
    expect(series[5]).toMatchObject({ di: 0, validity: "valid" });
    const measured = measureRun(runOf(specs)).perRecord;
    expect(measured[5]!.window).toEqual([1, 2, 4, 5, 6]);
  });

  it("treats a blank reply as no reply", () => {
    const specs = repeat(6);
    specs[5] = { reply: "   " };
    expect(di(specs)[5]).toMatchObject({ di: null, validity: "unverified" });
  });

  it("is unverified when SCR is 0 (no content terms), with DI null", () => {
    const series = di(repeat(6, { reply: "The and of it." }));
    expect(series[5]).toMatchObject({ scr: 0, sdi: 0, di: null, validity: "unverified", band: null });
  });

  it("is unverified when the window holds no classified sentence", () => {
    const series = di(repeat(5, { sentences: [null, null] }));
    expect(series[4]).toMatchObject({ di: null, sdi: null, validity: "unverified" });
  });

  it("is degraded while a model fault is in the window", () => {
    const specs = repeat(9);
    specs[2] = { modelFault: "provider_error" };
    const v = di(specs).map((p) => p.validity);
    expect(v).toEqual(["unverified", "unverified", "unverified", "unverified", "degraded", "degraded", "degraded", "valid", "valid"]);
  });

  it("is degraded when more than 20% of the window's sentences are unclassified", () => {
    const atLimit = repeat(5);
    atLimit[4] = { sentences: [null, null] }; // 2 of 10
    expect(di(atLimit)[4]!.validity).toBe("valid");
    const over = repeat(5);
    over[4] = { sentences: [null, null, null] }; // 3 of 11
    expect(di(over)[4]).toMatchObject({ validity: "degraded", di: 0 });
  });
});

describe("components", () => {
  it("SDI is the off-task share of the window's classified sentences", () => {
    const specs = repeat(5);
    specs[4] = { sentences: mix(0, 2) };
    expect(di(specs)[4]).toMatchObject({ sdi: 2000, di: 667 });
  });

  it("PD counts every posture violation axis once per sentence", () => {
    const specs = repeat(5);
    specs[4] = {
      sentences: [
        { identity: "global_rename", alias: "Nova" },
        { identity: "persona_break" },
        { ontology: "literalized" },
        { runtimeEvent: "mythologized" },
        { participant: "other" },
        { constraint: "dropped" },
        { foreignSession: true },
        { identity: "session_alias", alias: "Nova" },
        { ontology: "grounded", runtimeEvent: "operational", participant: "current", constraint: "kept" },
      ],
    };
    // 7 violating of 17 classified = 0.41176 -> 4118; DI = 4118 / 3 -> 1373
    expect(di(specs)[4]).toMatchObject({ pd: 4118, sdi: 0, di: 1373 });
  });

  it("SV is the RMS shortfall of motif density below the reference density 0.5", () => {
    const atReference = { sentences: [{ motif: true }, { motif: false }] };
    const none = { sentences: [{ motif: false }, { motif: false }] };
    const full = { sentences: [{ motif: true }, { motif: true }] };
    const series = di([...repeat(5, atReference), none, ...repeat(5, full), ...repeat(5, none)]);
    expect(series[4]!.sv).toBe(0);
    // window 2..6: one turn 0.5 short -> mean sq 0.05 -> sqrt = 0.2236
    expect(series[5]).toMatchObject({ sv: 2236, di: 745 });
    // a denser attractor is not drift
    expect(series[10]!.sv).toBe(0);
    // five turns without motifs: shortfall 0.5 everywhere
    expect(series[15]).toMatchObject({ sv: 5000, di: 1667 });
  });

  it("SCR is the mean per-reply share of distinct content terms, and a low SCR amplifies DI", () => {
    const specs = repeat(5);
    specs[4] = { sentences: mix(0, 2) };
    // fixed vocabulary: every reply says its 3 terms twice -> 3/6 = 5000; DI = 2000 / (3 * 0.5) -> 1333
    expect(di(specs, { vocabulary: "fixed" })[4]).toMatchObject({ scr: 5000, sdi: 2000, di: 1333 });
    const three = repeat(5, { sentences: mix(0, 3) });
    // 3/9 per reply -> 3333; SDI 1 -> DI = 10000 / (3 * 0.3333) -> clamped to 1
    expect(di(three, { vocabulary: "fixed" })[4]).toMatchObject({ scr: 3333, sdi: 10_000, di: 10_000, band: "collapse" });
  });

  it("clamps DI to 1", () => {
    expect(compositeDriftBps(5000, 0, 0, 1000)).toBe(10_000);
    expect(compositeDriftBps(3000, 1500, 0, 10_000)).toBe(1500);
    expect(compositeDriftBps(3000, 1500, 0, 5000)).toBe(3000);
    expect(() => compositeDriftBps(1, 1, 1, 0)).toThrow(RangeError);
  });
});

describe("SRIP-10 AEP", () => {
  it.each([
    [9000, 500, "semantic_monotony"],
    [9000, 501, "convergent"],
    [6000, 3000, "convergent"],
    [5999, 3000, "equilibrium"],
    [6000, 3001, "equilibrium"],
    [1999, 100, "dispersive"],
    [5000, 6001, "dispersive"],
    [2000, 6000, "equilibrium"],
  ])("TI %i, SDC %i -> %s", (ti, sdc, zone) => {
    expect(aepZone(ti, sdc)).toBe(zone);
  });

  it("identical replies are semantic monotony; fresh vocabulary is dispersive", () => {
    const same = di(repeat(4), { vocabulary: "fixed" });
    expect(same[0]).toMatchObject({ ti: null, sdc: null, zone: null });
    expect(same[1]).toMatchObject({ ti: 10_000, sdc: 0, zone: "semantic_monotony" });
    const fresh = di(repeat(4));
    expect(fresh[1]!.ti).toBe(0);
    expect(fresh[1]!.zone).toBe("dispersive");
  });
});

describe("SRIP-03 §6.1 phase machine", () => {
  const cycle = (turn: number, zone: PhaseInput["zone"], stability: number | null, windowFull = true): PhaseInput => ({ turn, zone, stability, windowFull });

  it("forms, stabilises, crystallises after 5 convergent cycles, decays 0.08 per cycle, reflects below 0.70, then stabilises", () => {
    const cycles = [
      cycle(1, null, null, false),
      cycle(2, "convergent", null, false),
      cycle(3, "convergent", 9000),
      cycle(4, "convergent", 9000),
      cycle(5, "semantic_monotony", 9000),
      cycle(6, "convergent", 9000), // 5th convergent cycle -> crystallization at 0.90
      cycle(7, "convergent", 9500), // 0.82
      cycle(8, "convergent", 9500), // 0.74
      cycle(9, "convergent", 9500), // 0.66 < 0.70 -> reflection
      cycle(10, "convergent", 9500),
      cycle(11, "equilibrium", 9500), // leaves convergent -> stable
    ];
    const trace = runPhaseMachine(cycles);
    expect(trace.phases).toEqual([
      "forming",
      "forming",
      "stable",
      "stable",
      "stable",
      "crystallization",
      "crystallization",
      "crystallization",
      "reflection",
      "reflection",
      "stable",
    ]);
    expect(trace.phaseStability.slice(5, 9)).toEqual([9000, 8200, 7400, 6600]);
    expect(trace.events).toEqual([{ turn: 6, entryStability: 9000, reflectionTurn: 9 }]);
  });

  it("needs stability above 0.85 and an unbroken convergent streak", () => {
    const low = runPhaseMachine([1, 2, 3, 4, 5, 6].map((t) => cycle(t, "convergent", 8500)));
    expect(low.events).toEqual([]);
    const broken = runPhaseMachine([
      cycle(1, "convergent", 9000),
      cycle(2, "convergent", 9000),
      cycle(3, null, null),
      cycle(4, "convergent", 9000),
      cycle(5, "convergent", 9000),
      cycle(6, "convergent", 9000),
      cycle(7, "convergent", 9000),
    ]);
    expect(broken.events).toEqual([]);
  });

  it("crystallises a monotone, drift-free transcript", () => {
    const measured = measureRun(runOf(repeat(8), { vocabulary: "fixed" }));
    expect(measured.perRecord.map((m) => m.phase)).toEqual([
      "forming",
      "forming",
      "forming",
      "forming",
      "stable",
      "crystallization",
      "crystallization",
      "crystallization",
    ]);
    expect(measured.combined.crystallizations).toEqual([{ turn: 6, entryStability: 10_000, reflectionTurn: null }]);
  });
});

describe("multi-session scopes", () => {
  it("measures each session in its own window and also combined", () => {
    const specs: TurnSpec[] = [];
    for (let i = 0; i < 10; i++) specs.push({ session: i % 2 ? "beta" : "alpha", sentences: i % 2 ? mix(0, 2) : mix(2, 0) });
    const run = runOf(specs, { checks: ["sessions"] });
    const perSession = measureTurnSeries(run);
    // alpha is always on task, beta always off; each session's 5th turn is the first measured
    expect(perSession.filter((p) => p.di !== null).map((p) => [p.turn, p.session, p.sdi])).toEqual([
      [9, "alpha", 0],
      [10, "beta", 10_000],
    ]);
    const combined = measureTurnSeries(run, { scope: "combined" });
    expect(combined.slice(4).map((p) => p.sdi)).toEqual([4000, 6000, 4000, 6000, 4000, 6000]);
  });
});

describe("latestMeasuredDi (progress events)", () => {
  it("is the last record's DI within its session, null while unverified", () => {
    const specs: TurnSpec[] = [];
    for (let i = 0; i < 10; i++) specs.push({ session: i % 2 ? "beta" : "alpha", sentences: i % 2 ? mix(0, 2) : mix(2, 0) });
    const records = runOf(specs).records;
    expect(latestMeasuredDi(records.slice(0, 8))).toBeNull();
    expect(latestMeasuredDi(records.slice(0, 9))).toBe(measureTurnSeries(runOf(specs))[8]!.di);
    expect(latestMeasuredDi(records)).toBe(measureTurnSeries(runOf(specs))[9]!.di);
    expect(latestMeasuredDi([])).toBeNull();
  });
});
