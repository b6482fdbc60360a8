// What `assay status --watch` knows about a submission, and how each piece of
// news (a GET view, or one server-sent event) folds into it. Events are read by
// shape, not by name: a full SubmissionView, a `{ status }` / `{ from, to }`
// transition, a progress object (bare or under `progress`), SigmaPacket-shaped
// per-turn telemetry, and assembly progress (`assembly: { phase, round, ... }`)
// all count; anything else is ignored. Pure.
import { z } from "zod";
import { SubmissionProgressSchema, SubmissionStatusSchema, type SubmissionProgress, type SubmissionStatus, type SubmissionView } from "../api";
import { DIGEST_PATTERN } from "@assay/protocol";

const count = z.number().int().nonnegative();

export const AssemblyProgressSchema = z.object({
  round: count.optional(),
  phase: z.string().min(1).optional(),
  seats: count.optional(),
  committed: count.optional(),
  revealed: count.optional(),
  votes: z.object({ certify: count.optional(), reject: count.optional() }).optional(),
});
export type AssemblyProgress = z.infer<typeof AssemblyProgressSchema>;

export type WatchState = {
  id: string;
  status: SubmissionStatus;
  progress: SubmissionProgress;
  assembly: AssemblyProgress | null;
  certificateId: string | null;
  outcome: { code: string; message: string | null } | null;
};

export function watchStateOf(view: SubmissionView): WatchState {
  return {
    id: view.id,
    status: view.status,
    progress: view.progress ?? {},
    assembly: view.progress?.assemblyRound !== undefined ? { round: view.progress.assemblyRound } : null,
    certificateId: view.certificateId ?? null,
    outcome: view.outcome ?? null,
  };
}

/** A newer GET view replaces what events told, keeping assembly detail the view does not carry. */
export function withView(state: WatchState, view: SubmissionView): WatchState {
  const next = watchStateOf(view);
  return { ...next, assembly: next.assembly || state.assembly ? { ...state.assembly, ...next.assembly } : null };
}

const TransitionSchema = z.object({ status: SubmissionStatusSchema }).or(z.object({ to: SubmissionStatusSchema }));
const CertificateIdField = z.object({ certificateId: z.string().regex(DIGEST_PATTERN) });
const OutcomeField = z.object({ outcome: z.object({ code: z.string(), message: z.string().nullable() }) });
const PROGRESS_KEYS = Object.keys(SubmissionProgressSchema.shape);
const PacketTelemetrySchema = z.object({
  scenario: z.string().optional(),
  turn: count,
  turns: count.optional(),
  measuredDiBps: count.nullable().optional(),
  packet: z.object({ payload: z.object({ drift_metrics: z.object({ di: z.number().finite().nonnegative() }) }) }).optional(),
  payload: z.object({ drift_metrics: z.object({ di: z.number().finite().nonnegative() }) }).optional(),
});

/** Fold one event's data into the state. Unrecognised data leaves the state unchanged. */
export function applyEvent(state: WatchState, data: unknown): WatchState {
  if (typeof data !== "object" || data === null) return state;
  const record = data as Record<string, unknown>;
  let next = state;

  const transition = TransitionSchema.safeParse(record);
  if (transition.success) next = { ...next, status: "status" in transition.data ? transition.data.status : transition.data.to };

  const certificate = CertificateIdField.safeParse(record);
  if (certificate.success) next = { ...next, certificateId: certificate.data.certificateId };
  const outcome = OutcomeField.safeParse(record);
  if (outcome.success) next = { ...next, outcome: outcome.data.outcome };

  const progressSource = typeof record.progress === "object" && record.progress !== null ? record.progress : PROGRESS_KEYS.some((k) => k in record) ? record : null;
  if (progressSource) {
    const progress = SubmissionProgressSchema.partial().safeParse(pickKeys(progressSource as Record<string, unknown>, PROGRESS_KEYS));
    if (progress.success) next = withProgress(next, progress.data);
  }

  const telemetry = PacketTelemetrySchema.safeParse(record);
  if (telemetry.success && (telemetry.data.packet || telemetry.data.payload)) {
    const di = (telemetry.data.packet ?? telemetry.data).payload!.drift_metrics.di;
    next = withProgress(next, {
      ...(telemetry.data.scenario ? { currentScenario: telemetry.data.scenario } : {}),
      currentTurn: telemetry.data.turn,
      ...(telemetry.data.turns !== undefined ? { currentTurnsTotal: telemetry.data.turns } : {}),
      reportedDiBps: Math.round(di * 10_000),
      ...(telemetry.data.measuredDiBps !== undefined ? { measuredDiBps: telemetry.data.measuredDiBps } : {}),
    });
  }

  const assembly = AssemblyProgressSchema.safeParse(record.assembly);
  if (record.assembly !== undefined && assembly.success) next = { ...next, assembly: { ...next.assembly, ...assembly.data } };
  return next;
}

function withProgress(state: WatchState, progress: SubmissionProgress): WatchState {
  const merged = { ...state.progress, ...progress };
  const assembly = progress.assemblyRound !== undefined ? { ...state.assembly, round: progress.assemblyRound } : state.assembly;
  return { ...state, progress: merged, assembly };
}

function pickKeys(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in record).map((k) => [k, record[k]]));
}

/** The JSON that `status` and `submit --wait` print: `{ id, status, certificateId? }` (SPEC §11). */
export function statusResult(state: { id: string; status: SubmissionStatus; certificateId?: string | null }): { id: string; status: SubmissionStatus; certificateId?: string } {
  return { id: state.id, status: state.status, ...(state.certificateId ? { certificateId: state.certificateId } : {}) };
}
