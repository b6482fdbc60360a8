// Every database call of on-chain deposits (docs/money.md "On-chain deposits"):
// the chain_deposits rows (unique per chain, tx hash and log index; append-only
// by trigger) and the deposit indexer's cursor in chain_cursors.
import type { Prisma } from "../generated/prisma";
import type { DbClient } from "../repositories/types";

export type DepositRow = Prisma.ChainDepositGetPayload<object>;

export type NewDepositRow = {
  chainId: number;
  txHash: string;
  logIndex: number;
  blockNumber: bigint;
  blockHash: string;
  treasury: string;
  reference: string;
  payer: string;
  amountWei: bigint;
  credits: bigint;
  status: "credited" | "unassigned";
  reason: "unknown_reference" | "below_one_credit" | null;
  developerId: string | null;
  entryId: string | null;
  source: "indexer" | "api";
};

export class DepositRepository {
  constructor(private readonly db: DbClient) {}

  /** Inserts the row unless (chain, tx, log index) is stored; true when this call inserted it. */
  async insert(row: NewDepositRow): Promise<boolean> {
    const inserted = await this.db.$executeRaw`
      INSERT INTO chain_deposits (id, chain_id, tx_hash, log_index, block_number, block_hash, treasury, reference, payer, amount_wei, credits, status, reason, developer_id, entry_id, source)
      VALUES (gen_random_uuid(), ${row.chainId}, ${row.txHash}, ${row.logIndex}, ${row.blockNumber}, ${row.blockHash}, ${row.treasury}, ${row.reference}, ${row.payer},
              ${row.amountWei.toString()}::numeric, ${row.credits}, ${row.status}, ${row.reason}, ${row.developerId}::uuid, ${row.entryId}::uuid, ${row.source})
      ON CONFLICT (chain_id, tx_hash, log_index) DO NOTHING`;
    return inserted === 1;
  }

  find(chainId: number, txHash: string, logIndex: number) {
    return this.db.chainDeposit.findUnique({ where: { chainId_txHash_logIndex: { chainId, txHash, logIndex } } });
  }

  ofTransaction(chainId: number, txHash: string) {
    return this.db.chainDeposit.findMany({ where: { chainId, txHash }, orderBy: { logIndex: "asc" } });
  }

  ofDeveloper(developerId: string, limit: number) {
    return this.db.chainDeposit.findMany({ where: { developerId }, orderBy: [{ createdAt: "desc" }, { logIndex: "desc" }], take: limit });
  }

  /**
   * Operators' list, newest first by (created_at, id) — the keyset of decision 0032: rows strictly after `before`;
   * `q` matches a transaction hash, a payer address (any case) or a developer id exactly.
   */
  list(filter: { status?: "credited" | "unassigned"; q?: { text: string; developerId?: string }; before?: { at: Date; id: string }; limit: number }) {
    const and: Prisma.ChainDepositWhereInput[] = [];
    if (filter.status) and.push({ status: filter.status });
    if (filter.q)
      and.push({
        OR: [
          { txHash: { equals: filter.q.text, mode: "insensitive" } },
          { payer: { equals: filter.q.text, mode: "insensitive" } },
          ...(filter.q.developerId ? [{ developerId: filter.q.developerId }] : []),
        ],
      });
    if (filter.before) and.push({ OR: [{ createdAt: { lt: filter.before.at } }, { createdAt: filter.before.at, id: { lt: filter.before.id } }] });
    return this.db.chainDeposit.findMany({ where: { AND: and }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: filter.limit });
  }

  count(chainId?: number) {
    return this.db.chainDeposit.count(chainId === undefined ? undefined : { where: { chainId } });
  }

  async cursor(name: string): Promise<bigint | null> {
    const row = await this.db.chainCursor.findUnique({ where: { name } });
    return row ? row.nextBlock : null;
  }

  /** Moves the cursor to `next`, never backwards. */
  async advanceCursor(name: string, next: bigint): Promise<void> {
    await this.db.chainCursor.upsert({ where: { name }, create: { name, nextBlock: next }, update: {} });
    await this.db.chainCursor.updateMany({ where: { name, nextBlock: { lt: next } }, data: { nextBlock: next } });
  }

  /** Sets the cursor back (an operator's replay from a block): the rows make a replay credit nothing twice. */
  async resetCursor(name: string, next: bigint): Promise<void> {
    await this.db.chainCursor.upsert({ where: { name }, create: { name, nextBlock: next }, update: { nextBlock: next } });
  }
}
