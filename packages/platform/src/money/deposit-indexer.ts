// The deposit indexer (docs/money.md "On-chain deposits"), on the stake
// indexer's pattern (docs/decisions/0010): reads the Treasury's FeeDeposited
// logs from its cursor in bounded ranges, but only up to the last confirmed
// block (head − confirmations + 1), so nothing it reads can still be reorged
// within the confirmation depth; each range is recorded in one transaction with
// the cursor move. Logs are unique by (chain, tx hash, log index) in both
// chain_deposits and the ledger, so replaying a range (even from block 0), two
// indexers at once, the API crediting the same log, or a crash between the
// read and the write never credits twice. While the operators have switched
// deposits off, the indexer does not move: deposits made meanwhile are
// credited when the method is on again.
import type { DepositChain } from "../chain/chain-gateway";
import type { Store } from "../repositories";
import type { DepositService } from "./deposit-service";
import type { PaymentMethodsService } from "./payment-methods";

export type DepositIndexReport = { fromBlock: bigint; throughBlock: bigint; logs: number; recorded: number } | { paused: true } | null;

export class DepositIndexerService {
  constructor(
    private readonly store: Store,
    private readonly deposits: DepositService,
    private readonly chain: DepositChain,
    private readonly settings: { startBlock: bigint; maxRange?: bigint },
    private readonly methods?: Pick<PaymentMethodsService, "get">,
  ) {}

  async cursorName(): Promise<string> {
    return `fee-deposits:${await this.chain.chainId()}:${this.chain.treasury.toLowerCase()}`;
  }

  /** The last block with the required confirmations (head − confirmations + 1). */
  async confirmedHead(): Promise<bigint> {
    return (await this.chain.head()) - BigInt(this.deposits.settings.confirmations) + 1n;
  }

  /** One step from the cursor towards the confirmed head; null when already there, `paused` while deposits are off. */
  async syncOnce(): Promise<DepositIndexReport> {
    if (this.methods && !(await this.methods.get()).deposits) return { paused: true };
    const name = await this.cursorName();
    const from = (await this.store.repos.deposits.cursor(name)) ?? this.settings.startBlock;
    const confirmed = await this.confirmedHead();
    if (from > confirmed) return null;
    const span = this.settings.maxRange ?? 2_000n;
    const through = from + span - 1n < confirmed ? from + span - 1n : confirmed;
    return this.indexRange(from, through);
  }

  /**
   * Records the confirmed logs of [from, through] (also a replay: only logs not
   * yet stored are recorded) and moves the cursor past `through`, never backwards.
   * A range reaching above the confirmed head is cut there.
   */
  async indexRange(from: bigint, through: bigint): Promise<Exclude<DepositIndexReport, { paused: true }>> {
    const confirmed = await this.confirmedHead();
    const upTo = through < confirmed ? through : confirmed;
    if (upTo < from) return null;
    const [name, chainId] = [await this.cursorName(), await this.chain.chainId()];
    const logs = await this.chain.feeDeposits(from, upTo);
    const recorded = await this.deposits.recordConfirmed(chainId, logs, "indexer", (repos) => repos.deposits.advanceCursor(name, upTo + 1n));
    return { fromBlock: from, throughBlock: upTo, logs: logs.length, recorded };
  }

  /** Syncs until the confirmed head is reached (bounded number of steps); returns how many logs were new. */
  async syncToHead(maxSteps = 50): Promise<number> {
    let recorded = 0;
    for (let step = 0; step < maxSteps; step += 1) {
      const report = await this.syncOnce();
      if (!report || "paused" in report) break;
      recorded += report.recorded;
    }
    return recorded;
  }

  /** Replays from `block` (an operator's re-index): moves the cursor back; the next syncs credit nothing already recorded. */
  async rewindTo(block: bigint): Promise<void> {
    await this.store.repos.deposits.resetCursor(await this.cursorName(), block);
  }
}
