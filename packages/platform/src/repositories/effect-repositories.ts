// The outbox (side effects recorded with the state change that causes them) and
// usage records.
import type { Prisma, UsageKind } from "../generated/prisma";
import type { DbClient } from "./types";

export class OutboxRepository {
  constructor(private readonly db: DbClient) {}

  /** Records an effect once per dedupe key; returns the stored event (existing or new). */
  async add(input: { topic: string; payload: Prisma.InputJsonValue; dedupeKey: string }) {
    return this.db.outboxEvent.upsert({ where: { dedupeKey: input.dedupeKey }, create: input, update: {} });
  }

  findById(id: string) {
    return this.db.outboxEvent.findUnique({ where: { id } });
  }

  pending(limit: number, now: Date) {
    return this.db.outboxEvent.findMany({
      where: { status: "pending", availableAt: { lte: now } },
      orderBy: [{ availableAt: "asc" }, { id: "asc" }],
      take: limit,
    });
  }

  async markDispatched(id: string, at: Date): Promise<void> {
    await this.db.outboxEvent.updateMany({ where: { id, status: "pending" }, data: { status: "dispatched", dispatchedAt: at, attempts: { increment: 1 } } });
  }

  async markAttemptFailed(id: string, error: string, retryAt: Date, giveUp: boolean): Promise<void> {
    await this.db.outboxEvent.updateMany({
      where: { id, status: "pending" },
      data: { attempts: { increment: 1 }, lastError: error.slice(0, 2000), availableAt: retryAt, ...(giveUp ? { status: "failed" } : {}) },
    });
  }
}

export class UsageRepository {
  constructor(private readonly db: DbClient) {}

  /** Idempotent by sourceKey: returns the number of new records. */
  async record(entries: { developerId: string; submissionId: string | null; kind: UsageKind; quantity: bigint; sourceKey: string }[]): Promise<number> {
    const result = await this.db.usageRecord.createMany({ data: entries, skipDuplicates: true });
    return result.count;
  }

  /**
   * Meters validator seats drawn for an assembly (usage kind assembly_seats):
   * one unit per seat, keyed by (assembly, round, position), so a retried draw
   * counts each seat once. Called in the transaction that creates the seats.
   */
  async recordSeats(assemblyId: string, round: number, positions: readonly number[]): Promise<number> {
    if (positions.length === 0) return 0;
    const assembly = await this.db.assembly.findUnique({ where: { id: assemblyId }, select: { submissionId: true } });
    const submission = assembly ? await this.db.submission.findUnique({ where: { id: assembly.submissionId }, select: { developerId: true } }) : null;
    if (!assembly || !submission) return 0;
    return this.record(
      positions.map((position) => ({
        developerId: submission.developerId,
        submissionId: assembly.submissionId,
        kind: "assembly_seats" as const,
        quantity: 1n,
        sourceKey: `seat:${assemblyId}:${round}:${position}:assembly_seats`,
      })),
    );
  }

  /** Sums per kind; `from` inclusive, `to` exclusive (by the measurement's time). */
  async totals(where: { developerId?: string; submissionId?: string; from?: Date; to?: Date }): Promise<Partial<Record<UsageKind, bigint>>> {
    const { from, to, ...rest } = where;
    const groups = await this.db.usageRecord.groupBy({ by: ["kind"], where: { ...rest, ...createdWithin(from, to) }, _sum: { quantity: true } });
    return Object.fromEntries(groups.map((g) => [g.kind, g._sum.quantity ?? 0n]));
  }

  /** Sums per developer and kind over a period (operator reports). */
  async perDeveloper(range: { from?: Date; to?: Date }): Promise<{ developerId: string; kind: UsageKind; quantity: bigint }[]> {
    const groups = await this.db.usageRecord.groupBy({ by: ["developerId", "kind"], where: createdWithin(range.from, range.to), _sum: { quantity: true }, orderBy: [{ developerId: "asc" }, { kind: "asc" }] });
    return groups.map((g) => ({ developerId: g.developerId, kind: g.kind, quantity: g._sum.quantity ?? 0n }));
  }

  /**
   * One page of it (decision 0032): the first `limit` developers with usage in the period, in id order, after
   * `afterId`; `q` is a developer's exact id (`developerId`) or part of their e-mail (any case); then their sums per kind.
   */
  async perDeveloperPage(filter: { from?: Date; to?: Date; developerId?: string; emailContains?: string; afterId?: string }, limit: number): Promise<{ developerIds: string[]; sums: { developerId: string; kind: UsageKind; quantity: bigint }[] }> {
    const ids: Prisma.UuidFilter<"UsageRecord"> = {
      ...(filter.afterId ? { gt: filter.afterId } : {}),
      ...(filter.developerId ? { equals: filter.developerId } : {}),
    };
    const where: Prisma.UsageRecordWhereInput = {
      ...createdWithin(filter.from, filter.to),
      ...(Object.keys(ids).length ? { developerId: ids } : {}),
      ...(filter.emailContains ? { developer: { email: { contains: filter.emailContains, mode: "insensitive" } } } : {}),
    };
    const developers = await this.db.usageRecord.groupBy({ by: ["developerId"], where, orderBy: { developerId: "asc" }, take: limit });
    const developerIds = developers.map((d) => d.developerId);
    if (developerIds.length === 0) return { developerIds, sums: [] };
    const groups = await this.db.usageRecord.groupBy({
      by: ["developerId", "kind"],
      where: { ...createdWithin(filter.from, filter.to), developerId: { in: developerIds } },
      _sum: { quantity: true },
      orderBy: [{ developerId: "asc" }, { kind: "asc" }],
    });
    return { developerIds, sums: groups.map((g) => ({ developerId: g.developerId, kind: g.kind, quantity: g._sum.quantity ?? 0n })) };
  }
}

function createdWithin(from?: Date, to?: Date) {
  return from || to ? { createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {};
}
