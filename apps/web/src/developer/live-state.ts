// Folding a submission's event stream into what the page shows: the current
// view, a state timeline, and per-scenario DI trajectories. The events are the
// protocol's SubmissionStreamEvent (parsed in api/client.ts): each `submission`
// event carries the full view. Pure.
import { SUBMISSION_STATUSES, type SubmissionProgress, type SubmissionStatus, type SubmissionStreamEvent, type SubmissionViewBody } from "@assay/protocol";
import { withLivePoint, type Trajectory } from "../charts/drift-series";

export { SUBMISSION_STATUSES };
export type SubmissionView = SubmissionViewBody;

export type TimelineEntry = { status: SubmissionStatus; at: string };

/** Assembly progress as the view tells it. */
export type AssemblyProgress = NonNullable<SubmissionView["assembly"]>;

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
  return withProgress(
    { ...state, submission, assembly: submission.assembly ?? state.assembly, timeline: appendStatus(timeline, submission.status, submission.updatedAt) },
    submission.progress ?? {},
  );
}

export function applyEvent(state: LiveState, event: SubmissionStreamEvent): LiveState {
  if (event.event !== "submission") return state;
  return { ...withSubmission(state, event.data), events: state.events + 1 };
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

function appendStatus(timeline: TimelineEntry[], status: SubmissionStatus, at: string | undefined): TimelineEntry[] {
  const last = timeline[timeline.length - 1];
  if (last?.status === status) return timeline;
  return [...timeline, { status, at: at ?? new Date().toISOString() }];
}

export function isTerminal(status: SubmissionStatus | undefined): boolean {
  return status === "certified" || status === "rejected" || status === "failed";
}
