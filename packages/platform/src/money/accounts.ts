// Ledger account names (docs/money.md). An account is a name, not a row: its
// balance is the sum of its lines. Convention: a line is the signed change of
// its account's balance and every entry's lines sum to zero, so credits that
// enter the system show up as a negative balance on their source account
// (platform_grants, voucher_liability, chain_deposits) and a positive one where
// they sit (developer, developer_held, platform_revenue, validator_*) or where
// they left it (chain_withdrawals).
import { z } from "zod";

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** Platform-wide accounts (one each). */
export const PLATFORM_REVENUE = "platform_revenue";
/** Source of credits an operator grants (prepaid credits). */
export const PLATFORM_GRANTS = "platform_grants";
/** The assembly share of captured fees, waiting for settlement to move it to validators' payables. */
export const VALIDATOR_REWARDS_POOL = "validator_rewards_pool";
/** Source of credits redeemed from vouchers. */
export const VOUCHER_LIABILITY = "voucher_liability";
/** Source of credits deposited on chain (Treasury.depositFee). */
export const CHAIN_DEPOSITS = "chain_deposits";
/** Sink of credits that left the system: rewards a validator withdrew from the Treasury (RewardsWithdrawn). Only grows. */
export const CHAIN_WITHDRAWALS = "chain_withdrawals";

export const developerAccount = (developerId: string) => `developer:${developerId.toLowerCase()}`;
/** Credits reserved for a submission in flight (a hold), per developer. */
export const developerHeldAccount = (developerId: string) => `developer_held:${developerId.toLowerCase()}`;
export const validatorPayableAccount = (validatorId: string) => `validator_payable:${validatorId.toLowerCase()}`;
/** Rewards credited to the validator's address on the Treasury (creditRewards mined and final), not yet withdrawn: mirrors Treasury.rewardsOf. */
export const validatorOnChainAccount = (validatorId: string) => `validator_onchain:${validatorId.toLowerCase()}`;

const ACCOUNT = new RegExp(
  `^(?:${[PLATFORM_REVENUE, PLATFORM_GRANTS, VALIDATOR_REWARDS_POOL, VOUCHER_LIABILITY, CHAIN_DEPOSITS, CHAIN_WITHDRAWALS].join("|")}|(?:developer|developer_held|validator_payable|validator_onchain):${UUID})$`,
);
export const AccountSchema = z.string().regex(ACCOUNT, "not a ledger account");

/**
 * Accounts that hold someone's credits and therefore may never go below zero:
 * a posting that would overdraw one is refused (PaymentRequiredError). The
 * source accounts are the only ones that go negative, by construction.
 */
export function isGuardedAccount(account: string): boolean {
  return (
    account.startsWith("developer:") ||
    account.startsWith("developer_held:") ||
    account.startsWith("validator_payable:") ||
    account.startsWith("validator_onchain:") ||
    account === VALIDATOR_REWARDS_POOL ||
    account === PLATFORM_REVENUE
  );
}
