// Persistence of validators, flags and the operator audit log (assemblies:
// assembly-repository.ts). Constructed over a client or a transaction client,
// like the workers' repositories.
import type { Prisma, ValidatorKind, ValidatorStanding } from "../generated/prisma";
import type { DbClient } from "../repositories/types";

export * from "./assembly-repository";

export class ValidatorRepository {
  constructor(private readonly db: DbClient) {}

  create(input: { publicKey: string; name: string | null; kind: ValidatorKind; modelFamily: string | null; stake: bigint; reputationBps: number; developerId: string | null }) {
    return this.db.validator.create({ data: input });
  }

  findById(id: string) {
    return this.db.validator.findUnique({ where: { id } });
  }

  findByPublicKey(publicKey: string) {
    return this.db.validator.findUnique({ where: { publicKey } });
  }

  /** Every validator, in id order (the snapshot re-sorts; this keeps reads stable). */
  all() {
    return this.db.validator.findMany({ orderBy: { id: "asc" } });
  }

  list(limit: number) {
    return this.db.validator.findMany({ orderBy: [{ reputationBps: "desc" }, { id: "asc" }], take: limit });
  }

  /**
   * One page of the operator's list (decision 0032). With a standing: oldest
   * first (the admission queue), keyset (createdAt, id); without: by reputation,
   * keyset (reputationBps desc, id). `q`: the name contains it (any case), or the
   * id or public key starts with it.
   */
  page(filter: { standing?: ValidatorStanding; q?: string; after?: { at: Date; id: string } | { value: number; id: string }; limit: number }) {
    const search: Prisma.ValidatorWhereInput | null = filter.q
      ? {
          OR: [
            { name: { contains: filter.q, mode: "insensitive" } },
            { publicKey: { startsWith: filter.q } },
            ...(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(filter.q) ? [{ id: filter.q.toLowerCase() }] : []),
          ],
        }
      : null;
    const after = filter.after;
    const keyset: Prisma.ValidatorWhereInput | null = !after
      ? null
      : "at" in after
        ? { OR: [{ createdAt: { gt: after.at } }, { createdAt: after.at, id: { gt: after.id } }] }
        : { OR: [{ reputationBps: { lt: after.value } }, { reputationBps: after.value, id: { gt: after.id } }] };
    return this.db.validator.findMany({
      where: { AND: [filter.standing ? { standing: filter.standing } : {}, search ?? {}, keyset ?? {}] },
      orderBy: filter.standing ? [{ createdAt: "asc" }, { id: "asc" }] : [{ reputationBps: "desc" }, { id: "asc" }],
      take: filter.limit,
    });
  }

  async applySettlement(id: string, data: { stake: bigint; reputationBps: number; standing: ValidatorStanding }): Promise<void> {
    await this.db.validator.update({ where: { id }, data });
  }

  createChallenge(input: { validatorId: string; nonce: string; expiresAt: Date }) {
    return this.db.validatorChallenge.create({ data: input });
  }

  findChallenge(nonce: string) {
    return this.db.validatorChallenge.findUnique({ where: { nonce } });
  }

  /** Marks a challenge used; false when it was used already (a nonce buys one token). */
  async useChallenge(id: string, at: Date): Promise<boolean> {
    const result = await this.db.validatorChallenge.updateMany({ where: { id, usedAt: null }, data: { usedAt: at } });
    return result.count === 1;
  }

  /** Keyset pages of a validator's settlements, newest first: those before (createdAt, id). */
  reputationHistory(validatorId: string, page: { before?: { createdAt: Date; id: string }; limit: number }) {
    const before = page.before;
    return this.db.reputationEvent.findMany({
      where: {
        validatorId,
        ...(before ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: page.limit,
    });
  }

  reputationEvents(validatorId: string, limit: number) {
    return this.db.reputationEvent.findMany({ where: { validatorId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
  }

  seatsOf(validatorId: string, limit: number) {
    return this.db.assemblySeat.findMany({
      where: { validatorId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      include: { assembly: { select: { id: true, submissionId: true, status: true, round: true, phase: true } } },
    });
  }
}

export class FlagRepository {
  constructor(private readonly db: DbClient) {}

  all() {
    return this.db.platformFlag.findMany({ orderBy: { key: "asc" } });
  }

  /** Stored flag values are JSON scalars (the registry's types). */
  upsert(key: string, value: boolean | number | string, updatedBy: string) {
    return this.db.platformFlag.upsert({ where: { key }, create: { key, value, updatedBy }, update: { value, updatedBy } });
  }

  async remove(key: string): Promise<void> {
    await this.db.platformFlag.deleteMany({ where: { key } });
  }

  log(entry: { actor: string; action: string; target: string; before: Prisma.InputJsonValue | boolean | number | string | null; after: Prisma.InputJsonValue | boolean | number | string | null }) {
    return this.db.auditLogEntry.create({
      data: { actor: entry.actor, action: entry.action, target: entry.target, before: entry.before ?? undefined, after: entry.after ?? undefined },
    });
  }

  auditLog(limit: number) {
    return this.db.auditLogEntry.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
  }
}
