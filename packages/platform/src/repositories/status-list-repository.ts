// The status list's rows (docs/decisions/0022): index allocation for new
// certificates, the withdrawn certificates' indexes, and the publications.
import type { DbClient } from "./types";

export type StatusListPublicationRow = {
  listId: string;
  sequence: number;
  publishedAt: Date;
  validUntil: Date;
  size: number;
  setCount: number;
  bitsDigest: string;
  kid: string;
  jws: string;
};

export class StatusListRepository {
  constructor(private readonly db: DbClient) {}

  /** A fresh index from the certificates' sequence (outside any transaction: an issuance that fails leaves a gap, whose bit stays 0). */
  async nextIndex(): Promise<number> {
    const rows = await this.db.$queryRaw<{ index: bigint }[]>`SELECT nextval('"certificates_status_list_index_seq"') AS "index"`;
    return Number(rows[0]!.index);
  }

  /** The highest index handed out so far (issued or not), -1 when none: the list must cover it. */
  async highestAllocated(): Promise<number> {
    const rows = await this.db.$queryRaw<{ last: bigint; called: boolean }[]>`
      SELECT last_value AS "last", is_called AS "called" FROM "certificates_status_list_index_seq"`;
    const row = rows[0];
    const fromSequence = row ? (row.called ? Number(row.last) : Number(row.last) - 1) : -1;
    const max = await this.db.certificate.aggregate({ _max: { statusListIndex: true } });
    return Math.max(fromSequence, max._max.statusListIndex ?? -1);
  }

  /**
   * Indexes whose bit is set: certificates revoked or suspended, and those marked
   * expired while their validUntil is still ahead of `now` (an early withdrawal;
   * expiry at validUntil is read from the signed validUntil by every verifier).
   */
  async withdrawnIndexes(now: Date): Promise<number[]> {
    const rows = await this.db.certificate.findMany({
      where: { OR: [{ status: { in: ["revoked", "suspended"] } }, { status: "expired", validUntil: { gt: now } }] },
      select: { statusListIndex: true },
      orderBy: { statusListIndex: "asc" },
    });
    return rows.map((r) => r.statusListIndex);
  }

  latest(listId: string): Promise<StatusListPublicationRow | null> {
    return this.db.statusListPublication.findFirst({ where: { listId }, orderBy: { sequence: "desc" } });
  }

  /** Inserts a publication; false when another process published this sequence first. */
  async insert(row: StatusListPublicationRow): Promise<boolean> {
    const result = await this.db.statusListPublication.createMany({ data: [row], skipDuplicates: true });
    return result.count === 1;
  }

  /** Deletes all but the newest `keep` publications of a list; returns how many went. */
  async prune(listId: string, keep: number): Promise<number> {
    const cutoff = await this.db.statusListPublication.findFirst({ where: { listId }, orderBy: { sequence: "desc" }, skip: keep - 1, select: { sequence: true } });
    if (!cutoff) return 0;
    const result = await this.db.statusListPublication.deleteMany({ where: { listId, sequence: { lt: cutoff.sequence } } });
    return result.count;
  }
}
