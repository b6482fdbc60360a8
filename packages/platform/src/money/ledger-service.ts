// Posting to the credits ledger (docs/money.md). A posting takes the advisory
// locks of the guarded accounts it debits, returns the existing entry when its
// key has posted before (a retry), refuses to overdraw a guarded account
// (PaymentRequiredError, HTTP 402), and inserts. Call postIn from inside a
// caller's transaction to make a posting part of a larger change (intake).
import { ConflictError, NotFoundError, PaymentRequiredError } from "../errors";
import type { CreditGrantInput } from "@assay/protocol";
import type { Repositories, Store } from "../repositories";
import { developerAccount, developerHeldAccount } from "./accounts";
import { checkEntry, debitedGuardedAccounts, grantEntry, overdrawnBy, sameMovement, type EntryDraft } from "./ledger";
import type { StoredEntry } from "./ledger-repository";
import type { PaymentMethodsService } from "./payment-methods";

export type PostResult = { entryId: string; posted: boolean };
export type DeveloperBalance = { available: number; held: number; currency: "credits" };

export class LedgerService {
  constructor(
    private readonly store: Store,
    /** Operator switches; without them every payment method is on. */
    private readonly methods?: Pick<PaymentMethodsService, "require">,
  ) {}

  post(draft: EntryDraft): Promise<PostResult> {
    return this.store.transaction((repos) => this.postIn(repos, draft));
  }

  async postIn(repos: Repositories, draft: EntryDraft): Promise<PostResult> {
    checkEntry(draft);
    const ledger = repos.ledger;
    const debited = debitedGuardedAccounts(draft);
    await ledger.lockAccounts(debited);
    const before = await ledger.findByKey(draft.key);
    if (before) return replay(before, draft);
    const over = overdrawnBy(draft, await ledger.balances(debited));
    if (over.length > 0) {
      const first = over[0]!;
      throw new PaymentRequiredError("insufficient_credits", `not enough credits: ${first.needed} needed, ${first.balance} available`, {
        needed: Number(first.needed),
        available: Number(first.balance),
        currency: "credits",
      });
    }
    const inserted = await ledger.insert(draft);
    if (!inserted.created) return replay((await ledger.findByKey(draft.key))!, draft);
    return { entryId: inserted.id, posted: true };
  }

  /** Prepaid credits granted by an operator: the entry and its audit-log row commit together; a retried request key posts once. */
  async grant(input: CreditGrantInput, actor: string): Promise<PostResult & { balance: DeveloperBalance }> {
    await this.methods?.require("prepaid");
    const result = await this.store.transaction(async (repos) => {
      if (!(await repos.developers.findById(input.developerId))) throw new NotFoundError("developer_not_found", `no developer ${input.developerId}`);
      const posted = await this.postIn(repos, grantEntry({ requestKey: input.requestKey, developerId: input.developerId, amount: BigInt(input.amount), actor }));
      if (posted.posted) {
        await repos.auditLog.record({ actor, action: "credits.grant", target: `developer:${input.developerId}`, after: { amount: input.amount, reason: input.reason, requestKey: input.requestKey, entryId: posted.entryId } });
      }
      return posted;
    });
    return { ...result, balance: await this.developerBalance(input.developerId) };
  }

  async developerBalance(developerId: string): Promise<DeveloperBalance> {
    const available = developerAccount(developerId);
    const held = developerHeldAccount(developerId);
    const balances = await this.store.repos.ledger.balances([available, held]);
    return { available: Number(balances.get(available) ?? 0n), held: Number(balances.get(held) ?? 0n), currency: "credits" };
  }

  /**
   * The developer's credit journal, newest first: each entry that moved their
   * credits, with the signed change of `available` and of `held` it made, and
   * the submission or voucher it belongs to (from the entry's memo).
   */
  async developerJournal(developerId: string, limit = 100): Promise<DeveloperJournalEntry[]> {
    const available = developerAccount(developerId);
    const held = developerHeldAccount(developerId);
    const entries = await this.store.repos.ledger.statementOf([available, held], Math.min(Math.max(limit, 1), 500));
    return entries.map((entry) => {
      const sum = (account: string) => Number(entry.lines.filter((l) => l.account === account).reduce((a, l) => a + l.amount, 0n));
      const memo = (entry.memo ?? {}) as Record<string, unknown>;
      const text = (key: string) => (typeof memo[key] === "string" ? (memo[key] as string) : null);
      return { entryId: entry.id, kind: entry.kind, available: sum(available), held: sum(held), submissionId: text("submissionId"), at: entry.createdAt.toISOString() };
    });
  }

  statement(account: string, limit = 100): Promise<StoredEntry[]> {
    return this.store.repos.ledger.statement(account, Math.min(Math.max(limit, 1), 500));
  }
}

/** A key that posted before: the same movement is a retry; a different one reuses the key by mistake. */
export type DeveloperJournalEntry = { entryId: string; kind: string; available: number; held: number; submissionId: string | null; at: string };

function replay(existing: StoredEntry, draft: EntryDraft): PostResult {
  if (!sameMovement(existing, draft)) {
    throw new ConflictError("idempotency_key_reused", `idempotency key ${draft.key} was used for a different movement`, { key: draft.key });
  }
  return { entryId: existing.id, posted: false };
}
