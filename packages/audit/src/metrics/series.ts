// Per-turn measurement of a scenario run under srs.profile.core.v1.
// A scope is an ordered list of turn records (one session, or all of them);
// every turn of the scope is one cycle. Windows hold the last WINDOW_TURNS turns
// that have a reply, ending at the measured turn.
import type { MetricValidity } from "@assay/protocol";
import { contentTerms } from "../model/text";
import { cosine, embed as defaultEmbed } from "../sandbox/embed";
import type { ScenarioRun, TurnRecord } from "../types";
import { aepZone, type AepZone } from "./aep";
import { bandOf, type Band } from "./bands";
import {
  compositeDriftBps,
  windowCompressionBps,
  diceBps,
  driftCoefficientBps,
  postureDriftBps,
  semanticDriftBps,
  symbolicVarianceBps,
  violatesPosture,
} from "./components";
import { runPhaseMachine, type CrystallizationEvent, type Phase } from "./phase";
import { BPS, SDC_TURNS, SYMBOLIC_REFERENCE_DENSITY_BPS, UNCLASSIFIED_DEGRADED_DEN, UNCLASSIFIED_DEGRADED_NUM, WINDOW_TURNS } from "./profile";

export type EmbedFn = (text: string) => readonly number[];
export type MeasureOptions = { embed?: EmbedFn };

/** Everything measured at one turn (integers in basis points, null when undefined). */
export type TurnMeasure = {
  /** TurnRecord.index (1-based turn of the scenario run). */
  turn: number;
  session: string;
  /** 1-based cycle within the scope. */
  cycle: number;
  hasReply: boolean;
  /** Turn indexes of the DI window (empty when the window is not full or the turn has no reply). */
  window: number[];
  windowFull: boolean;
  sdi: number | null;
  sv: number | null;
  pd: number | null;
  scr: number | null;
  di: number | null;
  validity: MetricValidity;
  band: Band | null;
  ti: number | null;
  sdc: number | null;
  zone: AepZone | null;
  /** 1 − DI, null when DI is unverified. */
  stability: number | null;
  phase: Phase;
  /** Sentences of this turn's reply, and how many of them are unclassified. */
  sentences: number;
  unclassified: number;
  modelFault: boolean;
  hijack: boolean;
};

export type ScopeMeasurement = { measures: TurnMeasure[]; crystallizations: CrystallizationEvent[] };

export type RunMeasurement = {
  sessions: string[];
  /** One measure per record, in record order, each measured within its own session. */
  perRecord: TurnMeasure[];
  /** Per session scope (same objects as perRecord). */
  bySession: Map<string, ScopeMeasurement>;
  /** All records as one scope (identical to perRecord for single-session runs). */
  combined: ScopeMeasurement;
};

/** A turn has a reply when the step returned non-blank text. */
export function hasReply(record: TurnRecord): record is TurnRecord & { reply: string } {
  return record.reply !== null && record.reply.trim().length > 0;
}

export function hasModelFault(record: TurnRecord): boolean {
  return record.modelCalls.some((call) => call.fault !== undefined && call.fault !== null);
}

type Prepared = {
  record: TurnRecord;
  replied: boolean;
  terms: string[];
  termSet: Set<string>;
  embedding: readonly number[] | null;
  classified: number;
  offTask: number;
  violating: number;
  /** Motif density of the turn, null without classified sentences. */
  density: number | null;
  modelFault: boolean;
};

function prepare(record: TurnRecord, embedFn: EmbedFn): Prepared {
  const replied = hasReply(record);
  let classified = 0;
  let offTask = 0;
  let violating = 0;
  let motif = 0;
  for (const sentence of record.sentences) {
    const labels = sentence.labels;
    if (labels === null) continue;
    classified += 1;
    if (!labels.onTask) offTask += 1;
    if (labels.motif) motif += 1;
    if (violatesPosture(labels)) violating += 1;
  }
  const terms = replied ? contentTerms(record.reply!) : [];
  return {
    record,
    replied,
    terms,
    termSet: new Set(terms),
    embedding: replied ? embedFn(record.reply!) : null,
    classified,
    offTask,
    violating,
    density: classified > 0 ? motif / classified : null,
    modelFault: hasModelFault(record),
  };
}

function unverified(p: Prepared, cycle: number, window: number[]): Omit<TurnMeasure, "ti" | "sdc" | "zone" | "phase"> {
  return {
    turn: p.record.index,
    session: p.record.turn.session,
    cycle,
    hasReply: p.replied,
    window,
    windowFull: window.length === WINDOW_TURNS,
    sdi: null,
    sv: null,
    pd: null,
    scr: null,
    di: null,
    validity: "unverified",
    band: null,
    stability: null,
    sentences: p.record.sentences.length,
    unclassified: p.record.sentences.filter((s) => s.labels === null).length,
    modelFault: p.modelFault,
    hijack: p.record.expect.hijack === true,
  };
}

/** Measure one scope (records in order). */
export function measureScope(records: readonly TurnRecord[], options: MeasureOptions = {}): ScopeMeasurement {
  const embedFn = options.embed ?? defaultEmbed;
  const prepared = records.map((r) => prepare(r, embedFn));
  const repliedIdx: number[] = [];
  // Reference motif density of the profile: a reply on the task's attractor
  // keeps its motifs in at least this share of its sentences.
  const baseline = SYMBOLIC_REFERENCE_DENSITY_BPS / BPS;

  const partial: Omit<TurnMeasure, "phase">[] = [];
  prepared.forEach((p, i) => {
    const cycle = i + 1;
    let ti: number | null = null;
    let sdc: number | null = null;
    if (p.replied) {
      const prev = repliedIdx.at(-1);
      if (prev !== undefined) ti = diceBps(prepared[prev]!.termSet, p.termSet);
      repliedIdx.push(i);
      const recent = repliedIdx.slice(-SDC_TURNS).map((k) => prepared[k]!.embedding!);
      sdc = driftCoefficientBps(recent, cosine);
    }
    const aep = { ti, sdc, zone: aepZone(ti, sdc) };
    if (!p.replied || repliedIdx.length < WINDOW_TURNS) {
      partial.push({ ...unverified(p, cycle, []), ...aep });
      return;
    }
    const windowPrepared = repliedIdx.slice(-WINDOW_TURNS).map((k) => prepared[k]!);
    const window = windowPrepared.map((w) => w.record.index);
    let classified = 0;
    let offTask = 0;
    let violating = 0;
    let sentences = 0;
    let unclassifiedCount = 0;
    const compression: { distinct: number; total: number }[] = [];
    for (const w of windowPrepared) {
      classified += w.classified;
      offTask += w.offTask;
      violating += w.violating;
      sentences += w.record.sentences.length;
      unclassifiedCount += w.record.sentences.length - w.classified;
      compression.push({ distinct: new Set(w.terms).size, total: w.terms.length });
    }
    const base = unverified(p, cycle, window);
    const sdi = semanticDriftBps(offTask, classified);
    const pd = postureDriftBps(violating, classified);
    const sv = symbolicVarianceBps(windowPrepared.map((w) => w.density), baseline);
    const scr = windowCompressionBps(compression);
    const measure: Omit<TurnMeasure, "phase"> = { ...base, ...aep, sdi, sv, pd, scr };
    if (sdi === null || sv === null || pd === null || scr === 0) {
      partial.push(measure);
      return;
    }
    const di = compositeDriftBps(sdi, sv, pd, scr);
    const degraded =
      windowPrepared.some((w) => w.modelFault) ||
      unclassifiedCount * UNCLASSIFIED_DEGRADED_DEN > sentences * UNCLASSIFIED_DEGRADED_NUM;
    partial.push({ ...measure, di, validity: degraded ? "degraded" : "valid", band: bandOf(di), stability: BPS - di });
  });

  const trace = runPhaseMachine(partial);
  const measures = partial.map((m, i) => ({ ...m, phase: trace.phases[i]! }));
  return { measures, crystallizations: trace.events };
}

/** Measure a run per session and combined. */
export function measureRun(run: ScenarioRun, options: MeasureOptions = {}): RunMeasurement {
  const sessions: string[] = [];
  const groups = new Map<string, TurnRecord[]>();
  for (const record of run.records) {
    const s = record.turn.session;
    if (!groups.has(s)) {
      groups.set(s, []);
      sessions.push(s);
    }
    groups.get(s)!.push(record);
  }
  const bySession = new Map<string, ScopeMeasurement>();
  const byTurn = new Map<number, TurnMeasure>();
  for (const s of sessions) {
    const scope = measureScope(groups.get(s)!, options);
    bySession.set(s, scope);
    for (const m of scope.measures) byTurn.set(m.turn, m);
  }
  const combined = sessions.length === 1 ? bySession.get(sessions[0]!)! : measureScope(run.records, options);
  const perRecord = run.records.map((r) => byTurn.get(r.index)!);
  return { sessions, perRecord, bySession, combined: sessions.length === 0 ? { measures: [], crystallizations: [] } : combined };
}

/** One point of a DI trajectory, for progress events and plots. All numbers are integers. */
export type TurnSeriesPoint = {
  turn: number;
  session: string;
  di: number | null;
  sdi: number | null;
  sv: number | null;
  pd: number | null;
  scr: number | null;
  ti: number | null;
  sdc: number | null;
  validity: MetricValidity;
  band: Band | null;
  zone: AepZone | null;
  phase: Phase;
};

function toPoint(m: TurnMeasure): TurnSeriesPoint {
  return {
    turn: m.turn,
    session: m.session,
    di: m.di,
    sdi: m.sdi,
    sv: m.sv,
    pd: m.pd,
    scr: m.scr,
    ti: m.ti,
    sdc: m.sdc,
    validity: m.validity,
    band: m.band,
    zone: m.zone,
    phase: m.phase,
  };
}

/**
 * Per-turn series of a run. Scope "session" (default) measures every turn
 * within its own session (the same as "combined" for single-session runs);
 * "combined" measures all turns as one conversation.
 */
export function measureTurnSeries(run: ScenarioRun, options: MeasureOptions & { scope?: "session" | "combined" } = {}): TurnSeriesPoint[] {
  const measured = measureRun(run, options);
  const measures = options.scope === "combined" ? measured.combined.measures : measured.perRecord;
  return measures.map(toPoint);
}

/**
 * Measured DI of the last record, within its session, for progress events
 * (null while unverified): the same number as measuring the whole session and
 * taking its last turn, i.e. `measureScope(session).measures.at(-1).di`.
 *
 * Why not measure the session: this runs on every turn of an audit, and measuring
 * the session so far is O(turns) — O(turns²) per run, measured at 1.5–3.3 s of CPU
 * of a 6–8 s in-process core audit (docs/decisions/0027). A turn's DI depends only on its window:
 * the last WINDOW_TURNS replied turns of its session, itself included (no reply →
 * unverified; fewer replied turns → window not full). So measuring just those
 * turns gives the identical DI; phases and AEP, which look further back, are not
 * part of it (test/progress-measure.test.ts: against the whole-session measure on every
 * prefix of generated runs and of real core audits).
 */
export function latestMeasuredDi(records: readonly TurnRecord[], options: MeasureOptions = {}): number | null {
  const last = records[records.length - 1];
  if (!last || !hasReply(last)) return null;
  const window: TurnRecord[] = [];
  for (let i = records.length - 1; i >= 0 && window.length < WINDOW_TURNS; i--) {
    const record = records[i]!;
    if (record.turn.session === last.turn.session && hasReply(record)) window.push(record);
  }
  if (window.length < WINDOW_TURNS) return null;
  return measureScope(window.reverse(), options).measures.at(-1)?.di ?? null;
}
