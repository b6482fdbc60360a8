// On-chain deposits (issue 9, docs/money.md "On-chain deposits"). A developer
// calls Treasury.depositFee(reference) where the bytes32 reference is
// "assay-deposit-v1" ‖ their developer id (depositReference in
// @assay/protocol); the platform credits floor(wei / weiPerCredit) credits once
// the log has `confirmations` blocks. Two ways in, one way to record:
//   - the deposit indexer (DepositIndexerService) reads confirmed blocks from its cursor;
//   - `POST /v1/developer/deposits { txHash }` looks the transaction up now.
// Both call recordConfirmed: per FeeDeposited log, the ledger entry
// `deposit:<chainId>:<txHash>:<logIndex>` and the chain_deposits row commit
// together, each unique on that key, so a replayed log, a re-posted hash or
// the two racing each other credit once. A log whose reference names no
// developer (or that is worth less than a credit) is recorded as `unassigned`
// and credits nobody.
import { developerOfReference, depositReference, type DepositClaim, type DepositInfo, type DepositView, type OperatorDeposit, type OperatorDepositQuery } from "@assay/protocol";
import type { FeeDeposit } from "@assay/chain";
import type { Hash } from "viem";
import type { DepositChain } from "../chain/chain-gateway";
import { NotFoundError, UnavailableError, ValidationError } from "../errors";
import type { Repositories, Store } from "../repositories";
import { depositEntry } from "./ledger";
import { decodeInstantCursor, encodeInstantCursor, pageOf, type Page } from "../services/page-cursor";
import type { DepositRow } from "./deposit-repository";
import type { LedgerService } from "./ledger-service";
import type { PaymentMethodsService } from "./payment-methods";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type DepositSettings = { weiPerCredit: bigint; confirmations: number };

/** Credits of a deposit: floor(wei / weiPerCredit); the remainder (dust) stays unallocated in the Treasury. */
export function creditsOfWei(wei: bigint, weiPerCredit: bigint): bigint {
  if (weiPerCredit <= 0n) throw new Error("weiPerCredit must be positive");
  return wei / weiPerCredit;
}

export class DepositService {
  constructor(
    private readonly store: Store,
    private readonly ledger: LedgerService,
    /** Null when the deployment has no chain: the route answers 404 deposits_unavailable. */
    private readonly chain: DepositChain | null,
    readonly settings: DepositSettings,
    private readonly methods?: Pick<PaymentMethodsService, "require" | "get">,
  ) {}

  /** What a developer needs to deposit, and their recorded deposits. */
  async info(developerId: string, limit = 50): Promise<DepositInfo> {
    const enabled = (this.methods ? (await this.methods.get()).deposits : true) && this.chain !== null;
    let chainId: number | null = null;
    if (this.chain) chainId = await this.chain.chainId().catch(() => null);
    const rows = await this.store.repos.deposits.ofDeveloper(developerId, Math.min(Math.max(limit, 1), 500));
    return {
      enabled,
      chainId,
      treasury: this.chain ? this.chain.treasury : null,
      reference: depositReference(developerId),
      weiPerCredit: this.settings.weiPerCredit.toString(),
      confirmations: this.settings.confirmations,
      deposits: rows.map((r) => depositView(r, developerId)),
    };
  }

  /** Operators: recorded deposits, newest first; `status: unassigned` lists the ones that credited nobody. */
  async list(query: OperatorDepositQuery = {}): Promise<Page<OperatorDeposit>> {
    const limit = query.limit ?? 100;
    const q = query.q?.trim();
    const rows = await this.store.repos.deposits.list({
      status: query.status,
      ...(q ? { q: { text: q, ...(UUID.test(q) ? { developerId: q.toLowerCase() } : {}) } } : {}),
      ...(query.cursor ? { before: decodeInstantCursor(query.cursor) } : {}),
      limit: limit + 1,
    });
    return pageOf(
      rows,
      limit,
      (r) => {
        const { mine, ...view } = depositView(r, "");
        void mine;
        return { ...view, blockHash: r.blockHash, treasury: r.treasury, developerId: r.developerId, source: r.source as OperatorDeposit["source"] };
      },
      (r) => encodeInstantCursor({ at: r.createdAt, id: r.id }),
    );
  }

  /**
   * `POST /v1/developer/deposits`: looks the transaction up; pending until it
   * has the confirmations (and its block is still the canonical one), then
   * records its FeeDeposited logs (crediting whoever each reference names).
   */
  async claim(developerId: string, txHash: string): Promise<DepositClaim> {
    await this.methods?.require("deposits");
    const chain = this.requireChain();
    const hash = txHash.toLowerCase() as Hash;
    const { receipt, head, canonical, chainId } = await this.lookup(chain, hash);
    const required = this.settings.confirmations;
    const pending = async (confirmations: number): Promise<DepositClaim> => ({
      txHash: hash,
      status: "pending",
      confirmations,
      required,
      deposits: [],
      credited: 0,
      balance: await this.ledger.developerBalance(developerId),
    });
    if (!receipt) {
      if (await chain.transactionKnown(hash).catch(() => false)) return pending(0);
      throw new NotFoundError("transaction_not_found", `the chain does not know transaction ${hash}`);
    }
    if (!receipt.success) throw new ValidationError("deposit_reverted", `transaction ${hash} reverted: it deposited nothing`);
    if (receipt.deposits.length === 0) throw new ValidationError("not_a_deposit", `transaction ${hash} has no FeeDeposited event of the Treasury ${chain.treasury}`);
    // A receipt from a block that is no longer canonical (a reorg in progress) counts as unconfirmed.
    const confirmations = canonical ? Number(head - receipt.blockNumber + 1n) : 0;
    if (confirmations < required) return pending(Math.max(confirmations, 0));
    await this.recordConfirmed(chainId, receipt.deposits, "api");
    const rows = await this.store.repos.deposits.ofTransaction(chainId, hash);
    const views = rows.map((r) => depositView(r, developerId));
    return {
      txHash: hash,
      status: "confirmed",
      confirmations,
      required,
      deposits: views,
      credited: views.filter((v) => v.mine).reduce((sum, v) => sum + v.credits, 0),
      balance: await this.ledger.developerBalance(developerId),
    };
  }

  /**
   * Records confirmed FeeDeposited logs: per log, in one transaction, the
   * ledger entry (when its reference names a developer and it is worth at
   * least one credit) and the row. Returns how many logs were new.
   */
  async recordConfirmed(chainId: number, deposits: readonly FeeDeposit[], source: "indexer" | "api", onEach?: (repos: Repositories) => Promise<void>): Promise<number> {
    return this.store.transaction(async (repos) => {
      const fresh = await this.recordIn(repos, chainId, deposits, source);
      await onEach?.(repos);
      return fresh;
    });
  }

  /** recordConfirmed inside a caller's transaction (the indexer moves its cursor in the same one). */
  async recordIn(repos: Repositories, chainId: number, deposits: readonly FeeDeposit[], source: "indexer" | "api"): Promise<number> {
    let fresh = 0;
    for (const d of deposits) {
      if (await repos.deposits.find(chainId, d.transactionHash, d.logIndex)) continue; // seen: a replay
      const credits = creditsOfWei(d.amount, this.settings.weiPerCredit);
      const named = developerOfReference(d.reference);
      const developer = named ? await repos.developers.findById(named) : null;
      const base = {
        chainId,
        txHash: d.transactionHash.toLowerCase(),
        logIndex: d.logIndex,
        blockNumber: d.blockNumber,
        blockHash: d.blockHash.toLowerCase(),
        treasury: d.treasury.toLowerCase(),
        reference: d.reference.toLowerCase(),
        payer: d.payer.toLowerCase(),
        amountWei: d.amount,
        credits,
        source,
      };
      let inserted: boolean;
      if (!developer) {
        inserted = await repos.deposits.insert({ ...base, status: "unassigned", reason: "unknown_reference", developerId: null, entryId: null });
      } else if (credits === 0n) {
        inserted = await repos.deposits.insert({ ...base, status: "unassigned", reason: "below_one_credit", developerId: developer.id, entryId: null });
      } else {
        // The ledger key and the row's unique index say the same thing; a concurrent recorder waits on the
        // first one's key and then posts nothing (posted: false) and inserts nothing.
        const posted = await this.ledger.postIn(
          repos,
          depositEntry({ chainId, txHash: d.transactionHash, logIndex: d.logIndex, developerId: developer.id, credits, amountWei: d.amount }),
        );
        inserted = await repos.deposits.insert({ ...base, status: "credited", reason: null, developerId: developer.id, entryId: posted.entryId });
      }
      if (inserted) fresh += 1;
    }
    return fresh;
  }

  private requireChain(): DepositChain {
    if (!this.chain) throw new NotFoundError("deposits_unavailable", "this deployment has no chain: on-chain deposits are not offered");
    return this.chain;
  }

  private async lookup(chain: DepositChain, hash: Hash) {
    try {
      const [chainId, receipt, head] = await Promise.all([chain.chainId(), chain.depositReceipt(hash), chain.head()]);
      const canonical = receipt ? (await chain.blockHash(receipt.blockNumber))?.toLowerCase() === receipt.blockHash.toLowerCase() : false;
      return { chainId, receipt, head, canonical };
    } catch (error) {
      throw new UnavailableError("chain_unavailable", `the chain could not be read: ${(error as Error).message.split("\n")[0]}`);
    }
  }
}

export function depositView(row: DepositRow, developerId: string): DepositView {
  return {
    chainId: row.chainId,
    txHash: row.txHash,
    logIndex: row.logIndex,
    blockNumber: row.blockNumber.toString(),
    reference: row.reference,
    payer: row.payer,
    amountWei: row.amountWei.toFixed(),
    credits: Number(row.credits),
    status: row.status as DepositView["status"],
    reason: (row.reason ?? null) as DepositView["reason"],
    mine: row.status === "credited" && row.developerId === developerId.toLowerCase(),
    recordedAt: row.createdAt.toISOString(),
  };
}
