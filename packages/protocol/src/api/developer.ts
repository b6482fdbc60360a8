// Response views of the developer plane.
import { z } from "zod";
import { AuditReportSchema } from "../report";
import { SubmissionProgressSchema, SubmissionStatusSchema } from "../submission";
import { DecimalText, IsoTime } from "./common";
import { ApiErrorSchema } from "./errors";

export const DeveloperViewSchema = z.strictObject({ id: z.string().uuid(), email: z.string(), name: z.string(), createdAt: IsoTime });

/**
 * The portal session (docs/decisions/0029): who is signed in and how. With the
 * session cookie (`via: "session"`) it carries the CSRF token the page must send
 * as `X-CSRF-Token` on every state-changing request; with an API key both are null.
 * The cookie's token itself is never in a body.
 */
export const DeveloperSessionSchema = z.strictObject({
  developer: DeveloperViewSchema,
  via: z.enum(["session", "api_key"]),
  csrfToken: z.string().nullable(),
  expiresAt: IsoTime.nullable(),
});
export type DeveloperSession = z.infer<typeof DeveloperSessionSchema>;

/** GET /v1/developer/credits/journal: entries that moved your credits, newest first, with the signed change of available and held credits. */
export const CreditJournalSchema = z.strictObject({
  entries: z.array(
    z.strictObject({
      entryId: z.string().uuid(),
      kind: z.string(),
      available: z.number().int(),
      held: z.number().int(),
      submissionId: z.string().uuid().nullable(),
      at: IsoTime,
    }),
  ),
});
export type CreditJournal = z.infer<typeof CreditJournalSchema>;

export const ApiKeyViewSchema = z.strictObject({
  id: z.string().uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: IsoTime,
  lastUsedAt: IsoTime.nullable(),
  revokedAt: IsoTime.nullable(),
});
export const ApiKeyListSchema = z.array(ApiKeyViewSchema);
/** The create response: the only time the key itself is shown. */
export const CreatedApiKeySchema = z.strictObject({ id: z.string().uuid(), name: z.string(), prefix: z.string(), key: z.string().startsWith("ak_"), createdAt: IsoTime });

/** Metered usage per kind (model tokens, sandbox CPU ms, storage bytes), decimal strings. */
export const UsageTotalsSchema = z.record(z.string(), DecimalText);

export const SubmissionViewSchema = z.strictObject({
  id: z.string().uuid(),
  status: SubmissionStatusSchema,
  runtime: z.strictObject({ name: z.string(), version: z.string() }),
  subjectDigest: z.string(),
  suite: z.string(),
  seed: z.number().int(),
  progress: SubmissionProgressSchema,
  outcome: z.strictObject({ code: z.string(), message: z.string().nullable() }).nullable(),
  certificateId: z.string().nullable(),
  assembly: SubmissionProgressSchema.shape.assembly.unwrap().nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type SubmissionViewBody = z.infer<typeof SubmissionViewSchema>;
export const SubmissionPageSchema = z.strictObject({ items: z.array(SubmissionViewSchema), nextCursor: z.string().nullable() });

/**
 * One message of GET /v1/developer/submissions/:id/events (text/event-stream):
 * `event: submission` carries the full view each time it changes; `event: error`
 * the ApiError body if the stream fails after it opened.
 */
export const SubmissionStreamEventSchema = z.discriminatedUnion("event", [
  z.strictObject({ event: z.literal("submission"), data: SubmissionViewSchema }),
  z.strictObject({ event: z.literal("error"), data: ApiErrorSchema }),
]);
export type SubmissionStreamEvent = z.infer<typeof SubmissionStreamEventSchema>;

/** GET /v1/developer/submissions/:id/report — the latest audit report with its digest and verdict. */
export const SubmissionReportSchema = z.strictObject({
  digest: z.string(),
  verdict: z.enum(["pass", "fail"]),
  report: AuditReportSchema,
  /** Whether the developer made the report public (PUT …/report/visibility); absent from older servers. */
  public: z.boolean().optional(),
});

/** PUT /v1/developer/submissions/:id/report/visibility — whether the public certificate lookup carries the audit report (drift plots). Private by default. */
export const ReportVisibilityBody = z.strictObject({ public: z.boolean() });
export const ReportVisibilitySchema = z.strictObject({ submissionId: z.string(), public: z.boolean() });
