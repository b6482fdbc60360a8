// Usage periods and reports as they cross HTTP (SPEC §9): `from` inclusive,
// `to` exclusive, both ISO instants; totals are decimal strings (token counts
// outgrow JSON's safe integers over a platform's life).
import { z } from "zod";
import { searchTerm } from "./search-term";

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

/**
 * `GET /v1/operator/usage`: the period, `q` (a developer's exact id, or part of
 * their e-mail, any case), and a page of developers in id order (decision 0032:
 * `limit` 1–200, default 200; `cursor` is the answer's `nextCursor`).
 */
export const OperatorUsageQuerySchema = z
  .strictObject({
    ...range,
    q: searchTerm(200).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .refine(fromBeforeTo, { message: "from must be before to", path: ["to"] });
export type OperatorUsageQuery = z.infer<typeof OperatorUsageQuerySchema>;

export const OperatorUsageSchema = z.strictObject({
  from: z.string().nullable(),
  to: z.string().nullable(),
  developers: z.array(z.strictObject({ developerId: z.string(), totals: Totals })),
  /** The next page's cursor; null on the last page (optional: older servers answer every row at once). */
  nextCursor: z.string().nullable().optional(),
});
export type OperatorUsage = z.infer<typeof OperatorUsageSchema>;
