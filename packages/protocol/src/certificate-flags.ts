// Public flags on certificates (issue 12 item 2): what anyone may send, what
// operators see and decide, and the outcomes shown on a certificate's page.
import { z } from "zod";

export const FLAG_CATEGORIES = ["misrepresentation", "wrong-claims", "security", "abuse", "other"] as const;
export const FlagCategorySchema = z.enum(FLAG_CATEGORIES);
export type FlagCategory = z.infer<typeof FlagCategorySchema>;

/** POST /v1/public/certificates/:id/flags */
export const CreateFlagBodySchema = z.strictObject({
  category: FlagCategorySchema,
  text: z.string().trim().min(1).max(2_000),
});
export type CreateFlagBody = z.infer<typeof CreateFlagBodySchema>;

export const FLAG_STATUSES = ["open", "dismissed", "suspended", "reaudit_ordered"] as const;
export const FlagStatusSchema = z.enum(FLAG_STATUSES);

export const FlagReceiptSchema = z.strictObject({ id: z.string().uuid(), status: z.literal("open") });
export type FlagReceipt = z.infer<typeof FlagReceiptSchema>;

/** The outcome of a flag, public (the reporter's text and source stay with the operators). */
export const PublicFlagOutcomeSchema = z.strictObject({
  category: FlagCategorySchema,
  status: FlagStatusSchema,
  outcome: z.string().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
});
/** GET /v1/public/certificates/:id/flags */
export const PublicFlagsSchema = z.strictObject({ open: z.number().int().nonnegative(), resolved: z.array(PublicFlagOutcomeSchema) });
export type PublicFlags = z.infer<typeof PublicFlagsSchema>;

/** POST /v1/operator/flags/:id/resolve */
export const ResolveFlagBodySchema = z.strictObject({
  /** dismiss; suspend the certificate; or reaudit: re-audit its artifact under the current suite (docs/decisions/0020). */
  action: z.enum(["dismiss", "suspend", "reaudit"]),
  outcome: z.string().trim().min(1).max(500),
});
export type ResolveFlagBody = z.infer<typeof ResolveFlagBodySchema>;

/** An operator's view of a flag (the queue): includes the reporter's text, never the source. */
export const OperatorFlagSchema = z.strictObject({
  id: z.string().uuid(),
  certificateId: z.string(),
  category: z.string(),
  text: z.string(),
  status: FlagStatusSchema,
  outcome: z.string().nullable(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});
export const OperatorFlagListSchema = z.array(OperatorFlagSchema);
export const FlagQueueQuerySchema = z.strictObject({
  status: FlagStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export const FlagIdParamsSchema = z.strictObject({ id: z.string().uuid("expected a flag id (UUID)") });
