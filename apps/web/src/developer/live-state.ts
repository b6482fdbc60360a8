// Folding a submission's event stream into what the page shows: the current
// view, a state timeline, and per-scenario DI trajectories. Events are read
// by shape, not by name, so a SubmissionView, a bare progress object, a
// { status } change or SigmaPacket-shaped telemetry all count. Pure.
import { withLivePoint, type Trajectory } from "../charts/drift-series";
import type { SubmissionProgress, SubmissionStatus, SubmissionView } from "../api/types";

export const SUBMISSION_STATUSES: readonly SubmissionStatus[] = ["received", "auditing", "in_assembly", "certified", "rejected", "failed"];

export type TimelineEntry = { status: SubmissionStatus; at: string };

/** Assembly progress as the stream tells it (round, phase, seats that acted). */
export type AssemblyProgress = { round?: number; phase?: string; seats?: number; committed?: number; revealed?: number };

export type LiveState = {
  submission: SubmissionView | null;
  assembly: AssemblyProgress | null;
  timeline: TimelineEntry[];
  /** Platform-measured DI per scenario, basis points. */
  measured: Trajectory[];
  /** Runtime-reported DI per scenario, basis points. */
  reported: Trajectory[];
  events: number;
};

export const emptyLiveState: LiveState = { submission: null, assembly: null, timeline: [], measured: [], reported: [], events: 0 };

export function withSubmission(state: LiveState, submission: SubmissionView): LiveState {
  const timeline = state.timeline.length === 0 ? [{ status: submission.status, at: submission.updatedAt ?? submission.createdAt }] : state.timeline;
  return withProgress({ ...state, submission, timeline: appendStatus(timeline, submission.status, submission.updatedAt) }, submission.progress ?? {});
}

export function applyEvent(state: LiveState, event: { type: string; data: unknown }, now: () => string = () => new Date().toISOString()): LiveState {
  if (typeof event.data !== "object" || event.data === null) return state;
  const data = event.data as Record<string, unknown>;
  let next: LiveState = { ...state, events: state.events + 1 };
  const at = typeof data.at === "string" ? data.at : typeof data.updatedAt === "string" ? data.updatedAt : now();

  if (typeof data.id === "string" && typeof data.runtime === "object" && typeof data.status === "string") {
    return { ...withSubmission(next, data as unknown as SubmissionView), events: next.events };
  }
  const status = typeof data.status === "string" ? data.status : typeof data.to === "string" ? data.to : null;
  if (status && isStatus(status)) {
    next = { ...next, timeline: appendStatus(next.timeline, status, at) };
    if (next.submission) next = { ...next, submission: { ...next.submission, status } };
  }
  if (next.submission && typeof data.certificateId === "string" && /^0x[0-9a-f]{64}$/.test(data.certificateId)) {
    next = { ...next, submission: { ...next.submission, certificateId: data.certificateId } };
  }
  if (next.submission && isOutcome(data.outcome)) next = { ...next, submission: { ...next.submission, outcome: data.outcome } };
  if (typeof data.assembly === "object" && data.assembly !== null) next = { ...next, assembly: { ...next.assembly, ...readAssembly(data.assembly) } };
  const progress = typeof data.progress === "object" && data.progress !== null ? (data.progress as SubmissionProgress) : looksLikeProgress(data) ? (data as SubmissionProgress) : null;
  if (progress) next = withProgress(next, progress);
  return withPacket(next, data);
}

function withProgress(state: LiveState, progress: SubmissionProgress): LiveState {
  const merged = { ...(state.submission?.progress ?? {}), ...progress };
  let next = state.submission ? { ...state, submission: { ...state.submission, progress: merged } } : state;
  const scenario = merged.currentScenario;
  const turn = progress.currentTurn;
  if (scenario && typeof turn === "number") {
    if (progress.measuredDiBps !== undefined) next = { ...next, measured: withLivePoint(next.measured, scenario, { turn, di: progress.measuredDiBps }) };
    if (progress.reportedDiBps !== undefined) next = { ...next, reported: withLivePoint(next.reported, scenario, { turn, di: progress.reportedDiBps }) };
  }
  return next;
}

/** SigmaPacket-shaped telemetry: payload.drift_metrics.di is the runtime's own DI (a ratio). */
function withPacket(state: LiveState, data: Record<string, unknown>): LiveState {
  const packet = (typeof data.packet === "object" && data.packet !== null ? data.packet : data) as { payload?: { drift_metrics?: { di?: unknown } } };
  const di = packet.payload?.drift_metrics?.di;
  const turn = typeof data.turn === "number" ? data.turn : null;
  const scenario = typeof data.scenario === "string" ? data.scenario : state.submission?.progress.currentScenario ?? null;
  if (typeof di !== "number" || !Number.isFinite(di) || turn === null || !scenario) return state;
  const reportedDiBps = Math.round(di * 10_000);
  let next: LiveState = { ...state, reported: withLivePoint(state.reported, scenario, { turn, di: reportedDiBps }) };
  const measured = data.measuredDiBps;
  if (typeof measured === "number" || measured === null) next = { ...next, measured: withLivePoint(next.measured, scenario, { turn, di: measured }) };
  if (next.submission) {
    const progress: SubmissionProgress = {
      ...next.submission.progress,
      currentScenario: scenario,
      currentTurn: turn,
      reportedDiBps,
      ...(typeof data.turns === "number" ? { currentTurnsTotal: data.turns } : {}),
      ...(typeof measured === "number" || measured === null ? { measuredDiBps: measured } : {}),
    };
    next = { ...next, submission: { ...next.submission, progress } };
  }
  return next;
}

function isOutcome(value: unknown): value is { code: string; message: string | null } {
  if (typeof value !== "object" || value === null) return false;
  const o = value as { code?: unknown; message?: unknown };
  return typeof o.code === "string" && (typeof o.message === "string" || o.message === null);
}

function readAssembly(value: object): AssemblyProgress {
  const a = value as Record<string, unknown>;
  const out: AssemblyProgress = {};
  for (const key of ["round", "seats", "committed", "revealed"] as const) {
    const v = a[key];
    if (typeof v === "number" && Number.isInteger(v) && v >= 0) out[key] = v;
  }
  if (typeof a.phase === "string" && a.phase !== "") out.phase = a.phase;
  return out;
}

function appendStatus(timeline: TimelineEntry[], status: SubmissionStatus, at: string | undefined): TimelineEntry[] {
  const last = timeline[timeline.length - 1];
  if (last?.status === status) return timeline;
  return [...timeline, { status, at: at ?? new Date().toISOString() }];
}

function isStatus(value: string): value is SubmissionStatus {
  return (SUBMISSION_STATUSES as readonly string[]).includes(value);
}

const PROGRESS_KEYS = ["scenariosTotal", "scenariosCompleted", "currentScenario", "currentTurn", "measuredDiBps", "reportedDiBps", "turnsCompleted"];
function looksLikeProgress(data: Record<string, unknown>): boolean {
  return PROGRESS_KEYS.some((k) => k in data);
}

export function isTerminal(status: SubmissionStatus | undefined): boolean {
  return status === "certified" || status === "rejected" || status === "failed";
}
