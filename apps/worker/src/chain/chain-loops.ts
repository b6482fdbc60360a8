// The worker's chain loops (docs/decisions/0010), run when the chain flag is on:
// the anchor loop (batches pending certificates, settles unfinished batches,
// mirrors revocations, credits validator rewards on the Treasury; one process
// at a time through a database lease), the stake indexer (ValidatorRegistry
// events → stakes, from a cursor), the deposit indexer (Treasury FeeDeposited
// logs → credits, confirmed blocks only, from its own cursor) and the
// reward-withdrawal indexer (Treasury RewardsWithdrawn → ledger, from a cursor;
// docs/money.md). All are
// driven by PostgreSQL state, not by queue jobs: a run picks up whatever is
// pending, so nothing is lost when Redis or this process is.
import {
  AnchorService,
  DepositIndexerService,
  RewardPayoutService,
  StakeIndexerService,
  type DepositIndexReport,
  type AnchorRunReport,
  type IndexReport,
  type Platform,
  type WithdrawalIndexReport,
} from "@assay/platform";
import type { JobLog } from "../jobs/handler";

export type ChainRunReport = {
  anchor: AnchorRunReport;
  index: IndexReport | { error: string };
  deposits: DepositIndexReport | { error: string };
  withdrawals?: WithdrawalIndexReport | { error: string };
};

/** How long one anchor transaction may take to be mined before the attempt is retried (the batch is looked up first). */
export const RECEIPT_TIMEOUT_MS = 60_000;

export class ChainLoops {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    /** Null when no issuer key is configured: this worker then only indexes. */
    readonly anchor: AnchorService | null,
    readonly indexer: StakeIndexerService,
    private readonly intervalMs: number,
    private readonly log: JobLog,
    /** Null on a platform without deposits wiring (tests that build the loops by hand). */
    readonly depositIndexer: DepositIndexerService | null = null,
    /** Validator reward payouts and the RewardsWithdrawn indexer (docs/money.md). */
    readonly rewards: RewardPayoutService | null = null,
  ) {}

  static forPlatform(platform: Platform, log: JobLog): ChainLoops | null {
    const chain = platform.chain;
    const addresses = platform.config.chain.addresses;
    if (!chain || !addresses) return null;
    const settings = platform.config.chain;
    if (!settings.privateKey) log("warn", "ASSAY_CHAIN_PRIVATE_KEY is not set: this worker does not anchor (stake indexing only)");
    const rewards = new RewardPayoutService(platform.store, platform.ledger, chain, {
      weiPerCredit: settings.weiPerCredit,
      receiptTimeoutMs: RECEIPT_TIMEOUT_MS,
      startBlock: BigInt(settings.deployedAtBlock),
      confirmations: settings.confirmations,
    }, log);
    const anchor = !settings.privateKey ? null : new AnchorService(
      platform.store.anchors,
      chain,
      // Each batch also anchors the transparency log's checkpoint (docs/decisions/0016); payouts share the lease (one signer).
      { batchMax: settings.anchorBatchMax, intervalMs: settings.anchorIntervalMs, receiptTimeoutMs: RECEIPT_TIMEOUT_MS, logCheckpoints: platform.transparencyLog, payouts: rewards },
      log,
    );
    const indexer = new StakeIndexerService(platform.store.stakes, chain, {
      registry: addresses.validatorRegistry,
      startBlock: BigInt(settings.deployedAtBlock),
    });
    const depositIndexer = new DepositIndexerService(platform.store, platform.deposits, chain, { startBlock: BigInt(settings.deployedAtBlock) }, platform.paymentMethods);
    return new ChainLoops(anchor, indexer, settings.anchorIntervalMs, log, depositIndexer, rewards);
  }

  async runOnce(): Promise<ChainRunReport> {
    const anchor = this.anchor ? await this.anchor.runOnce() : { leased: false, confirmed: 0, anchoredCertificates: 0, revoked: 0, failed: 0 };
    if (anchor.confirmed + anchor.revoked + (anchor.slashed ?? 0) + (anchor.paidOut ?? 0) > 0) this.log("info", "anchor run", { ...anchor });
    let index: ChainRunReport["index"];
    try {
      index = await this.indexer.syncOnce();
      if (index && index.applied > 0) this.log("info", "stake events indexed", { from: String(index.fromBlock), through: String(index.throughBlock), applied: index.applied });
    } catch (error) {
      index = { error: (error as Error).message.split("\n")[0] ?? "error" };
    }
    let deposits: ChainRunReport["deposits"] = null;
    if (this.depositIndexer) {
      try {
        deposits = await this.depositIndexer.syncOnce();
        if (deposits && "recorded" in deposits && deposits.recorded > 0) {
          this.log("info", "deposits recorded", { from: String(deposits.fromBlock), through: String(deposits.throughBlock), recorded: deposits.recorded });
        }
      } catch (error) {
        deposits = { error: (error as Error).message.split("\n")[0] ?? "error" };
      }
    }
    let withdrawals: ChainRunReport["withdrawals"];
    if (this.rewards) {
      try {
        withdrawals = await this.rewards.syncWithdrawals();
        if (withdrawals && withdrawals.events > 0) this.log("info", "reward withdrawals indexed", { from: String(withdrawals.fromBlock), through: String(withdrawals.throughBlock), posted: withdrawals.posted, unmatched: withdrawals.unmatched });
      } catch (error) {
        withdrawals = { error: (error as Error).message.split("\n")[0] ?? "error" };
      }
    }
    return { anchor, index, deposits, ...(withdrawals !== undefined ? { withdrawals } : {}) };
  }

  /** Runs now and then every interval until stop(); one run at a time. */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .catch((error: unknown) => this.log("warn", "chain run failed", { error: (error as Error).message }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.anchor?.release();
  }
}
