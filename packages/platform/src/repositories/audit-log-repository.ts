// The operator audit log (table audit_log): who did what to which object, with
// the state before and after. Written in the same transaction as the change it
// records, so a change never lands without its row.
import type { Prisma } from "../generated/prisma";
import type { DbClient } from "./types";

export type AuditLogInput = { actor: string; action: string; target: string; before?: Prisma.InputJsonValue | null; after?: Prisma.InputJsonValue | null };

export class AuditLogRepository {
  constructor(private readonly db: DbClient) {}

  record(entry: AuditLogInput) {
    return this.db.auditLogEntry.create({
      data: { actor: entry.actor, action: entry.action, target: entry.target, before: entry.before ?? undefined, after: entry.after ?? undefined },
    });
  }

  /** Newest first. */
  list(filter: { action?: string; limit: number }) {
    return this.db.auditLogEntry.findMany({ where: filter.action ? { action: filter.action } : {}, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: filter.limit });
  }
}
