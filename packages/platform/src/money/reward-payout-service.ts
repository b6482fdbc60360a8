// Validator rewards on chain (docs/money.md "Validator rewards"): the ledger's
// validator_payable:<id> is credited on the Treasury by the platform (its
// DISTRIBUTOR_ROLE key), and the validator withdraws it with
// Treasury.withdrawRewards. Two halves:
//
// Payouts (run by the anchor loop, under its lease: one signer, one nonce
// sequence). For each validator with a chain address and a positive payable,
// a payout row fixes the amount (the payable then; one open payout per
// validator). Its creditRewards([address], [amount × weiPerCredit]) is signed,
// its hash, nonce and bytes recorded, then broadcast. A retry never signs a
// second credit while the first can still be mined: a recorded transaction that
// is mined is confirmed; one the node knows is waited for; one the node does
// not know is re-broadcast byte for byte while its nonce is unused; only once
// its nonce is taken by another transaction (it can never be mined) or it
// reverted is a new one signed. Confirmation moves payable → validator_onchain
// (`payout:<payoutId>`) in the transaction that marks the payout confirmed.
//
// Withdrawals (indexed from a cursor, like the stake indexer). Each
// RewardsWithdrawn log is stored once by (chain, block, log index) and, when
// it is a bound validator's whole number of credits, posts
// validator_onchain → chain_withdrawals (`withdrawal:<chain>:<tx>:<log>`) in the
// same transaction. Replaying any range, from block 0 included, adds nothing.
import type { Hash, Hex } from "viem";
import type { RewardChain, MinedReceipt } from "../chain/chain-gateway";
import type { Repositories, Store } from "../repositories";
import { anchorBackoffMs } from "../services/anchor-service";
import { validatorOnChainAccount } from "./accounts";
import { payoutEntry, withdrawalEntry } from "./ledger";
import type { LedgerService } from "./ledger-service";
import type { PayoutRow } from "./reward-repository";

type Log = (level: "debug" | "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

export type RewardPayoutSettings = {
  weiPerCredit: bigint;
  /** Longest wait for one receipt before the attempt counts as failed (looked up again next run). */
  receiptTimeoutMs: number;
  /** Where the withdrawal indexer starts (the deployment block). */
  startBlock: bigint;
  /** Blocks a log must have (1 = mined) before it is indexed. */
  confirmations: number;
  maxRange?: bigint;
  /**
   * How often new payouts are prepared (default 60 s): finding them sums every
   * bound validator's payable, so it runs less often than the loop; unfinished
   * payouts are settled on every run.
   */
  prepareIntervalMs?: number;
};

export type PayoutRunReport = { prepared: number; confirmed: number; failed: number };
export type WithdrawalIndexReport = { fromBlock: bigint; throughBlock: bigint; events: number; posted: number; unmatched: number } | null;

export class RewardPayoutService {
  private lastPrepared = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: Store,
    private readonly ledger: Pick<LedgerService, "postIn">,
    private readonly chain: RewardChain,
    private readonly settings: RewardPayoutSettings,
    private readonly log: Log = () => undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private get repo() {
    return this.store.repos.rewards;
  }

  /** One payout run: unfinished payouts first, then new ones. Call it only while holding the anchor lease (one signer). */
  async runOnce(limit = 20): Promise<PayoutRunReport> {
    const report: PayoutRunReport = { prepared: 0, confirmed: 0, failed: 0 };
    for (const payout of await this.repo.duePayouts(this.clock(), limit)) await this.settle(payout.id, report);
    const now = this.clock().getTime();
    if (now - this.lastPrepared < (this.settings.prepareIntervalMs ?? 60_000)) return report;
    this.lastPrepared = now;
    for (const id of await this.preparePayouts(limit)) {
      report.prepared += 1;
      await this.settle(id, report);
    }
    return report;
  }

  /** A payout per validator with a chain address, a positive payable and no open payout; the amount is the payable now. */
  async preparePayouts(limit = 20): Promise<string[]> {
    const ids: string[] = [];
    for (const candidate of await this.repo.payoutCandidates(limit)) {
      const now = this.clock();
      const payout = await this.repo.createPayout({ validatorId: candidate.validatorId, address: candidate.address, amount: candidate.payable, amountWei: candidate.payable * this.settings.weiPerCredit, at: now });
      if (payout) ids.push(payout.id);
    }
    return ids;
  }

  /** Takes one payout as far as it can go now: confirmed, or scheduled for another attempt. */
  async settle(payoutId: string, report: PayoutRunReport = { prepared: 0, confirmed: 0, failed: 0 }): Promise<void> {
    const payout = await this.repo.findPayout(payoutId);
    if (!payout || payout.status === "confirmed") return;
    try {
      if (payout.status === "sent" && payout.txHash) {
        const hash = payout.txHash as Hash;
        const receipt = await this.chain.receipt(hash);
        if (receipt?.success) return await this.confirm(payout, receipt, report);
        if (receipt === null) {
          if (await this.chain.transactionKnown(hash)) return await this.afterReceipt(payout, await this.chain.waitForReceipt(hash, this.settings.receiptTimeoutMs), report);
          if (payout.nonce !== null && payout.serialized && (await this.chain.minedNonce()) <= payout.nonce) {
            // Never seen by the node (a crash between recording and broadcasting, or dropped): the same bytes, the same credit.
            this.log("warn", "recorded payout transaction unknown to the node; broadcasting the same bytes again", { payoutId: payout.id, tx: hash });
            await this.chain.broadcast(payout.serialized as Hex);
            return await this.afterReceipt(payout, await this.chain.waitForReceipt(hash, this.settings.receiptTimeoutMs), report);
          }
          this.log("warn", "recorded payout transaction can no longer be mined (its nonce is spent); signing a new one", { payoutId: payout.id, tx: hash });
        } else {
          this.log("warn", "payout transaction reverted; signing a new one", { payoutId: payout.id, tx: hash });
        }
      }
      const signed = await this.chain.signCreditRewards(payout.address, BigInt(payout.amountWei.toFixed()));
      await this.repo.markPayoutSent(payout.id, { txHash: signed.txHash, nonce: signed.nonce, serialized: signed.serialized });
      await this.chain.broadcast(signed.serialized);
      this.log("info", "payout transaction sent", { payoutId: payout.id, validatorId: payout.validatorId, amount: String(payout.amount), tx: signed.txHash });
      await this.afterReceipt(payout, await this.chain.waitForReceipt(signed.txHash, this.settings.receiptTimeoutMs), report);
    } catch (error) {
      report.failed += 1;
      const message = (error as Error).message.split("\n")[0] ?? "error";
      const retryAt = new Date(this.clock().getTime() + anchorBackoffMs(payout.attempts + 1));
      await this.repo.markPayoutFailed(payout.id, message, retryAt);
      this.log("warn", "payout attempt failed; will retry", { payoutId: payout.id, retryAt: retryAt.toISOString(), error: message });
    }
  }

  private async afterReceipt(payout: PayoutRow, receipt: MinedReceipt, report: PayoutRunReport): Promise<void> {
    if (!receipt.success) throw new Error(`payout transaction ${receipt.txHash} reverted in block ${receipt.blockNumber}`);
    return this.confirm(payout, receipt, report);
  }

  /** Marks the payout confirmed and moves payable → on chain, together, once. */
  private async confirm(payout: PayoutRow, mined: { txHash: string; blockNumber: bigint }, report: PayoutRunReport): Promise<void> {
    const confirmed = await this.store.transaction(async (repos) => {
      if (!(await repos.rewards.confirmPayout(payout.id, mined, this.clock()))) return false;
      await this.ledger.postIn(repos, payoutEntry({ payoutId: payout.id, validatorId: payout.validatorId, amount: payout.amount, txHash: mined.txHash }));
      return true;
    });
    if (confirmed) {
      report.confirmed += 1;
      this.log("info", "payout confirmed", { payoutId: payout.id, validatorId: payout.validatorId, amount: String(payout.amount), tx: mined.txHash });
    }
  }

  // ------------------------------------------------------------ withdrawals

  async cursorName(): Promise<string> {
    return `rewards-withdrawn:${await this.chain.chainId()}:${this.chain.treasury}`;
  }

  /** One step from the cursor towards the (confirmed) head; null when already there. */
  async syncWithdrawals(): Promise<WithdrawalIndexReport> {
    const from = (await this.repo.cursor(await this.cursorName())) ?? this.settings.startBlock;
    const head = (await this.chain.head()) - BigInt(Math.max(this.settings.confirmations, 1) - 1);
    if (from > head) return null;
    const span = this.settings.maxRange ?? 2_000n;
    const through = from + span - 1n < head ? from + span - 1n : head;
    return this.indexWithdrawals(from, through);
  }

  /**
   * Indexes [from, through] (also a replay of any range): each log stored and
   * posted once, in one transaction with the cursor move. A bound validator's
   * withdrawal that exceeds its on-chain credits while one of its payouts is
   * still unconfirmed stops the range there (the payout loop confirms it first;
   * the next run resumes at that block).
   */
  async indexWithdrawals(from: bigint, through: bigint): Promise<WithdrawalIndexReport> {
    const [name, chainId] = [await this.cursorName(), await this.chain.chainId()];
    const events = await this.chain.rewardsWithdrawn(from, through);
    const report = { fromBlock: from, throughBlock: through, events: events.length, posted: 0, unmatched: 0 };
    await this.store.transaction(async (repos) => {
      let next = through + 1n;
      for (const event of events) {
        const outcome = await this.recordWithdrawal(repos, chainId, event);
        if (outcome === "wait") {
          next = event.blockNumber;
          report.throughBlock = event.blockNumber - 1n;
          break;
        }
        if (outcome === "posted") report.posted += 1;
        if (outcome === "unmatched") report.unmatched += 1;
      }
      await repos.rewards.advanceCursor(name, next);
    });
    return report;
  }

  private async recordWithdrawal(repos: Repositories, chainId: number, event: { blockNumber: bigint; logIndex: number; transactionHash: string; recipient: string; amount: bigint }): Promise<"posted" | "unmatched" | "seen" | "wait"> {
    const validatorId = await repos.rewards.validatorByAddress(event.recipient);
    const whole = event.amount % this.settings.weiPerCredit === 0n;
    const credits = event.amount / this.settings.weiPerCredit;
    let matched = validatorId !== null && whole && credits > 0n;
    if (matched) {
      const account = validatorOnChainAccount(validatorId!);
      await repos.ledger.lockAccounts([account]);
      const onChain = (await repos.ledger.balances([account])).get(account) ?? 0n;
      if (onChain < credits) {
        const pending = (await repos.rewards.payoutsOf(validatorId!)).some((p) => p.status !== "confirmed");
        // Already stored (a replay)? Then it was handled when first seen.
        if (pending && !(await repos.ledger.findByKey(withdrawalKey(chainId, event)))) return "wait";
        matched = false;
      }
    }
    const stored = await repos.rewards.insertWithdrawal({
      chainId,
      blockNumber: event.blockNumber,
      logIndex: event.logIndex,
      txHash: event.transactionHash,
      recipient: event.recipient,
      amountWei: event.amount,
      validatorId,
      status: matched ? "posted" : "unmatched",
    });
    if (stored === null) return "seen";
    if (!matched) {
      this.log("warn", "RewardsWithdrawn does not match the ledger; recorded as unmatched", { tx: event.transactionHash, logIndex: event.logIndex, recipient: event.recipient, amountWei: String(event.amount) });
      return "unmatched";
    }
    const posted = await this.ledger.postIn(repos, withdrawalEntry({ chainId, txHash: event.transactionHash, logIndex: event.logIndex, validatorId: validatorId!, amount: credits }));
    await repos.rewards.setWithdrawalEntry(stored, posted.entryId);
    return "posted";
  }

  /** Ledger against chain for one validator: its on-chain credits in the ledger × weiPerCredit against Treasury.rewardsOf. */
  async reconcile(validatorId: string): Promise<{ address: string | null; ledgerWei: bigint; chainWei: bigint | null; agree: boolean }> {
    const address = (await this.repo.validatorAddress(validatorId))?.chainAddress ?? null;
    const account = validatorOnChainAccount(validatorId);
    const ledgerWei = ((await this.store.repos.ledger.balances([account])).get(account) ?? 0n) * this.settings.weiPerCredit;
    const chainWei = address ? await this.chain.rewardsOf(address) : null;
    return { address, ledgerWei, chainWei, agree: chainWei === null ? ledgerWei === 0n : chainWei === ledgerWei };
  }
}

function withdrawalKey(chainId: number, event: { transactionHash: string; logIndex: number }): string {
  return `withdrawal:${chainId}:${event.transactionHash.toLowerCase()}:${event.logIndex}`;
}
