// Audit progress events → the submission's stored progress (which the API's
// progress and SSE endpoints read). Pure fold + a throttled writer: turn events
// arrive hundreds per second, so the row is written at scenario boundaries and
// at most every `intervalMs` in between, always with the latest state, in order.
import type { AuditProgressEvent } from "@assay/audit";
import type { SubmissionProgress } from "@assay/platform";

/** A DI the runtime reported (a float, 0.45 = 4500 bps) in basis points. */
export function diBps(di: number | null): number | null {
  if (di === null || !Number.isFinite(di)) return null;
  return Math.max(0, Math.round(di * 10_000));
}

/** The platform's measured DI, already in basis points (audit's latestMeasuredDi). */
export function measuredBps(bps: number | null): number | null {
  if (bps === null || !Number.isFinite(bps)) return null;
  return Math.max(0, Math.round(bps));
}

/** The progress after one event (pure). */
export function foldProgress(progress: SubmissionProgress, event: AuditProgressEvent): SubmissionProgress {
  switch (event.type) {
    case "audit_start":
      return { scenariosTotal: event.runs, scenariosCompleted: 0, currentScenario: null, turnsCompleted: 0 };
    case "scenario_start":
      return { ...progress, currentScenario: event.runId, currentTurn: 0, currentTurnsTotal: event.turns, reportedDiBps: null, measuredDiBps: null };
    case "turn":
      return {
        ...progress,
        turnsCompleted: (progress.turnsCompleted ?? 0) + 1,
        currentTurn: event.turn,
        currentTurnsTotal: event.of,
        reportedDiBps: diBps(event.reportedDi),
        measuredDiBps: measuredBps(event.measuredDi),
      };
    case "scenario_end":
      return { ...progress, scenariosCompleted: (progress.scenariosCompleted ?? 0) + 1 };
    case "audit_end":
      return { ...progress, currentScenario: null, turnsCompleted: event.turns, scenariosCompleted: event.completed };
  }
}

export class ProgressWriter {
  private progress: SubmissionProgress = {};
  private lastWrite = 0;
  private chain: Promise<void> = Promise.resolve();
  private pending = false;

  constructor(
    private readonly write: (progress: SubmissionProgress) => Promise<void>,
    private readonly intervalMs = 250,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  get current(): SubmissionProgress {
    return this.progress;
  }

  onEvent = (event: AuditProgressEvent): void => {
    this.progress = foldProgress(this.progress, event);
    const boundary = event.type !== "turn";
    if (boundary || Date.now() - this.lastWrite >= this.intervalMs) this.schedule();
  };

  /** Waits for every scheduled write (call before the decision is recorded). */
  async flush(): Promise<void> {
    this.schedule();
    await this.chain;
  }

  private schedule(): void {
    this.lastWrite = Date.now();
    if (this.pending) return; // the queued write will carry the latest state
    this.pending = true;
    this.chain = this.chain.then(async () => {
      this.pending = false;
      try {
        await this.write(this.progress);
      } catch (error) {
        this.onError(error);
      }
    });
  }
}
