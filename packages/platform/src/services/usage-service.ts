// Usage metering (SPEC §9): synthetic-model tokens, sandbox CPU time, storage
// and assembly seats per submission and developer, separate from protocol
// state. Idempotent by source key, so a retried job does not double-count.
// Assembly seats are metered where seats are created (AssemblyRepository.createSeats,
// SeatRepository.addReplacement): one unit per seat drawn for the submission's
// assembly, every round and every replacement included.
import { NotFoundError, ValidationError } from "../errors";
import { decodeIdCursor, encodeIdCursor, type Page } from "./page-cursor";
import type { UsageKind } from "../repositories";
import type { Store } from "../repositories";

export const USAGE_KINDS = ["model_input_tokens", "model_output_tokens", "sandbox_cpu_ms", "storage_bytes", "assembly_seats"] as const satisfies readonly UsageKind[];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type UsageTotals = Record<UsageKind, string>;

export class UsageService {
  constructor(private readonly store: Store) {}

  /** Records measurements of one submission; `sourceKey` names the measurement (e.g. `<auditRunId>:tokens`). */
  async recordForSubmission(submissionId: string, sourceKey: string, amounts: Partial<Record<UsageKind, number | bigint>>): Promise<number> {
    const submission = await this.store.repos.submissions.findById(submissionId);
    if (!submission) throw new NotFoundError("submission_not_found", `no submission ${submissionId}`);
    const entries = Object.entries(amounts).map(([kind, amount]) => {
      const quantity = BigInt(amount as number | bigint);
      if (quantity < 0n) throw new ValidationError("usage_negative", `usage ${kind} cannot be negative`);
      return { developerId: submission.developerId, submissionId, kind: kind as UsageKind, quantity, sourceKey: `${sourceKey}:${kind}` };
    });
    return this.store.repos.usage.record(entries);
  }

  async totals(where: { developerId?: string; submissionId?: string; from?: Date; to?: Date }): Promise<UsageTotals> {
    const sums = await this.store.repos.usage.totals(where);
    // Strings: token counts can outgrow JSON's safe integers over a platform's life.
    return Object.fromEntries(USAGE_KINDS.map((k) => [k, String(sums[k] ?? 0n)])) as UsageTotals;
  }

  /** Every developer with usage in the period, with totals per kind (operator plane). */
  async perDeveloper(range: { from?: Date; to?: Date }): Promise<{ developerId: string; totals: UsageTotals }[]> {
    const rows = await this.store.repos.usage.perDeveloper(range);
    const byDeveloper = new Map<string, Partial<Record<UsageKind, bigint>>>();
    for (const row of rows) byDeveloper.set(row.developerId, { ...byDeveloper.get(row.developerId), [row.kind]: row.quantity });
    return [...byDeveloper].map(([developerId, sums]) => ({
      developerId,
      totals: Object.fromEntries(USAGE_KINDS.map((k) => [k, String(sums[k] ?? 0n)])) as UsageTotals,
    }));
  }

  /**
   * One page of it (decision 0032), developers in id order: `q` is a developer's exact id or part of their
   * e-mail (any case), applied before paging; `cursor` is the previous page's `nextCursor`.
   */
  async perDeveloperPage(query: { from?: Date; to?: Date; q?: string; cursor?: string; limit?: number }): Promise<Page<{ developerId: string; totals: UsageTotals }>> {
    const limit = query.limit ?? 200;
    const afterId = query.cursor ? decodeIdCursor(query.cursor) : undefined;
    const q = query.q?.trim();
    const byId = q && UUID.test(q) ? q.toLowerCase() : undefined;
    const { developerIds, sums } = await this.store.repos.usage.perDeveloperPage(
      { from: query.from, to: query.to, afterId, ...(byId ? { developerId: byId } : q ? { emailContains: q } : {}) },
      limit + 1,
    );
    const page = developerIds.slice(0, limit);
    const byDeveloper = new Map<string, Partial<Record<UsageKind, bigint>>>(page.map((id) => [id, {}]));
    for (const row of sums) if (byDeveloper.has(row.developerId)) byDeveloper.set(row.developerId, { ...byDeveloper.get(row.developerId), [row.kind]: row.quantity });
    const items = [...byDeveloper].map(([developerId, s]) => ({ developerId, totals: Object.fromEntries(USAGE_KINDS.map((k) => [k, String(s[k] ?? 0n)])) as UsageTotals }));
    const last = page[page.length - 1];
    return { items, nextCursor: developerIds.length > limit && last !== undefined ? encodeIdCursor(last) : null };
  }

  /** The same as CSV: a header, then one line per developer (RFC 4180; every field is a UUID or an integer). */
  async perDeveloperCsv(range: { from?: Date; to?: Date }): Promise<string> {
    const rows = await this.perDeveloper(range);
    const lines = [["developer_id", ...USAGE_KINDS].join(","), ...rows.map((r) => [r.developerId, ...USAGE_KINDS.map((k) => r.totals[k])].join(","))];
    return `${lines.join("\r\n")}\r\n`;
  }
}
