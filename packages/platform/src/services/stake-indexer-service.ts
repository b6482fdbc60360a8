// The stake indexer (docs/decisions/0010): reads ValidatorRegistry stake events
// from the cursor to the chain head in bounded ranges and applies each range in
// one transaction with the cursor move. Events are unique by (chain, block, log
// index), so replaying a range, two indexers at once, or a crash between the
// read and the write never counts an event twice; a restart resumes at the cursor.
// Admission (docs/decisions/0012): a pending validator whose declared chain
// address now has active stake is admitted in the same transaction
// (admitted_by "chain:<tx>"); its draw weight is the indexed stake.
import type { StakeChain } from "../chain/chain-gateway";
import type { StakeRepository } from "../repositories/stake-repositories";

export type IndexReport = { fromBlock: bigint; throughBlock: bigint; events: number; applied: number } | null;

export class StakeIndexerService {
  constructor(
    private readonly repo: StakeRepository,
    private readonly chain: StakeChain,
    private readonly settings: { registry: string; startBlock: bigint; maxRange?: bigint },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async cursorName(): Promise<string> {
    return `stake-events:${await this.chain.chainId()}:${this.settings.registry.toLowerCase()}`;
  }

  /** One step from the cursor towards the head; null when already at the head. */
  async syncOnce(): Promise<IndexReport> {
    const name = await this.cursorName();
    const from = (await this.repo.cursor(name)) ?? this.settings.startBlock;
    const head = await this.chain.head();
    if (from > head) return null;
    const span = this.settings.maxRange ?? 2_000n;
    const through = from + span - 1n < head ? from + span - 1n : head;
    return this.indexRange(from, through);
  }

  /** Indexes [from, through] (also used to replay a range): only events not yet stored are applied. */
  async indexRange(from: bigint, through: bigint): Promise<IndexReport> {
    const [name, chainId] = [await this.cursorName(), await this.chain.chainId()];
    const events = await this.chain.stakeEvents(from, through);
    const applied = await this.repo.applyRange({ cursor: name, chainId, events, throughBlock: through, at: this.clock() });
    return { fromBlock: from, throughBlock: through, events: events.length, applied };
  }

  /** Syncs until the head is reached (bounded number of steps). */
  async syncToHead(maxSteps = 50): Promise<number> {
    let applied = 0;
    for (let step = 0; step < maxSteps; step += 1) {
      const report = await this.syncOnce();
      if (!report) break;
      applied += report.applied;
    }
    return applied;
  }
}
