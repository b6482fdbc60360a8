// Progress of a submission as the workers report it (stored as JSON on the row).
import { z } from "zod";

const count = z.number().int().nonnegative();

export const SubmissionProgressSchema = z.strictObject({
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
  /** The validator assembly as it stands (AssemblyService.progressOf). */
  assembly: z
    .strictObject({
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
});
export type SubmissionProgress = z.infer<typeof SubmissionProgressSchema>;

/** Reads stored progress; anything unreadable counts as no progress yet. */
export function readProgress(value: unknown): SubmissionProgress {
  const parsed = SubmissionProgressSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}
