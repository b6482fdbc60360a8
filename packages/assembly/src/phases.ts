// Phases of a round (SPEC §5): review → commit → reveal → tally. Each has a
// deadline (enforced by the workers' delayed jobs) and closes early once every
// seat has acted; a phase that closes early starts the next one at once, with
// its full duration. Pure: times are epoch milliseconds supplied by the caller.
import type { Seat } from "./draw";
import type { AssemblyParams } from "./params";

export type Phase = "review" | "commit" | "reveal" | "tally";

export type PhaseDurations = Pick<AssemblyParams, "reviewSeconds" | "commitSeconds" | "revealSeconds">;

/** When phases actually closed early, if they did. */
export type EarlyCloses = { reviewClosedAt?: number; commitClosedAt?: number; revealClosedAt?: number };

export type PhaseDeadlines = { reviewEndsAt: number; commitEndsAt: number; revealEndsAt: number };

/** Deadlines of each phase, given the round's opening time and any early closes. */
export function phaseDeadlines(openedAt: number, params: PhaseDurations, closed: EarlyCloses = {}): PhaseDeadlines {
  const reviewEndsAt = Math.min(closed.reviewClosedAt ?? Infinity, openedAt + params.reviewSeconds * 1000);
  const commitEndsAt = Math.min(closed.commitClosedAt ?? Infinity, reviewEndsAt + params.commitSeconds * 1000);
  const revealEndsAt = Math.min(closed.revealClosedAt ?? Infinity, commitEndsAt + params.revealSeconds * 1000);
  return { reviewEndsAt, commitEndsAt, revealEndsAt };
}

/** The phase a round is in at `now`. */
export function phaseAt(now: number, openedAt: number, params: PhaseDurations, closed: EarlyCloses = {}): Phase {
  const d = phaseDeadlines(openedAt, params, closed);
  if (now < d.reviewEndsAt) return "review";
  if (now < d.commitEndsAt) return "commit";
  if (now < d.revealEndsAt) return "reveal";
  return "tally";
}

/** Whether every seat has acted in the current phase: it may close early. */
export function allSeatsActed(seats: readonly Seat[], actedValidatorIds: Iterable<string>): boolean {
  const acted = new Set(actedValidatorIds);
  return seats.every((s) => acted.has(s.validatorId));
}
