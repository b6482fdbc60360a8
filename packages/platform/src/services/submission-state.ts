// The submission state machine as data (SPEC §11 statuses). Pure: the only place
// that changes a submission's status is SubmissionService.transition, which asks
// this table first.
import type { SubmissionStatus } from "../repositories";

export const SUBMISSION_STATUSES = ["received", "auditing", "in_assembly", "certified", "rejected", "failed"] as const satisfies readonly SubmissionStatus[];

export const SUBMISSION_TRANSITIONS: Readonly<Record<SubmissionStatus, readonly SubmissionStatus[]>> = {
  received: ["auditing", "failed"],
  // rejected straight from auditing: an objective critical finding vetoes
  // certification, so no assembly is convened (SPEC §4-5).
  auditing: ["in_assembly", "rejected", "failed"],
  in_assembly: ["certified", "rejected", "failed"],
  certified: [],
  rejected: [],
  // An operator re-run of a submission that failed for infrastructure reasons.
  failed: ["received"],
};

export function canTransition(from: SubmissionStatus, to: SubmissionStatus): boolean {
  return SUBMISSION_TRANSITIONS[from].includes(to);
}

export function isTerminal(status: SubmissionStatus): boolean {
  return status === "certified" || status === "rejected";
}

export function allowedNext(status: SubmissionStatus): readonly SubmissionStatus[] {
  return SUBMISSION_TRANSITIONS[status];
}
