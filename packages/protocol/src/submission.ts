// The submission view shared by the API (which serves it), the CLI and the web
// app (which read it): statuses and the progress the workers record.
import { z } from "zod";

export const SUBMISSION_STATUSES = ["received", "auditing", "in_assembly", "certified", "rejected", "failed"] as const;
export const SubmissionStatusSchema = z.enum(SUBMISSION_STATUSES);
export type SubmissionStatus = z.infer<typeof SubmissionStatusSchema>;
export const FINAL_SUBMISSION_STATUSES: readonly SubmissionStatus[] = ["certified", "rejected", "failed"];

const count = z.number().int().nonnegative();

/** Fields of a submission's progress; every one optional (workers fill them as they go). */
export const SUBMISSION_PROGRESS_FIELDS = {
  scenariosTotal: count.optional(),
  scenariosCompleted: count.optional(),
  currentScenario: z.string().nullable().optional(),
  turnsCompleted: count.optional(),
  /** Turn of the current scenario run (per-turn telemetry, SRIP-05 /phase/telemetry in spirit). */
  currentTurn: count.optional(),
  currentTurnsTotal: count.optional(),
  /** DI of the latest turn in basis points: as the runtime reported it, and as the platform measured it (null: unverified). */
  reportedDiBps: count.nullable().optional(),
  measuredDiBps: count.nullable().optional(),
  assemblyRound: count.optional(),
  /** The validator assembly as it stands. */
  assembly: z
    .object({
      id: z.string(),
      round: count,
      phase: z.string(),
      phaseEndsAt: z.string().nullable(),
      seats: count,
      committed: count,
      revealed: count,
      escalated: z.boolean(),
    })
    .optional(),
};

/** Progress as clients read it: unknown fields from newer servers are ignored. */
export const SubmissionProgressSchema = z.object(SUBMISSION_PROGRESS_FIELDS);
export type SubmissionProgress = z.infer<typeof SubmissionProgressSchema>;
