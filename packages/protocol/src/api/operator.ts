// Response views of the operator plane.
import { z } from "zod";
import { ValidatorViewSchema } from "../validators";
import { SubmissionViewSchema } from "./developer";
import { IsoTime } from "./common";

export const OperatorRoleNameSchema = z.enum(["admin", "reviewer", "support"]);
export const OperatorViewSchema = z.strictObject({ id: z.string().uuid(), email: z.string(), role: OperatorRoleNameSchema, createdAt: IsoTime });
export const OperatorLoginResultSchema = z.strictObject({ token: z.string(), tokenType: z.literal("Bearer"), expiresAt: IsoTime, operator: OperatorViewSchema });

/** GET /v1/operator/submissions/:id — the view plus every status transition. */
export const OperatorSubmissionSchema = SubmissionViewSchema.extend({
  history: z.array(z.strictObject({ from: z.string().nullable(), to: z.string(), reason: z.string().nullable(), actor: z.string(), at: IsoTime })),
});

export const SigningKeyViewSchema = z.strictObject({ kid: z.string(), status: z.enum(["active", "retired"]), createdAt: IsoTime, retiredAt: IsoTime.nullable() });
export const SigningKeyListSchema = z.array(SigningKeyViewSchema);
export const RotatedKeySchema = z.strictObject({ kid: z.string() });

export const FlagViewSchema = z.strictObject({ key: z.string(), value: z.unknown(), default: z.unknown(), overridden: z.boolean(), description: z.string() });
export const FlagListSchema = z.strictObject({ flags: z.array(FlagViewSchema) });

/** One operator action; `before`/`after` are the changed values (JSON). Newer columns (hash chain) may be added. */
export const AuditLogEntrySchema = z.looseObject({
  id: z.string().uuid(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  createdAt: IsoTime,
});
export const AuditLogSchema = z.looseObject({ entries: z.array(AuditLogEntrySchema) });

export const ValidatorListSchema = z.strictObject({ validators: z.array(ValidatorViewSchema) });

export const AssemblySummarySchema = z.strictObject({
  id: z.string().uuid(),
  submissionId: z.string().uuid(),
  status: z.string(),
  escalated: z.boolean(),
  round: z.number().int(),
  phase: z.string(),
  phaseEndsAt: IsoTime,
  outcome: z.unknown(),
  recordDigest: z.string().nullable(),
});
export const AssemblyListSchema = z.strictObject({ assemblies: z.array(AssemblySummarySchema) });
/**
 * GET /v1/operator/assemblies/:id — the stored assembly state with its snapshot
 * and replayable record. Only the identifying fields are pinned here: the
 * snapshot and record documents are described by packages/assembly's own schemas.
 */
export const AssemblyDetailSchema = z.looseObject({
  id: z.string().uuid(),
  submissionId: z.string().uuid(),
  status: z.string(),
  round: z.number().int(),
  phase: z.string(),
  escalated: z.boolean(),
  snapshot: z.unknown(),
  record: z.unknown(),
});
export const ResolveResultSchema = z.strictObject({ status: z.string(), certificateId: z.string().nullable() });
