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

/** A flag's value as it crosses HTTP: every registered flag is a boolean, an integer or an enum string. */
export const FlagValueSchema = z.union([z.boolean(), z.number(), z.string().max(256)]);
export type FlagValue = z.infer<typeof FlagValueSchema>;

/** One operator flag of the registry (packages/platform/src/flags): its type, default, current value and meaning. */
export const FlagViewSchema = z.strictObject({
  key: z.string(),
  /** The flag's zod type, rendered for people, e.g. `boolean`, `integer 1..101`, `"off" | "shadow" | "enforce"`. */
  type: z.string(),
  value: FlagValueSchema,
  default: FlagValueSchema,
  /** True when an operator's value is stored (false: the default applies). */
  overridden: z.boolean(),
  description: z.string(),
});
export type FlagView = z.infer<typeof FlagViewSchema>;
export const FlagListSchema = z.strictObject({ flags: z.array(FlagViewSchema) });

/** PUT /v1/operator/flags — several flags at once, validated as a whole; null restores a default. */
// (A flat union with null, not .nullable(): the OpenAPI 3.0 documents need a type beside `nullable`.)
const FlagValueOrNull = z.union([z.boolean(), z.number(), z.string().max(256), z.null()]);
export const FlagChangesSchema = z.record(z.string().min(1).max(128), FlagValueOrNull);
export type FlagChanges = z.infer<typeof FlagChangesSchema>;

/** /v1/operator/flags/:key */
export const FlagKeyParamsSchema = z.strictObject({ key: z.string().min(1).max(128).regex(/^[a-z0-9]+(\.[A-Za-z0-9]+)+$/, "expected a flag key such as srip13.mode") });

/** PUT /v1/operator/flags/:key — the new value, checked against the flag's type; null restores the default. */
export const SetFlagBodySchema = z.strictObject({ value: FlagValueOrNull });
export type SetFlagBody = z.infer<typeof SetFlagBodySchema>;

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
/** `nextCursor`: the next page's cursor, null on the last page (absent from servers before decision 0032). */
const NextCursor = z.string().nullable().optional();
export const AuditLogSchema = z.looseObject({ entries: z.array(AuditLogEntrySchema), nextCursor: NextCursor });

/**
 * GET /v1/operator/audit-log/verify — every row's hash recomputed and prev_hash
 * followed in seq order: ok with the chain's head hash, or the first row that
 * was edited, deleted or inserted out of the chain.
 */
export const AuditLogVerificationSchema = z.discriminatedUnion("ok", [
  z.strictObject({ ok: z.literal(true), entries: z.number().int().min(0), head: z.string() }),
  z.strictObject({
    ok: z.literal(false),
    entries: z.number().int().min(0),
    firstBroken: z.strictObject({ seq: z.string(), id: z.string(), reason: z.enum(["hash_mismatch", "prev_hash_mismatch", "seq_gap"]) }),
  }),
]);
export type AuditLogVerification = z.infer<typeof AuditLogVerificationSchema>;

export const ValidatorListSchema = z.strictObject({ validators: z.array(ValidatorViewSchema), nextCursor: NextCursor });

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
export const AssemblyListSchema = z.strictObject({ assemblies: z.array(AssemblySummarySchema), nextCursor: NextCursor });
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
