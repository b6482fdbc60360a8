// Validator rewards in credits (docs/money.md "Validator rewards"). An
// assembly's settlement moves the submission's assembly share out of
// validator_rewards_pool in one entry, `reward:<assemblyId>`: each validator's
// part under the reward rule (splitFeeRewards: coherent voters by seat weight,
// no-shows, void and incoherent seats nothing) to validator_payable:<id>, every
// remainder to platform_revenue.
//
// Two things must exist first: the capture (`settle:<submissionId>`, which put
// the share into the pool) and the assembly's decided record. They are written
// by different transactions (the tally's decision, then the submission's final
// transition), so both call postAssemblyRewardsIn; under a per-submission
// advisory lock the second of them sees the first's commit and posts. The key
// makes every retry, replay or second worker a no-op.
import { AssemblyRecordSchema, parseParams, splitFeeRewards, type AssemblyRecord } from "@assay/assembly";
import type { OperatorValidatorRewards, ValidatorRewards } from "@assay/protocol";
import { NotFoundError } from "../errors";
import type { Repositories, Store } from "../repositories";
import { validatorOnChainAccount, validatorPayableAccount, VALIDATOR_REWARDS_POOL } from "./accounts";
import { rewardEntry } from "./ledger";
import type { LedgerService, PostResult } from "./ledger-service";

/** Serialises the two writers of one submission's reward settlement (the lock name never collides with an account). */
const settlementLock = (submissionId: string) => `reward-settlement:${submissionId}`;

/**
 * Posts the assembly's rewards once both the capture and the decided record
 * exist; null when one is missing (the other writer will post) or the share is 0.
 * Must run inside a transaction.
 */
export async function postAssemblyRewardsIn(ledger: Pick<LedgerService, "postIn">, repos: Repositories, submissionId: string): Promise<PostResult | null> {
  await repos.ledger.lockAccounts([settlementLock(submissionId)]);
  const capture = await repos.ledger.findByKey(`settle:${submissionId}`);
  const share = capture?.kind === "capture" ? (capture.lines.find((l) => l.account === VALIDATOR_REWARDS_POOL)?.amount ?? 0n) : 0n;
  if (share <= 0n) return null;
  const decided = await repos.pricing.decidedAssemblyOf(submissionId);
  if (!decided) return null;
  // The record was built and digested by the tally that stored it; its shape and parameters are checked again here.
  const shape = AssemblyRecordSchema.parse(decided.record);
  const record = { ...(shape as unknown as AssemblyRecord), params: parseParams(shape.params) };
  const split = splitFeeRewards(record, share);
  return ledger.postIn(repos, rewardEntry({ assemblyId: decided.assemblyId, submissionId, share, rewards: split.rewards }));
}

type RewardHistoryItem = ValidatorRewards["history"][number];

export class RewardService {
  constructor(private readonly store: Store) {}

  /** A validator's balances (derived from the ledger) and its latest reward movements, newest first. */
  async forValidator(validatorId: string, limit = 50): Promise<ValidatorRewards> {
    const payableAccount = validatorPayableAccount(validatorId);
    const onChainAccount = validatorOnChainAccount(validatorId);
    const validator = await this.store.repos.rewards.validatorAddress(validatorId);
    if (!validator) throw new NotFoundError("validator_not_found", `no validator ${validatorId}`);
    const ledger = this.store.repos.ledger;
    const balances = await ledger.balances([payableAccount, onChainAccount]);
    const entries = await ledger.statementOf([payableAccount, onChainAccount], Math.min(Math.max(limit, 1), 200));
    const withdrawn = await ledger.sumOfKind(onChainAccount, "withdrawal");
    return {
      validatorId,
      payable: Number(balances.get(payableAccount) ?? 0n),
      onChain: Number(balances.get(onChainAccount) ?? 0n),
      withdrawn: Number(-withdrawn),
      currency: "credits",
      chainAddress: validator.chainAddress,
      history: entries.map((e) => {
        const memo = (e.memo ?? {}) as Record<string, unknown>;
        const text = (v: unknown) => (typeof v === "string" ? v : null);
        const amountOf = (account: string) => Number(e.lines.find((l) => l.account === account)?.amount ?? 0n);
        return {
          entryId: e.id,
          kind: e.kind as RewardHistoryItem["kind"],
          payable: amountOf(payableAccount),
          onChain: amountOf(onChainAccount),
          assemblyId: text(memo.assemblyId),
          submissionId: text(memo.submissionId),
          txHash: text(memo.txHash),
          at: e.createdAt.toISOString(),
        };
      }),
    };
  }

  /** The operators' view: the validator's view and its payouts, oldest first. */
  async forOperator(validatorId: string): Promise<OperatorValidatorRewards> {
    const view = await this.forValidator(validatorId);
    const payouts = await this.store.repos.rewards.payoutsOf(validatorId);
    return {
      ...view,
      payouts: payouts.map((p) => ({
        id: p.id,
        address: p.address,
        amount: Number(p.amount),
        amountWei: p.amountWei.toFixed(),
        status: p.status,
        txHash: p.txHash,
        blockNumber: p.blockNumber === null ? null : Number(p.blockNumber),
        attempts: p.attempts,
        lastError: p.lastError,
        createdAt: p.createdAt.toISOString(),
        confirmedAt: p.confirmedAt?.toISOString() ?? null,
      })),
    };
  }
}
