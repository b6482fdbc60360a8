// The operator audit log (table audit_log): who did what to which object, with
// the state before and after. Written in the same transaction as the change it
// records, so a change never lands without its row. The database hash-chains
// every insert (trigger audit_log_chain, docs/money.md): no writer sets seq,
// prev_hash or hash.
import type { Prisma } from "../generated/prisma";
import type { DbClient } from "./types";
import type { AuditChainRow } from "../services/audit-log-chain";

export type AuditLogInput = { actor: string; action: string; target: string; before?: Prisma.InputJsonValue | null; after?: Prisma.InputJsonValue | null };

export class AuditLogRepository {
  constructor(private readonly db: DbClient) {}

  record(entry: AuditLogInput) {
    return this.db.auditLogEntry.create({
      data: { actor: entry.actor, action: entry.action, target: entry.target, before: entry.before ?? undefined, after: entry.after ?? undefined },
    });
  }

  /** Newest first; exact filters; `before`: the keyset of the previous page's last row (decision 0032). */
  list(filter: { action?: string; actor?: string; target?: string; before?: { at: Date; id: string }; limit: number }) {
    const where: Prisma.AuditLogEntryWhereInput = {
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.actor ? { actor: filter.actor } : {}),
      ...(filter.target ? { target: filter.target } : {}),
      ...(filter.before ? { OR: [{ createdAt: { lt: filter.before.at } }, { createdAt: filter.before.at, id: { lt: filter.before.id } }] } : {}),
    };
    return this.db.auditLogEntry.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: filter.limit });
  }

  /** Every row in chain order with the payload its hash covers, rendered from the row as it is now. */
  async chainRows(): Promise<AuditChainRow[]> {
    const rows = await this.db.$queryRaw<{ seq: bigint; id: string; prev_hash: string; hash: string; payload: string }[]>`
      SELECT seq, id::text AS id, prev_hash, hash,
             audit_log_payload(seq, prev_hash, id, actor, action, target, before, after, created_at) AS payload
      FROM audit_log ORDER BY seq`;
    return rows.map((r) => ({ seq: BigInt(r.seq), id: r.id, prevHash: r.prev_hash, hash: r.hash, payload: r.payload }));
  }
}
