// Anchoring and indexing state (docs/decisions/0010): Merkle batches and their
// members, the single-holder lease of the anchor loop, the outbox events the
// loop consumes, and the stake indexer's events, cursor and per-address stakes.
import type { PrismaClient } from "../db/client";
import { Prisma } from "../generated/prisma";

export const ANCHOR_REVOKE_TOPIC = "anchor-revoke";

export type StoredAnchor = { chainId: number; registry: string; root: string; proof: string[]; tx: string; block: number };

export class AnchorRepository {
  constructor(private readonly db: PrismaClient) {}

  /** Takes or renews a lease; true when `holder` holds it until `expiresAt`. */
  async acquireLease(name: string, holder: string, expiresAt: Date, now: Date): Promise<boolean> {
    const rows = await this.db.$queryRaw<{ holder: string }[]>`
      INSERT INTO chain_leases (name, holder, expires_at) VALUES (${name}, ${holder}, ${expiresAt})
      ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
      WHERE chain_leases.holder = EXCLUDED.holder OR chain_leases.expires_at < ${now}
      RETURNING holder`;
    return rows.length === 1 && rows[0]!.holder === holder;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.db.chainLease.deleteMany({ where: { name, holder } });
  }

  /** Batches not yet confirmed whose next attempt is due, oldest first. */
  unfinishedBatches(now: Date, limit: number) {
    return this.db.anchorBatch.findMany({
      where: { status: { in: ["prepared", "sent"] }, nextAttemptAt: { lte: now } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: limit,
    });
  }

  findBatch(id: string) {
    return this.db.anchorBatch.findUnique({ where: { id }, include: { members: true } });
  }

  /** Pending anchor events (one per certificate), oldest first, with the certificate ids they name. */
  async pendingAnchorEvents(topic: string, now: Date, limit: number): Promise<{ eventId: string; certificateId: string }[]> {
    const events = await this.db.outboxEvent.findMany({
      where: { topic, status: "pending", availableAt: { lte: now } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true, payload: true },
    });
    return events.map((e) => ({ eventId: e.id, certificateId: String((e.payload as { certificateId?: unknown }).certificateId ?? "").toLowerCase() }));
  }

  /** Certificate ids among these that already belong to a batch. */
  async batchedAmong(ids: string[]): Promise<Set<string>> {
    const rows = await this.db.anchorBatchMember.findMany({ where: { certificateId: { in: ids } }, select: { certificateId: true } });
    return new Set(rows.map((r) => r.certificateId));
  }

  /** Existing certificate ids among these (an event may name a certificate that is gone). */
  async existingCertificates(ids: string[]): Promise<Set<string>> {
    const rows = await this.db.certificate.findMany({ where: { id: { in: ids } }, select: { id: true } });
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Stores a batch with its members and marks their anchor events dispatched, in
   * one transaction. The member key (certificate id) makes a second batch with
   * the same certificate fail as a whole: no certificate is batched twice.
   */
  async createBatch(input: {
    root: string;
    chainId: number;
    registry: string;
    tree: Prisma.InputJsonValue;
    members: { certificateId: string; proof: string[] }[];
    eventIds: string[];
    at: Date;
    /** The transparency-log checkpoint whose commitment is a leaf of the tree (decision 0016), if any. */
    logTreeSize?: number | null;
  }) {
    return this.db.$transaction(async (tx) => {
      const batch = await tx.anchorBatch.create({
        data: {
          root: input.root,
          chainId: input.chainId,
          registry: input.registry,
          tree: input.tree,
          size: input.members.length,
          nextAttemptAt: input.at,
          logTreeSize: input.logTreeSize === undefined || input.logTreeSize === null ? null : BigInt(input.logTreeSize),
        },
      });
      await tx.anchorBatchMember.createMany({ data: input.members.map((m) => ({ certificateId: m.certificateId, batchId: batch.id, proof: m.proof })) });
      await tx.outboxEvent.updateMany({ where: { id: { in: input.eventIds }, status: "pending" }, data: { status: "dispatched", dispatchedAt: input.at, attempts: { increment: 1 } } });
      return batch;
    });
  }

  /** Marks events whose certificate is already batched (or gone) as done. */
  async closeEvents(eventIds: string[], at: Date): Promise<void> {
    if (eventIds.length === 0) return;
    await this.db.outboxEvent.updateMany({ where: { id: { in: eventIds }, status: "pending" }, data: { status: "dispatched", dispatchedAt: at } });
  }

  /** Records the hash of a signed transaction before it is broadcast. */
  async markSent(batchId: string, txHash: string, at: Date): Promise<void> {
    await this.db.anchorBatch.updateMany({
      where: { id: batchId, status: { in: ["prepared", "sent"] } },
      data: { status: "sent", txHash, sentAt: at, attempts: { increment: 1 } },
    });
  }

  async markAttemptFailed(batchId: string, error: string, retryAt: Date): Promise<void> {
    await this.db.anchorBatch.updateMany({
      where: { id: batchId, status: { not: "confirmed" } },
      data: { lastError: error.slice(0, 2000), nextAttemptAt: retryAt, attempts: { increment: 1 } },
    });
  }

  /**
   * Confirms a batch and writes each member's anchor (root, proof, tx, block,
   * chain, registry) onto its certificate, in one transaction. A batch already
   * confirmed is left as it is (false).
   */
  async confirm(batchId: string, mined: { txHash: string; blockNumber: bigint }, at: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const changed = await tx.anchorBatch.updateMany({
        where: { id: batchId, status: { not: "confirmed" } },
        data: { status: "confirmed", txHash: mined.txHash, blockNumber: mined.blockNumber, confirmedAt: at, lastError: null },
      });
      if (changed.count !== 1) return false;
      const batch = await tx.anchorBatch.findUniqueOrThrow({ where: { id: batchId }, include: { members: true } });
      const ids = batch.members.map((m) => m.certificateId);
      const anchors = batch.members.map((m) =>
        JSON.stringify({
          chainId: batch.chainId,
          registry: batch.registry,
          root: batch.root,
          proof: m.proof as string[],
          tx: mined.txHash,
          block: Number(mined.blockNumber),
        } satisfies StoredAnchor),
      );
      // One statement for the whole batch (up to thousands of rows).
      await tx.$executeRaw`
        UPDATE certificates AS c SET anchor = m.anchor
        FROM (SELECT unnest(${ids}::text[]) AS id, unnest(${anchors}::text[])::jsonb AS anchor) AS m
        WHERE c.id = m.id`;
      return true;
    });
  }

  pendingEvents(topic: string, now: Date, limit: number) {
    return this.db.outboxEvent.findMany({
      where: { topic, status: "pending", availableAt: { lte: now } },
      orderBy: [{ availableAt: "asc" }, { id: "asc" }],
      take: limit,
    });
  }

  async markEventDone(id: string, at: Date): Promise<void> {
    await this.db.outboxEvent.updateMany({ where: { id, status: "pending" }, data: { status: "dispatched", dispatchedAt: at, attempts: { increment: 1 } } });
  }

  async markEventFailed(id: string, error: string, retryAt: Date): Promise<void> {
    await this.db.outboxEvent.updateMany({ where: { id, status: "pending" }, data: { attempts: { increment: 1 }, lastError: error.slice(0, 2000), availableAt: retryAt } });
  }

  /** Counts for health and tests: certificates waiting for a batch, batches per status. */
  async overview(topic: string) {
    const [pending, batches] = await Promise.all([
      this.db.outboxEvent.count({ where: { topic, status: "pending" } }),
      this.db.anchorBatch.groupBy({ by: ["status"], _count: { _all: true } }),
    ]);
    return { pendingCertificates: pending, batches: Object.fromEntries(batches.map((b) => [b.status, b._count._all])) as Record<string, number> };
  }
}
