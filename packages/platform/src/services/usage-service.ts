// Usage metering (SPEC §9): synthetic-model tokens, sandbox CPU time and storage
// per submission and developer, separate from protocol state. Idempotent by
// source key, so a retried job does not double-count.
import { NotFoundError, ValidationError } from "../errors";
import type { UsageKind } from "../generated/prisma";
import type { Store } from "../repositories";

export const USAGE_KINDS = ["model_input_tokens", "model_output_tokens", "sandbox_cpu_ms", "storage_bytes"] as const satisfies readonly UsageKind[];

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

  async totals(where: { developerId?: string; submissionId?: string }): Promise<UsageTotals> {
    const sums = await this.store.repos.usage.totals(where);
    // Strings: token counts can outgrow JSON's safe integers over a platform's life.
    return Object.fromEntries(USAGE_KINDS.map((k) => [k, String(sums[k] ?? 0n)])) as UsageTotals;
  }
}
