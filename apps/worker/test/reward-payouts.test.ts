// Validator rewards on chain (docs/money.md "Validator rewards") against a real
// `npx hardhat node` and a fresh database: the worker's chain loop credits a
// validator's payable on the Treasury (creditRewards) and moves it payable →
// on chain once; a crash between recording the signed transaction and
// broadcasting it re-broadcasts the same bytes (one credit, not two); the
// validator withdraws (withdrawRewards) and the indexer books it once, also
// when replayed from block 0; ledger and chain agree at every step.
import { randomUUID } from "node:crypto";
import { connectChain, requireSigner, sendContractTransaction, treasuryAbi, withAddresses, type SignerRegistryContext } from "@assay/chain";
import {
  captureEntry,
  CHAIN_WITHDRAWALS,
  createPlatform,
  grantEntry,
  holdEntry,
  rewardEntry,
  RewardPayoutService,
  validatorOnChainAccount,
  validatorPayableAccount,
  type Platform,
} from "@assay/platform";
import { parseEther, type Hex } from "viem";
import { ChainLoops } from "../src/chain/chain-loops";
import { createTestEnv, type TestEnv } from "./helpers";
import { DEV_KEYS, NO_QUEUE, startTestChain, type TestChain } from "./chain-helpers";

jest.setTimeout(180_000);

const WEI_PER_CREDIT = 1_000_000_000_000n;

let chain: TestChain;
let env: TestEnv;
let platform: Platform;
let validatorKey: SignerRegistryContext;
let funder: SignerRegistryContext;
let developerId: string;
let validatorId: string;
let unboundId: string;
let address: string;

const payouts = () =>
  new RewardPayoutService(platform.store, platform.ledger, platform.chain!, { weiPerCredit: WEI_PER_CREDIT, receiptTimeoutMs: 30_000, startBlock: chain.deployed.deployedAtBlock, confirmations: 1 });

/** An assembly's settlement as the ledger sees it: a captured fee whose assembly share goes to the given payables. */
async function settleReward(rewards: { validatorId: string; amount: bigint }[], share: bigint): Promise<void> {
  const submissionId = randomUUID();
  const fee = share + 10n;
  await platform.ledger.post(grantEntry({ requestKey: `payout-test-${submissionId}`, developerId, amount: fee, actor: "test" }));
  await platform.ledger.post(holdEntry({ submissionId, developerId, amount: fee }));
  await platform.ledger.post(captureEntry({ submissionId, developerId, held: fee, captured: fee, rewardsShare: share, outcome: "certified" }));
  await platform.ledger.post(rewardEntry({ assemblyId: randomUUID(), submissionId, share, rewards }));
}

async function balance(account: string): Promise<bigint> {
  return (await platform.store.repos.ledger.balances([account])).get(account) ?? 0n;
}

async function rewardsOnChain(): Promise<bigint> {
  return platform.chain!.rewardsOf(address);
}

beforeAll(async () => {
  chain = await startTestChain({ ASSAY_CHAIN_WEI_PER_CREDIT: String(WEI_PER_CREDIT) });
  env = createTestEnv(chain.env);
  platform = await createPlatform(env.config.app, { publisher: NO_QUEUE, chainSigner: true });
  validatorKey = requireSigner(withAddresses(await connectChain({ rpcUrl: chain.node.rpcUrl, privateKey: DEV_KEYS[1], pollingIntervalMs: 50 }), chain.deployed));
  funder = requireSigner(withAddresses(await connectChain({ rpcUrl: chain.node.rpcUrl, privateKey: DEV_KEYS[2], pollingIntervalMs: 50 }), chain.deployed));
  address = validatorKey.walletClient.account.address.toLowerCase();
  developerId = (await platform.developers.create({ email: `payouts-${randomUUID()}@example.test`, name: "Payouts" })).id;
  validatorId = (await platform.db.validator.create({ data: { publicKey: `payout-key-${randomUUID()}`, kind: "agent", stake: 1n, reputationBps: 5_000, chainAddress: address } })).id;
  unboundId = (await platform.db.validator.create({ data: { publicKey: `payout-key-${randomUUID()}`, kind: "agent", stake: 1n, reputationBps: 5_000 } })).id;
  // The Treasury holds fees (here a plain transfer: receive() adds to unallocated); creditRewards can only allocate what it holds.
  const hash = await funder.walletClient.sendTransaction({ account: funder.walletClient.account, chain: funder.chain, to: chain.deployed.treasury as Hex, value: parseEther("1") });
  await funder.publicClient.waitForTransactionReceipt({ hash });
});

afterAll(async () => {
  await platform?.close();
  await env?.cleanup();
  await chain?.stop();
});

it("the chain loop credits the payable on the Treasury once; ledger and chain agree; an unbound validator's payable waits", async () => {
  await settleReward([{ validatorId, amount: 25n }, { validatorId: unboundId, amount: 5n }], 40n);
  expect(await balance(validatorPayableAccount(validatorId))).toBe(25n);

  const loops = ChainLoops.forPlatform(platform, () => undefined)!;
  try {
    const run = await loops.runOnce();
    expect(run.anchor).toMatchObject({ leased: true, paidOut: 1, failed: 0 });
  } finally {
    await loops.stop();
  }
  expect(await balance(validatorPayableAccount(validatorId))).toBe(0n);
  expect(await balance(validatorOnChainAccount(validatorId))).toBe(25n);
  expect(await rewardsOnChain()).toBe(25n * WEI_PER_CREDIT);
  expect(await payouts().reconcile(validatorId)).toMatchObject({ agree: true, ledgerWei: 25n * WEI_PER_CREDIT });
  // No chain address: nothing is sent, the credits stay payable.
  expect(await balance(validatorPayableAccount(unboundId))).toBe(5n);
  expect(await platform.store.repos.rewards.payoutsOf(unboundId)).toEqual([]);

  // Another run: nothing more to pay, nothing sent.
  expect(await payouts().runOnce()).toEqual({ prepared: 0, confirmed: 0, failed: 0 });
  expect(await rewardsOnChain()).toBe(25n * WEI_PER_CREDIT);
  const [payout] = await platform.store.repos.rewards.payoutsOf(validatorId);
  expect(payout).toMatchObject({ status: "confirmed", amount: 25n, serialized: null });
  expect(await platform.store.repos.ledger.findByKey(`payout:${payout!.id}`)).toMatchObject({ kind: "payout" });
  const receipt = await funder.publicClient.getTransactionReceipt({ hash: payout!.txHash as Hex });
  console.log(`creditRewards for one recipient: ${receipt.gasUsed} gas`);
});

it("a crash between recording the signed creditRewards and broadcasting it: the retry sends the same bytes, one credit", async () => {
  await settleReward([{ validatorId, amount: 7n }], 7n);
  const service = payouts();
  const [id] = await service.preparePayouts();
  const payout = (await platform.store.repos.rewards.findPayout(id!))!;
  expect(payout.amount).toBe(7n);
  // What settle does up to the broadcast, then "the process dies".
  const signed = await platform.chain!.signCreditRewards(payout.address, 7n * WEI_PER_CREDIT);
  await platform.store.repos.rewards.markPayoutSent(payout.id, signed);
  expect(await platform.chain!.transactionKnown(signed.txHash)).toBe(false);

  // Two retries (a restarted worker, then another run): one transaction, confirmed once.
  const report = { prepared: 0, confirmed: 0, failed: 0 };
  await service.settle(payout.id, report);
  await service.settle(payout.id, report);
  expect(report).toEqual({ prepared: 0, confirmed: 1, failed: 0 });
  expect((await platform.store.repos.rewards.findPayout(payout.id))!).toMatchObject({ status: "confirmed", txHash: signed.txHash });
  expect(await rewardsOnChain()).toBe(32n * WEI_PER_CREDIT);
  expect(await balance(validatorOnChainAccount(validatorId))).toBe(32n);
  expect(await balance(validatorPayableAccount(validatorId))).toBe(0n);
});

it("a withdrawal on chain is booked once, also when the indexer replays from block 0; ledger and chain agree", async () => {
  const withdrawnBefore = await balance(CHAIN_WITHDRAWALS);
  const withdrawn = await sendContractTransaction(validatorKey, { address: chain.deployed.treasury as Hex, abi: treasuryAbi, functionName: "withdrawRewards", args: [] });
  expect(await rewardsOnChain()).toBe(0n);
  console.log(`withdrawRewards: ${(await funder.publicClient.getTransactionReceipt({ hash: withdrawn.transactionHash })).gasUsed} gas`);

  const service = payouts();
  let posted = 0;
  for (let report = await service.syncWithdrawals(); report; report = await service.syncWithdrawals()) posted += report.posted;
  expect(posted).toBe(1);
  expect(await balance(validatorOnChainAccount(validatorId))).toBe(0n);
  expect((await balance(CHAIN_WITHDRAWALS)) - withdrawnBefore).toBe(32n);
  expect(await service.reconcile(validatorId)).toMatchObject({ agree: true, ledgerWei: 0n, chainWei: 0n });

  // Replays: the whole chain from block 0, twice, and two indexers at once.
  const entries = await platform.store.repos.ledger.entryCount();
  const head = await platform.chain!.head();
  for (let i = 0; i < 2; i += 1) expect(await service.indexWithdrawals(0n, head)).toMatchObject({ events: 1, posted: 0, unmatched: 0 });
  const concurrent = await Promise.all([payouts().indexWithdrawals(0n, head), payouts().indexWithdrawals(0n, head)]);
  expect(concurrent.map((r) => r!.posted)).toEqual([0, 0]);
  expect(await platform.store.repos.ledger.entryCount()).toBe(entries);
  expect(await platform.store.repos.rewards.withdrawalsOf(address)).toHaveLength(1);
  expect(await platform.store.repos.ledger.unbalancedEntries()).toEqual([]);

  // The validator's view on the agent plane's service: nothing owed, nothing on chain, 32 withdrawn; newest first.
  const view = await platform.rewards.forValidator(validatorId);
  expect(view).toMatchObject({ payable: 0, onChain: 0, withdrawn: 32, chainAddress: address });
  expect(view.history.map((h) => [h.kind, h.payable, h.onChain])).toEqual([
    ["withdrawal", 0, -32],
    ["payout", -7, 7],
    ["reward", 7, 0],
    ["payout", -25, 25],
    ["reward", 25, 0],
  ]);
});

it("a withdrawal indexed before its payout's confirmation waits at its block; once the payout confirms it is booked", async () => {
  await settleReward([{ validatorId, amount: 4n }], 4n);
  const service = payouts();
  // The payout is mined, but the worker "dies" before confirming it in the database.
  const [id] = await service.preparePayouts();
  const signed = await platform.chain!.signCreditRewards(address, 4n * WEI_PER_CREDIT);
  await platform.store.repos.rewards.markPayoutSent(id!, signed);
  await platform.chain!.broadcast(signed.serialized);
  await platform.chain!.waitForReceipt(signed.txHash, 30_000);
  await sendContractTransaction(validatorKey, { address: chain.deployed.treasury as Hex, abi: treasuryAbi, functionName: "withdrawRewards", args: [] });
  const withdrawalBlock = await platform.chain!.head();

  // The indexer sees a withdrawal the ledger has not credited yet: it stops before that block, books nothing.
  const early = await service.syncWithdrawals();
  expect(early).toMatchObject({ posted: 0, unmatched: 0, throughBlock: withdrawalBlock - 1n });
  expect(await balance(validatorOnChainAccount(validatorId))).toBe(0n);
  expect(await service.syncWithdrawals()).toMatchObject({ posted: 0, throughBlock: withdrawalBlock - 1n });

  // The payout loop confirms it (found mined by its recorded hash), then the indexer books the withdrawal.
  expect(await service.runOnce()).toEqual({ prepared: 0, confirmed: 1, failed: 0 });
  expect(await balance(validatorOnChainAccount(validatorId))).toBe(4n);
  const late = await service.syncWithdrawals();
  expect(late).toMatchObject({ posted: 1, unmatched: 0 });
  expect(await balance(validatorOnChainAccount(validatorId))).toBe(0n);
  expect(await service.reconcile(validatorId)).toMatchObject({ agree: true, chainWei: 0n });
  expect(await platform.rewards.forValidator(validatorId)).toMatchObject({ payable: 0, onChain: 0, withdrawn: 36 });
});

it("a withdrawal the ledger never credited (another distributor, an unbound address) is stored as unmatched and posts nothing", async () => {
  const stranger = funder.walletClient.account.address;
  const platformKey = requireSigner(withAddresses(await connectChain({ rpcUrl: chain.node.rpcUrl, privateKey: DEV_KEYS[0], pollingIntervalMs: 50 }), chain.deployed));
  await sendContractTransaction(platformKey, { address: chain.deployed.treasury as Hex, abi: treasuryAbi, functionName: "creditRewards", args: [[stranger], [WEI_PER_CREDIT * 3n]] });
  await sendContractTransaction(funder, { address: chain.deployed.treasury as Hex, abi: treasuryAbi, functionName: "withdrawRewards", args: [] });
  const entries = await platform.store.repos.ledger.entryCount();
  const service = payouts();
  let unmatched = 0;
  for (let report = await service.syncWithdrawals(); report; report = await service.syncWithdrawals()) unmatched += report.unmatched;
  expect(unmatched).toBe(1);
  expect(await platform.store.repos.ledger.entryCount()).toBe(entries);
  expect(await platform.store.repos.rewards.withdrawalsOf(stranger)).toEqual([expect.objectContaining({ status: "unmatched", validatorId: null, entryId: null })]);
});
