// The audit report (SPEC §4, §11). Every number in it is an integer (basis
// points, counts, milliseconds of virtual time); its digest is SHA-256 over the
// JCS bytes of the report without the `digest` field.
import { z } from "zod";
import { DIGEST_PATTERN } from "./canonical";
import { ClaimResultSchema } from "./claims";
import { FindingSchema } from "./findings";
import { RolloutSchema } from "./rollout";

const int = z.number().int();
const digest = z.string().regex(DIGEST_PATTERN);

export const MetricValidity = z.enum(["valid", "degraded", "unverified"]);
export type MetricValidity = z.infer<typeof MetricValidity>;

/** One metric value under the SRS registry naming (`srs.<name>.v1`). */
export const MetricValueSchema = z.object({
  id: z.string().regex(/^srs\.[a-z0-9_]+\.v\d+$/),
  /** Integer value (basis points for ratios, counts, turns); null when unverified. */
  value: int.nullable(),
  unit: z.enum(["bps", "count", "turns"]),
  validity: MetricValidity,
});
export type MetricValue = z.infer<typeof MetricValueSchema>;

export const ScenarioSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  seed: int,
  turns: int.nonnegative(),
  completed: z.boolean(),
  transcriptDigest: digest,
  metrics: z.array(MetricValueSchema),
  /**
   * The run's composite drift index per turn, in basis points (0–10000), one
   * entry per turn in turn order (turn = index + 1), each measured within its own
   * session; null where DI is unverified (never zero-filled). For the drift plots.
   * At most REPORT_SERIES_MAX_TURNS entries (the first ones). Absent in reports
   * built before it existed.
   */
  series: z.array(int.min(0).max(10_000).nullable()).max(2_000).optional(),
});
/** The longest per-turn series a report carries (bounded size: 2,000 small integers per run). */
export const REPORT_SERIES_MAX_TURNS = 2_000;
export type ScenarioSummary = z.infer<typeof ScenarioSummarySchema>;

export const SandboxLimitsSchema = z.object({
  memoryBytes: int.positive(),
  stackBytes: int.positive(),
  /** Interpreter interrupt-check budget for one step (deterministic CPU budget). */
  stepBudget: int.positive(),
  /** Budget for the whole audit, same unit as stepBudget. */
  auditBudget: int.positive(),
  outputBytes: int.positive(),
  wallClockMs: int.positive(),
});
export type SandboxLimits = z.infer<typeof SandboxLimitsSchema>;

/** The report format. v2 added `claims` (per-claim conformance, issue 8). */
export const REPORT_FORMAT = "assay.report/v2";

export const AuditReportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  verdict: z.enum(["pass", "fail"]),
  digest,
  suite: z.object({ id: z.string(), version: z.string() }),
  seed: int.nonnegative(),
  engine: z.object({ name: z.string(), version: z.string() }),
  profile: z.string(),
  limits: SandboxLimitsSchema,
  subject: z.object({ name: z.string(), version: z.string(), digest }),
  metrics: z.array(MetricValueSchema),
  scenarios: z.array(ScenarioSummarySchema),
  findings: z.array(FindingSchema),
  /** One entry per SRIP the manifest claims, ascending (see claims.ts). */
  claims: z.array(ClaimResultSchema),
  /**
   * The rollout modes the audit ran under (rollout.ts): an input of the audit,
   * so it is hashed with the rest. Every report built since `srip13.mode`
   * exists carries it; a report without it predates the flag (read: enforce).
   */
  rollout: RolloutSchema.optional(),
  usage: z.object({ modelCalls: int.nonnegative(), inputTokens: int.nonnegative(), outputTokens: int.nonnegative() }),
});
export type AuditReport = z.infer<typeof AuditReportSchema>;
export type UnsignedAuditReport = Omit<AuditReport, "digest">;
