// Persistence of validator payouts (creditRewards on the Treasury) and of the
// indexed RewardsWithdrawn logs (docs/money.md "Validator rewards"). One open
// payout per validator (partial unique index); withdrawals unique by (chain,
// block, log index); the withdrawal indexer's cursor in chain_cursors.
import type { Prisma } from "../generated/prisma";
import type { DbClient } from "../repositories/types";
import { isUniqueViolation } from "../services/unique-violation";

export type PayoutRow = Prisma.RewardPayoutGetPayload<object>;

export class RewardRepository {
  constructor(private readonly db: DbClient) {}

  /** The validator's bound chain address (null when none); null when there is no such validator. */
  async validatorAddress(validatorId: string): Promise<{ chainAddress: string | null } | null> {
    return this.db.validator.findUnique({ where: { id: validatorId }, select: { chainAddress: true } });
  }

  async validatorByAddress(address: string): Promise<string | null> {
    const row = await this.db.validator.findUnique({ where: { chainAddress: address.toLowerCase() }, select: { id: true } });
    return row?.id ?? null;
  }

  /** Validators with a chain address, a positive payable and no open payout: who the next payouts are for. */
  async payoutCandidates(limit: number): Promise<{ validatorId: string; address: string; payable: bigint }[]> {
    const rows = await this.db.$queryRaw<{ id: string; chain_address: string; payable: bigint }[]>`
      SELECT v.id::text AS id, v.chain_address, SUM(l.amount)::bigint AS payable
      FROM validators v
      JOIN ledger_lines l ON l.account = 'validator_payable:' || v.id::text
      WHERE v.chain_address IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM reward_payouts p WHERE p.validator_id = v.id AND p.status <> 'confirmed')
      GROUP BY v.id, v.chain_address
      HAVING SUM(l.amount) > 0
      ORDER BY v.id
      LIMIT ${limit}`;
    return rows.map((r) => ({ validatorId: r.id, address: r.chain_address, payable: BigInt(r.payable) }));
  }

  /** A new payout, or null when the validator already has an open one (the partial unique index says so). */
  async createPayout(input: { validatorId: string; address: string; amount: bigint; amountWei: bigint; at: Date }): Promise<PayoutRow | null> {
    try {
      return await this.db.rewardPayout.create({
        data: { validatorId: input.validatorId, address: input.address.toLowerCase(), amount: input.amount, amountWei: input.amountWei.toString(), createdAt: input.at, nextAttemptAt: input.at },
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  duePayouts(now: Date, limit: number): Promise<PayoutRow[]> {
    return this.db.rewardPayout.findMany({ where: { status: { in: ["prepared", "sent"] }, nextAttemptAt: { lte: now } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit });
  }

  findPayout(id: string): Promise<PayoutRow | null> {
    return this.db.rewardPayout.findUnique({ where: { id } });
  }

  payoutsOf(validatorId: string): Promise<PayoutRow[]> {
    return this.db.rewardPayout.findMany({ where: { validatorId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  /** Records the signed transaction before it is broadcast (its hash, nonce and bytes). */
  async markPayoutSent(id: string, tx: { txHash: string; nonce: number; serialized: string }): Promise<void> {
    await this.db.rewardPayout.updateMany({ where: { id, status: { not: "confirmed" } }, data: { status: "sent", txHash: tx.txHash, nonce: tx.nonce, serialized: tx.serialized } });
  }

  async markPayoutFailed(id: string, error: string, retryAt: Date): Promise<void> {
    await this.db.rewardPayout.updateMany({ where: { id, status: { not: "confirmed" } }, data: { attempts: { increment: 1 }, lastError: error.slice(0, 500), nextAttemptAt: retryAt } });
  }

  /** sent → confirmed, once: false when it was confirmed already. Inside the transaction that posts the ledger entry. */
  async confirmPayout(id: string, mined: { txHash: string; blockNumber: bigint }, at: Date): Promise<boolean> {
    const updated = await this.db.rewardPayout.updateMany({
      where: { id, status: { not: "confirmed" } },
      data: { status: "confirmed", txHash: mined.txHash, blockNumber: mined.blockNumber, confirmedAt: at, serialized: null },
    });
    return updated.count === 1;
  }

  // ------------------------------------------------------------ withdrawals

  async cursor(name: string): Promise<bigint | null> {
    const row = await this.db.chainCursor.findUnique({ where: { name } });
    return row?.nextBlock ?? null;
  }

  /** Moves the cursor forward only (two indexers, or a replay of an older range, never move it back). */
  async advanceCursor(name: string, next: bigint): Promise<void> {
    await this.db.chainCursor.upsert({ where: { name }, create: { name, nextBlock: next }, update: {} });
    await this.db.chainCursor.updateMany({ where: { name, nextBlock: { lt: next } }, data: { nextBlock: next } });
  }

  /** Stores the log unless (chain, block, log index) is stored already; true when this call stored it. */
  async insertWithdrawal(input: { chainId: number; blockNumber: bigint; logIndex: number; txHash: string; recipient: string; amountWei: bigint; validatorId: string | null; status: "posted" | "unmatched" }): Promise<string | null> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      INSERT INTO reward_withdrawals (id, chain_id, block_number, log_index, tx_hash, recipient, amount_wei, validator_id, status)
      VALUES (gen_random_uuid(), ${input.chainId}, ${input.blockNumber}, ${input.logIndex}, ${input.txHash.toLowerCase()}, ${input.recipient.toLowerCase()},
              ${input.amountWei.toString()}::numeric, ${input.validatorId}::uuid, ${input.status})
      ON CONFLICT (chain_id, block_number, log_index) DO NOTHING
      RETURNING id::text AS id`;
    return rows[0]?.id ?? null;
  }

  async setWithdrawalEntry(id: string, entryId: string): Promise<void> {
    await this.db.rewardWithdrawal.update({ where: { id }, data: { entryId } });
  }

  withdrawalsOf(recipient: string): Promise<Prisma.RewardWithdrawalGetPayload<object>[]> {
    return this.db.rewardWithdrawal.findMany({ where: { recipient: recipient.toLowerCase() }, orderBy: [{ blockNumber: "asc" }, { logIndex: "asc" }] });
  }
}
