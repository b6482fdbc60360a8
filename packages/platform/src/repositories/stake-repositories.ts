// The stake indexer's storage (docs/decisions/0010): every ValidatorRegistry
// stake event once (unique chain + block + log index), the stake it leaves per
// validator address, and the cursor to resume from, all written in one
// transaction per block range, so a replay or a restart never counts twice.
import type { StakeEvent } from "@assay/chain";
import type { PrismaClient } from "../db/client";
import type { Prisma } from "../generated/prisma";

export type StakeTotals = { active: bigint; pending: bigint; slashed: bigint; withdrawn: bigint; availableAt: bigint | null };

/** One event applied to a validator's stake (pure). Slashes take from active first, then pending, as the contract does. */
export function applyStakeEvent(before: StakeTotals, event: StakeEvent): StakeTotals {
  switch (event.kind) {
    case "Staked":
      return { ...before, active: event.activeStake };
    case "UnstakeRequested":
      return { ...before, active: before.active - event.amount, pending: event.pendingTotal, availableAt: event.availableAt };
    case "Withdrawn":
      return { ...before, pending: before.pending - event.amount, withdrawn: before.withdrawn + event.amount, availableAt: before.pending - event.amount === 0n ? null : before.availableAt };
    case "Slashed": {
      const fromActive = event.amount < before.active ? event.amount : before.active;
      return { ...before, active: before.active - fromActive, pending: before.pending - (event.amount - fromActive), slashed: before.slashed + event.amount };
    }
  }
}

export const ZERO_STAKE: StakeTotals = { active: 0n, pending: 0n, slashed: 0n, withdrawn: 0n, availableAt: null };

/** validators.stake unit: gwei (the column is a 64-bit integer; wei would overflow above ~9.2 ETH). */
export const WEI_PER_STAKE_UNIT = 1_000_000_000n;

function dataOf(event: StakeEvent): Prisma.InputJsonValue {
  const { kind, validator, amount, blockNumber, logIndex, transactionHash, ...rest } = event as StakeEvent & Record<string, unknown>;
  void kind, validator, amount, blockNumber, logIndex, transactionHash;
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : String(v)]));
}

export class StakeRepository {
  constructor(private readonly db: PrismaClient) {}

  async cursor(name: string): Promise<bigint | null> {
    const row = await this.db.chainCursor.findUnique({ where: { name } });
    return row ? row.nextBlock : null;
  }

  /**
   * Stores the events of [.., throughBlock] that are new, applies only those to
   * the stakes (and to validators with that chain address, admitting a pending
   * one whose active stake is positive: admitted_by "chain:<tx>"), and moves the cursor
   * to throughBlock + 1 (never backwards). Returns how many were new.
   */
  async applyRange(input: { cursor: string; chainId: number; events: StakeEvent[]; throughBlock: bigint; at?: Date }): Promise<number> {
    return this.db.$transaction(
      async (tx) => {
        let fresh = input.events;
        if (fresh.length > 0) {
          const blocks = [...new Set(fresh.map((e) => e.blockNumber))];
          const known = await tx.stakeEvent.findMany({ where: { chainId: input.chainId, blockNumber: { in: blocks } }, select: { blockNumber: true, logIndex: true } });
          const seen = new Set(known.map((k) => `${k.blockNumber}:${k.logIndex}`));
          fresh = fresh.filter((e) => !seen.has(`${e.blockNumber}:${e.logIndex}`));
        }
        if (fresh.length > 0) {
          // No skipDuplicates: a concurrent indexer that stored the same event makes this transaction fail as a whole.
          await tx.stakeEvent.createMany({
            data: fresh.map((e) => ({
              chainId: input.chainId,
              blockNumber: e.blockNumber,
              logIndex: e.logIndex,
              txHash: e.transactionHash,
              kind: e.kind,
              validator: e.validator.toLowerCase(),
              amount: e.amount.toString(),
              data: dataOf(e),
            })),
          });
          const byAddress = new Map<string, StakeEvent[]>();
          for (const e of fresh) byAddress.set(e.validator.toLowerCase(), [...(byAddress.get(e.validator.toLowerCase()) ?? []), e]);
          for (const [address, events] of byAddress) {
            const row = await tx.validatorStake.findUnique({ where: { address } });
            let totals: StakeTotals = row
              ? { active: BigInt(row.active.toFixed()), pending: BigInt(row.pending.toFixed()), slashed: BigInt(row.slashed.toFixed()), withdrawn: BigInt(row.withdrawn.toFixed()), availableAt: row.availableAt }
              : ZERO_STAKE;
            for (const e of events) totals = applyStakeEvent(totals, e);
            const last = events[events.length - 1]!;
            const values = {
              chainId: input.chainId,
              active: totals.active.toString(),
              pending: totals.pending.toString(),
              slashed: totals.slashed.toString(),
              withdrawn: totals.withdrawn.toString(),
              availableAt: totals.availableAt,
              lastBlock: last.blockNumber,
              lastLogIndex: last.logIndex,
            };
            await tx.validatorStake.upsert({ where: { address }, create: { address, ...values }, update: values });
            await tx.validator.updateMany({ where: { chainAddress: address }, data: { stake: totals.active / WEI_PER_STAKE_UNIT } });
            // Admission by chain (docs/decisions/0012): a pending validator whose stake is now seen on chain becomes drawable.
            if (totals.active / WEI_PER_STAKE_UNIT > 0n) {
              await tx.validator.updateMany({
                where: { chainAddress: address, standing: "pending" },
                data: { standing: "active", admittedAt: input.at ?? new Date(), admittedBy: `chain:${last.transactionHash}` },
              });
            }
          }
        }
        const next = input.throughBlock + 1n;
        await tx.chainCursor.upsert({ where: { name: input.cursor }, create: { name: input.cursor, nextBlock: next }, update: {} });
        await tx.chainCursor.updateMany({ where: { name: input.cursor, nextBlock: { lt: next } }, data: { nextBlock: next } });
        return fresh.length;
      },
      { timeout: 30_000 },
    );
  }

  /** Applies the indexed stake of an address to a validator that just declared it (chain_address set after its events). */
  async syncValidator(address: string): Promise<void> {
    const row = await this.db.validatorStake.findUnique({ where: { address: address.toLowerCase() } });
    if (!row) return;
    await this.db.validator.updateMany({ where: { chainAddress: address.toLowerCase() }, data: { stake: BigInt(row.active.toFixed()) / WEI_PER_STAKE_UNIT } });
  }

  stakeOf(address: string) {
    return this.db.validatorStake.findUnique({ where: { address: address.toLowerCase() } });
  }

  eventCount(chainId: number) {
    return this.db.stakeEvent.count({ where: { chainId } });
  }
}
