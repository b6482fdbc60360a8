// The transparency log's rows (docs/decisions/0016): entries (leaves), the
// hashes of complete subtrees, and signed checkpoints. Insert-only: nothing here
// updates or deletes a row.
import type { NodeKey, StoredNode } from "@assay/protocol";
import type { DbClient } from "./types";

/**
 * Advisory lock id serialising appends (one tree size sequence). Exported for the
 * fault matrix (apps/faults), which holds it to catch a certificate's issuance
 * between signing and commit (docs/decisions/0023).
 */
export const LOG_APPEND_LOCK = 7340041;

export type LogEntryRow = { index: number; kind: string; certificateId: string; leaf: string; leafHash: Uint8Array };
export type LogCheckpointRow = { treeSize: number; rootHash: Uint8Array; timestamp: Date; kid: string; note: string };
export type AnchoredBatchRow = { root: string; chainId: number; registry: string; tx: string; block: number; tree: unknown; logTreeSize: number };

export class TransparencyLogRepository {
  constructor(private readonly db: DbClient) {}

  /** Appends are serialised for the rest of the transaction (call inside one). */
  async lockForAppend(): Promise<void> {
    await this.db.$executeRaw`SELECT pg_advisory_xact_lock(${LOG_APPEND_LOCK})`;
  }

  async size(): Promise<number> {
    const rows = await this.db.$queryRaw<{ size: bigint | null }[]>`SELECT MAX("index") + 1 AS size FROM log_entries`;
    return Number(rows[0]?.size ?? 0);
  }

  /** The stored hashes of these complete subtrees, keyed `level:index` (missing ones are absent). */
  async nodes(keys: readonly NodeKey[]): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>();
    if (keys.length === 0) return found;
    const levels = keys.map((k) => k.level);
    const indexes = keys.map((k) => k.index);
    const rows = await this.db.$queryRaw<{ level: number; index: bigint; hash: Uint8Array }[]>`
      SELECT n.level, n."index", n.hash
      FROM log_nodes n
      JOIN unnest(${levels}::int[], ${indexes}::bigint[]) AS k(level, idx) ON n.level = k.level AND n."index" = k.idx`;
    for (const row of rows) found.set(`${row.level}:${Number(row.index)}`, new Uint8Array(row.hash));
    return found;
  }

  /**
   * Inserts leaves and nodes with one statement each (unnest over arrays; hashes
   * as hex text, decoded by PostgreSQL): a batch of thousands costs two round trips.
   */
  async insert(entries: readonly LogEntryRow[], nodes: readonly StoredNode[]): Promise<void> {
    if (entries.length > 0) {
      await this.db.$executeRaw`
        INSERT INTO log_entries ("index", kind, certificate_id, leaf, leaf_hash)
        SELECT i, k, c, l, decode(h, 'hex')
        FROM unnest(${entries.map((e) => e.index)}::bigint[], ${entries.map((e) => e.kind)}::text[], ${entries.map((e) => e.certificateId)}::text[],
                    ${entries.map((e) => e.leaf)}::text[], ${entries.map((e) => hex(e.leafHash))}::text[]) AS t(i, k, c, l, h)`;
    }
    for (let i = 0; i < nodes.length; i += 20_000) {
      const chunk = nodes.slice(i, i + 20_000);
      await this.db.$executeRaw`
        INSERT INTO log_nodes (level, "index", hash)
        SELECT lv, ix, decode(h, 'hex')
        FROM unnest(${chunk.map((n) => n.level)}::int[], ${chunk.map((n) => n.index)}::bigint[], ${chunk.map((n) => hex(n.hash))}::text[]) AS t(lv, ix, h)`;
    }
  }

  /** A certificate's entries and the log's size, read in one statement (the proof hot path). */
  async entriesWithSize(certificateId: string, limit: number): Promise<{ entries: LogEntryRow[]; size: number }> {
    const rows = await this.db.$queryRaw<{ index: bigint | null; kind: string | null; leaf: string | null; size: bigint | null }[]>`
      SELECT e."index", e.kind, e.leaf, s.size
      FROM (SELECT MAX("index") + 1 AS size FROM log_entries) s
      LEFT JOIN LATERAL (SELECT "index", kind, leaf FROM log_entries WHERE certificate_id = ${certificateId} ORDER BY "index" LIMIT ${limit}) e ON true`;
    const size = Number(rows[0]?.size ?? 0);
    const entries = rows
      .filter((r) => r.index !== null)
      .map((r) => ({ index: Number(r.index), kind: r.kind!, certificateId, leaf: r.leaf!, leafHash: new Uint8Array() }));
    return { entries, size };
  }

  /**
   * Certificates whose issuance is not in the log (issued before it existed),
   * oldest first, with their status changes: what a backfill appends.
   */
  async unlogged(limit: number): Promise<{ id: string; payload: unknown; changes: { from: string | null; to: string; reason: string | null; at: Date }[] }[]> {
    const rows = await this.db.$queryRaw<{ id: string; payload: unknown }[]>`
      SELECT c.id, c.payload FROM certificates c
      WHERE NOT EXISTS (SELECT 1 FROM log_entries e WHERE e.certificate_id = c.id AND e.kind = 'issued')
      ORDER BY c.issued_at, c.id LIMIT ${limit}`;
    if (rows.length === 0) return [];
    const changes = await this.db.certificateStatusChange.findMany({
      where: { certificateId: { in: rows.map((r) => r.id) }, fromStatus: { not: null } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return rows.map((r) => ({
      id: r.id,
      payload: r.payload,
      changes: changes.filter((c) => c.certificateId === r.id).map((c) => ({ from: c.fromStatus, to: c.toStatus, reason: c.reasonCode, at: c.createdAt })),
    }));
  }

  async checkpointAt(treeSize: number): Promise<LogCheckpointRow | null> {
    const row = await this.db.logCheckpoint.findUnique({ where: { treeSize: BigInt(treeSize) } });
    return row && { treeSize: Number(row.treeSize), rootHash: new Uint8Array(row.rootHash), timestamp: row.timestamp, kid: row.kid, note: row.note };
  }

  /**
   * The confirmed registry batch of a certificate when it also anchors a log
   * checkpoint (docs/decisions/0016): where it is, and the tree to prove the
   * checkpoint's commitment in. Null while the certificate is not anchored so.
   */
  async anchoredBatchOf(certificateId: string): Promise<AnchoredBatchRow | null> {
    const member = await this.db.anchorBatchMember.findUnique({ where: { certificateId }, include: { batch: true } });
    const batch = member?.batch;
    if (!batch || batch.status !== "confirmed" || batch.logTreeSize === null || !batch.txHash || batch.blockNumber === null) return null;
    return {
      root: batch.root,
      chainId: batch.chainId,
      registry: batch.registry,
      tx: batch.txHash,
      block: Number(batch.blockNumber),
      tree: batch.tree,
      logTreeSize: Number(batch.logTreeSize),
    };
  }

  /** Stores a checkpoint unless one for that size exists (ON CONFLICT DO NOTHING: concurrent signers agree on the first). */
  async addCheckpoint(row: LogCheckpointRow): Promise<void> {
    await this.db.logCheckpoint.createMany({
      data: [{ treeSize: BigInt(row.treeSize), rootHash: toBytes(row.rootHash), timestamp: row.timestamp, kid: row.kid, note: row.note }],
      skipDuplicates: true,
    });
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

// Prisma's Bytes input wants an ArrayBuffer-backed Uint8Array.
function toBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
