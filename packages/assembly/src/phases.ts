// Phases of a round (SPEC §5): review → commit → reveal → tally. Each has a
// deadline (enforced by the workers' delayed jobs) and closes early once every
// seat has acted. Pure: times are epoch milliseconds supplied by the caller.
import type { AssemblyParams } from "./params";
import type { Seat } from "./draw";

export type Phase = "review" | "commit" | "reveal" | "tally";

export type PhaseSchedule = { openedAt: number; reviewEndsAt: number; commitEndsAt: number; revealEndsAt: number };

/** Deadlines when each phase runs to its full duration. */
export function phaseSchedule(openedAt: number, params: Pick<AssemblyParams, "reviewSeconds" | "commitSeconds" | "revealSeconds">): PhaseSchedule {
  const reviewEndsAt = openedAt + params.reviewSeconds * 1000;
  const commitEndsAt = reviewEndsAt + params.commitSeconds * 1000;
  return { openedAt, reviewEndsAt, commitEndsAt, revealEndsAt: commitEndsAt + params.revealSeconds * 1000 };
}

/** Whether every seat has acted (reviewed, committed or revealed): the phase may close early. */
export function allSeatsActed(seats: readonly Seat[], actedValidatorIds: Iterable<string>): boolean {
  const acted = new Set(actedValidatorIds);
  return seats.every((s) => acted.has(s.validatorId));
}

/**
 * The phase a round is in at `now`, given when earlier phases actually closed
 * (early closes move the later deadlines forward by the same durations).
 */
export function phaseAt(
  now: number,
  schedule: PhaseSchedule,
  closed: { reviewClosedAt?: number; commitClosedAt?: number; revealClosedAt?: number } = {},
  params?: Pick<AssemblyParams, "commitSeconds" | "revealSeconds">,
): Phase {
  const reviewEnd = closed.reviewClosedAt ?? schedule.reviewEndsAt;
  if (now < reviewEnd) return "review";
  const commitEnd = closed.commitClosedAt ?? (params ? reviewEnd + params.commitSeconds * 1000 : schedule.commitEndsAt);
  if (now < commitEnd) return "commit";
  const revealEnd = closed.revealClosedAt ?? (params ? commitEnd + params.revealSeconds * 1000 : schedule.revealEndsAt);
  if (now < revealEnd) return "reveal";
  return "tally";
}
