// The credits ledger's pure posting logic (docs/money.md): entry drafts for each
// movement, the balance rule, and the checks an entry must pass before it is
// written. No database here: LedgerRepository writes, LedgerService decides.
import {
  AccountSchema,
  CHAIN_DEPOSITS,
  CHAIN_WITHDRAWALS,
  developerAccount,
  developerHeldAccount,
  isGuardedAccount,
  PLATFORM_GRANTS,
  PLATFORM_REVENUE,
  validatorOnChainAccount,
  validatorPayableAccount,
  VALIDATOR_REWARDS_POOL,
  VOUCHER_LIABILITY,
} from "./accounts";

export type LedgerLine = { account: string; amount: bigint };

export const ENTRY_KINDS = ["grant", "hold", "capture", "release", "voucher", "deposit", "reward", "payout", "withdrawal"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export type EntryDraft = {
  /** Idempotency key: one key posts at most once, whoever retries it. */
  key: string;
  kind: EntryKind;
  lines: LedgerLine[];
  memo?: Record<string, string | number | boolean | null>;
};

/** A draft that breaks a ledger rule; a programming error, never user input. */
export class LedgerRuleError extends Error {}

const KEY = /^[a-z_]+:[A-Za-z0-9:_.\-]{1,200}$/;

/** Checks the rules every entry obeys (the database checks the sum again at commit). */
export function checkEntry(draft: EntryDraft): EntryDraft {
  if (!KEY.test(draft.key)) throw new LedgerRuleError(`idempotency key ${JSON.stringify(draft.key)} is not <kind>:<id>`);
  if (draft.lines.length < 2) throw new LedgerRuleError("an entry has at least two lines");
  const seen = new Set<string>();
  let sum = 0n;
  for (const line of draft.lines) {
    if (!AccountSchema.safeParse(line.account).success) throw new LedgerRuleError(`unknown account ${line.account}`);
    if (seen.has(line.account)) throw new LedgerRuleError(`account ${line.account} appears twice in one entry`);
    if (line.amount === 0n) throw new LedgerRuleError("a line moves a non-zero amount");
    seen.add(line.account);
    sum += line.amount;
  }
  if (sum !== 0n) throw new LedgerRuleError(`entry ${draft.key} does not balance (sum ${sum})`);
  return draft;
}

/** Every account's balance: the sum of its lines. */
export function balancesOf(entries: Iterable<{ lines: readonly LedgerLine[] }>): Map<string, bigint> {
  const balances = new Map<string, bigint>();
  for (const entry of entries) for (const line of entry.lines) balances.set(line.account, (balances.get(line.account) ?? 0n) + line.amount);
  return balances;
}

/** The guarded accounts this entry would take below zero, given their current balances. */
export function overdrawnBy(draft: EntryDraft, balances: ReadonlyMap<string, bigint>): { account: string; balance: bigint; needed: bigint }[] {
  return draft.lines
    .filter((l) => l.amount < 0n && isGuardedAccount(l.account))
    .map((l) => ({ account: l.account, balance: balances.get(l.account) ?? 0n, needed: -l.amount }))
    .filter((o) => o.balance < o.needed);
}

/** The guarded accounts an entry takes from: the ones to lock and check before posting. */
export function debitedGuardedAccounts(draft: EntryDraft): string[] {
  return draft.lines.filter((l) => l.amount < 0n && isGuardedAccount(l.account)).map((l) => l.account).sort();
}

/** Same key, same movement: what a retry must carry to be recognised as one. */
export function sameMovement(a: Pick<EntryDraft, "kind" | "lines">, b: Pick<EntryDraft, "kind" | "lines">): boolean {
  const norm = (lines: readonly LedgerLine[]) => lines.map((l) => `${l.account}=${l.amount}`).sort().join(",");
  return a.kind === b.kind && norm(a.lines) === norm(b.lines);
}

function positive(amount: bigint, what: string): bigint {
  if (amount <= 0n) throw new LedgerRuleError(`${what} must be positive`);
  return amount;
}

// ---------------------------------------------------------------- drafts

/** Prepaid credits an operator grants (the request key comes from the caller). */
export function grantEntry(input: { requestKey: string; developerId: string; amount: bigint; actor: string }): EntryDraft {
  const amount = positive(input.amount, "a grant");
  return checkEntry({
    key: `grant:${input.requestKey}`,
    kind: "grant",
    lines: [
      { account: developerAccount(input.developerId), amount },
      { account: PLATFORM_GRANTS, amount: -amount },
    ],
    memo: { actor: input.actor },
  });
}

/** A redeemed voucher: one per voucher and developer (the key says so). */
export function voucherEntry(input: { voucherId: string; developerId: string; amount: bigint }): EntryDraft {
  const amount = positive(input.amount, "a voucher");
  return checkEntry({
    key: `voucher:${input.voucherId}:${input.developerId}`,
    kind: "voucher",
    lines: [
      { account: developerAccount(input.developerId), amount },
      { account: VOUCHER_LIABILITY, amount: -amount },
    ],
    memo: { voucherId: input.voucherId },
  });
}

/**
 * A confirmed Treasury.depositFee log credited to the developer its reference
 * names: one entry per log, keyed by (chainId, txHash, logIndex), so a replayed
 * log, a re-posted transaction hash or the indexer racing the API posts once.
 */
export function depositEntry(input: { chainId: number; txHash: string; logIndex: number; developerId: string; credits: bigint; amountWei: bigint }): EntryDraft {
  const amount = positive(input.credits, "a deposit");
  return checkEntry({
    key: depositKey(input.chainId, input.txHash, input.logIndex),
    kind: "deposit",
    lines: [
      { account: developerAccount(input.developerId), amount },
      { account: CHAIN_DEPOSITS, amount: -amount },
    ],
    memo: { chainId: input.chainId, txHash: input.txHash.toLowerCase(), logIndex: input.logIndex, amountWei: input.amountWei.toString() },
  });
}

/** The ledger key of one FeeDeposited log. */
export function depositKey(chainId: number, txHash: string, logIndex: number): string {
  return `deposit:${chainId}:${txHash.toLowerCase()}:${logIndex}`;
}

/** Intake reserves the quoted price: available → held. */
export function holdEntry(input: { submissionId: string; developerId: string; amount: bigint }): EntryDraft {
  const amount = positive(input.amount, "a hold");
  return checkEntry({
    key: `hold:${input.submissionId}`,
    kind: "hold",
    lines: [
      { account: developerAccount(input.developerId), amount: -amount },
      { account: developerHeldAccount(input.developerId), amount },
    ],
    memo: { submissionId: input.submissionId },
  });
}

/**
 * The outcome takes `captured` of the held amount: the assembly share to the
 * validator rewards pool, the rest to platform revenue; whatever is not
 * captured goes back to the developer in the same entry.
 */
export function captureEntry(input: { submissionId: string; developerId: string; held: bigint; captured: bigint; rewardsShare: bigint; outcome: string }): EntryDraft {
  const held = positive(input.held, "a captured hold");
  if (input.captured < 0n || input.captured > held) throw new LedgerRuleError("capture must be between 0 and the held amount");
  if (input.rewardsShare < 0n || input.rewardsShare > input.captured) throw new LedgerRuleError("the rewards share must be between 0 and the captured amount");
  const revenue = input.captured - input.rewardsShare;
  const refund = held - input.captured;
  const lines: LedgerLine[] = [{ account: developerHeldAccount(input.developerId), amount: -held }];
  if (revenue > 0n) lines.push({ account: PLATFORM_REVENUE, amount: revenue });
  if (input.rewardsShare > 0n) lines.push({ account: VALIDATOR_REWARDS_POOL, amount: input.rewardsShare });
  if (refund > 0n) lines.push({ account: developerAccount(input.developerId), amount: refund });
  return checkEntry({ key: `settle:${input.submissionId}`, kind: "capture", lines, memo: { submissionId: input.submissionId, outcome: input.outcome } });
}

/**
 * A failure of the platform's own making: held → available, nothing charged.
 * Capture and release share the key `settle:<submissionId>`, so the ledger
 * itself guarantees a hold is settled once, one way.
 */
export function releaseEntry(input: { submissionId: string; developerId: string; held: bigint; reason: string }): EntryDraft {
  const amount = positive(input.held, "a released hold");
  return checkEntry({
    key: `settle:${input.submissionId}`,
    kind: "release",
    lines: [
      { account: developerHeldAccount(input.developerId), amount: -amount },
      { account: developerAccount(input.developerId), amount },
    ],
    memo: { submissionId: input.submissionId, reason: input.reason },
  });
}

/**
 * An assembly's settlement in credits (docs/money.md "Validator rewards"): the
 * submission's assembly share leaves the rewards pool whole — each rewarded
 * validator's part to its payable, the rest (bps floor, rounds without a
 * coherent voter) to platform revenue. One entry per assembly: `reward:<assemblyId>`.
 */
export function rewardEntry(input: { assemblyId: string; submissionId: string; share: bigint; rewards: readonly { validatorId: string; amount: bigint }[] }): EntryDraft {
  const share = positive(input.share, "a rewards share");
  const lines: LedgerLine[] = [{ account: VALIDATOR_REWARDS_POOL, amount: -share }];
  let paid = 0n;
  for (const r of input.rewards) {
    if (r.amount <= 0n) continue;
    paid += r.amount;
    lines.push({ account: validatorPayableAccount(r.validatorId), amount: r.amount });
  }
  if (paid > share) throw new LedgerRuleError("rewards exceed the share they are paid from");
  if (share - paid > 0n) lines.push({ account: PLATFORM_REVENUE, amount: share - paid });
  return checkEntry({ key: `reward:${input.assemblyId}`, kind: "reward", lines, memo: { assemblyId: input.assemblyId, submissionId: input.submissionId } });
}

/** A payout credited on chain (Treasury.creditRewards mined and final): payable → on chain, once per payout. */
export function payoutEntry(input: { payoutId: string; validatorId: string; amount: bigint; txHash: string }): EntryDraft {
  const amount = positive(input.amount, "a payout");
  return checkEntry({
    key: `payout:${input.payoutId}`,
    kind: "payout",
    lines: [
      { account: validatorPayableAccount(input.validatorId), amount: -amount },
      { account: validatorOnChainAccount(input.validatorId), amount },
    ],
    memo: { payoutId: input.payoutId, txHash: input.txHash },
  });
}

/** Treasury.withdrawRewards seen by the indexer (RewardsWithdrawn): the credits leave the system, once per log. */
export function withdrawalEntry(input: { chainId: number; txHash: string; logIndex: number; validatorId: string; amount: bigint }): EntryDraft {
  const amount = positive(input.amount, "a withdrawal");
  return checkEntry({
    key: `withdrawal:${input.chainId}:${input.txHash.toLowerCase()}:${input.logIndex}`,
    kind: "withdrawal",
    lines: [
      { account: validatorOnChainAccount(input.validatorId), amount: -amount },
      { account: CHAIN_WITHDRAWALS, amount },
    ],
    memo: { txHash: input.txHash.toLowerCase(), logIndex: input.logIndex },
  });
}
