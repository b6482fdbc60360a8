// Usage periods and reports as they cross HTTP (SPEC §9): `from` inclusive,
// `to` exclusive, both ISO instants; totals are decimal strings (token counts
// outgrow JSON's safe integers over a platform's life).
import { z } from "zod";

const range = { from: z.iso.datetime().optional(), to: z.iso.datetime().optional() };
const fromBeforeTo = (q: { from?: string; to?: string }) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to);

export const UsageRangeQuerySchema = z.strictObject(range).refine(fromBeforeTo, { message: "from must be before to", path: ["to"] });
export type UsageRangeQuery = z.infer<typeof UsageRangeQuerySchema>;

/** `GET /v1/developer/usage`: the period, and optionally one of the developer's submissions (its usage alone). */
export const DeveloperUsageQuerySchema = z
  .strictObject({ ...range, submission: z.uuid().optional() })
  .refine(fromBeforeTo, { message: "from must be before to", path: ["to"] });
export type DeveloperUsageQuery = z.infer<typeof DeveloperUsageQuerySchema>;

const Totals = z.record(z.string(), z.string().regex(/^\d+$/));

export const OperatorUsageSchema = z.strictObject({
  from: z.string().nullable(),
  to: z.string().nullable(),
  developers: z.array(z.strictObject({ developerId: z.string(), totals: Totals })),
});
export type OperatorUsage = z.infer<typeof OperatorUsageSchema>;
