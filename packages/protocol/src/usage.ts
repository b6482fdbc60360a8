// Usage periods and reports as they cross HTTP (SPEC §9): `from` inclusive,
// `to` exclusive, both ISO instants; totals are decimal strings (token counts
// outgrow JSON's safe integers over a platform's life).
import { z } from "zod";

export const UsageRangeQuerySchema = z
  .strictObject({ from: z.iso.datetime().optional(), to: z.iso.datetime().optional() })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: "from must be before to", path: ["to"] });
export type UsageRangeQuery = z.infer<typeof UsageRangeQuerySchema>;

const Totals = z.record(z.string(), z.string().regex(/^\d+$/));

export const OperatorUsageSchema = z.strictObject({
  from: z.string().nullable(),
  to: z.string().nullable(),
  developers: z.array(z.strictObject({ developerId: z.string(), totals: Totals })),
});
export type OperatorUsage = z.infer<typeof OperatorUsageSchema>;
