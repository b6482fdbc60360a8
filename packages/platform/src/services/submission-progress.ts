// Progress of a submission as the workers report it (stored as JSON on the row).
import { SUBMISSION_PROGRESS_FIELDS } from "@assay/protocol";
import { z } from "zod";

/** Stored progress is written only by our workers: strict, unknown fields are a bug. */
export const SubmissionProgressSchema = z.strictObject(SUBMISSION_PROGRESS_FIELDS);
export type SubmissionProgress = z.infer<typeof SubmissionProgressSchema>;

/** Reads stored progress; anything unreadable counts as no progress yet. */
export function readProgress(value: unknown): SubmissionProgress {
  const parsed = SubmissionProgressSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}
