// The stake indexer against a real `npx hardhat node` and a fresh database:
// stake events become per-address stakes (and a validator's stake when it
// declared that address), replaying a block range counts nothing twice, and a
// restarted indexer resumes at its cursor.
import { applyStakeEvent, createPlatform, StakeIndexerService, StakeRepository, ZERO_STAKE, type Platform, type StakeTotals } from "@assay/platform";
import { connectChain, requireSigner, sendContractTransaction, validatorRegistryAbi, withAddresses, type SignerRegistryContext, type StakeEvent } from "@assay/chain";
import { keccak256, parseEther, toHex } from "viem";
import fc from "fast-check";
import { createTestEnv, type TestEnv } from "./helpers";
import { DEV_KEYS, NO_QUEUE, startTestChain, type TestChain } from "./chain-helpers";

jest.setTimeout(120_000);

let chain: TestChain;
let env: TestEnv;
let platform: Platform;
let operator: SignerRegistryContext;
let staker: SignerRegistryContext;

const indexer = () =>
  new StakeIndexerService(new StakeRepository(platform.db), platform.chain!, { registry: chain.deployed.validatorRegistry, startBlock: chain.deployed.deployedAtBlock });

beforeAll(async () => {
  chain = await startTestChain();
  env = createTestEnv(chain.env);
  platform = await createPlatform(env.config.app, { publisher: NO_QUEUE });
  operator = requireSigner(withAddresses(await connectChain({ rpcUrl: chain.node.rpcUrl, privateKey: DEV_KEYS[0], pollingIntervalMs: 50 }), chain.deployed));
  staker = requireSigner(withAddresses(await connectChain({ rpcUrl: chain.node.rpcUrl, privateKey: DEV_KEYS[1], pollingIntervalMs: 50 }), chain.deployed));
});

afterAll(async () => {
  await platform?.close();
  await env?.cleanup();
  await chain?.stop();
});

const registry = () => ({ address: chain.deployed.validatorRegistry, abi: validatorRegistryAbi });

async function stakeOf(address: string) {
  const row = await new StakeRepository(platform.db).stakeOf(address);
  return row ? { active: BigInt(row.active.toFixed()), pending: BigInt(row.pending.toFixed()), slashed: BigInt(row.slashed.toFixed()) } : null;
}

describe("stake indexer", () => {
  it("indexes stake, unstake request and slash; a validator with that address gets the stake (gwei)", async () => {
    const who = staker.walletClient.account.address;
    const validator = await platform.db.validator.create({
      data: { publicKey: "indexer-test-key", kind: "person", stake: 0n, reputationBps: 5_000, chainAddress: who.toLowerCase() },
    });
    await sendContractTransaction(staker, { ...registry(), functionName: "stake", args: [], value: parseEther("3") });
    await sendContractTransaction(staker, { ...registry(), functionName: "requestUnstake", args: [parseEther("1")] });
    await sendContractTransaction(operator, { ...registry(), functionName: "slash", args: [who, parseEther("2.5"), keccak256(toHex("no-show"))] });

    expect(await indexer().syncToHead()).toBe(3);
    // Slash takes active first (2 ETH), then 0.5 from pending, as the contract does.
    expect(await stakeOf(who)).toEqual({ active: 0n, pending: parseEther("0.5"), slashed: parseEther("2.5") });
    await sendContractTransaction(staker, { ...registry(), functionName: "stake", args: [], value: parseEther("1.25") });
    expect(await indexer().syncToHead()).toBe(1);
    expect((await stakeOf(who))!.active).toBe(parseEther("1.25"));
    expect((await platform.db.validator.findUniqueOrThrow({ where: { id: validator.id } })).stake).toBe(1_250_000_000n);
  });

  it("replaying the same block range twice counts nothing twice", async () => {
    const head = await platform.chain!.head();
    const before = await stakeOf(staker.walletClient.account.address);
    const count = await new StakeRepository(platform.db).eventCount(31337);
    for (let i = 0; i < 2; i += 1) {
      const report = await indexer().indexRange(chain.deployed.deployedAtBlock, head);
      expect(report).toMatchObject({ events: 4, applied: 0 });
    }
    expect(await new StakeRepository(platform.db).eventCount(31337)).toBe(count);
    expect(await stakeOf(staker.walletClient.account.address)).toEqual(before);
  });

  it("a restarted indexer resumes from its cursor: only new events are read and applied", async () => {
    const service = indexer();
    const cursor = await new StakeRepository(platform.db).cursor(await service.cursorName());
    expect(cursor).toBe((await platform.chain!.head()) + 1n);
    expect(await indexer().syncOnce()).toBeNull();
    await sendContractTransaction(staker, { ...registry(), functionName: "stake", args: [], value: parseEther("0.75") });
    const report = await indexer().syncOnce();
    expect(report).toMatchObject({ fromBlock: cursor, events: 1, applied: 1 });
    expect((await stakeOf(staker.walletClient.account.address))!.active).toBe(parseEther("2"));
  });

  it("two indexers at once store each event once", async () => {
    await sendContractTransaction(staker, { ...registry(), functionName: "stake", args: [], value: parseEther("1") });
    const results = await Promise.allSettled([indexer().syncToHead(), indexer().syncToHead()]);
    const applied = results.map((r) => (r.status === "fulfilled" ? r.value : 0)).reduce((a, b) => a + b, 0);
    expect(applied).toBe(1);
    await indexer().syncToHead();
    expect((await stakeOf(staker.walletClient.account.address))!.active).toBe(parseEther("3"));
  });
});

describe("applyStakeEvent (pure)", () => {
  const position = { blockNumber: 1n, logIndex: 0, transactionHash: `0x${"a".repeat(64)}` as const, validator: `0x${"1".repeat(40)}` as const };
  it("never takes a slash from pending before active is empty, and conserves stake", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 21n }), fc.bigInt({ min: 0n, max: 10n ** 21n }), fc.bigInt({ min: 0n, max: 2n * 10n ** 21n }), (active, pending, wanted) => {
        const amount = wanted > active + pending ? active + pending : wanted;
        const before: StakeTotals = { ...ZERO_STAKE, active, pending };
        const after = applyStakeEvent(before, { ...position, kind: "Slashed", amount, reason: `0x${"0".repeat(64)}`, slasher: position.validator } as StakeEvent);
        expect(after.active + after.pending + after.slashed).toBe(active + pending);
        expect(after.pending < pending ? after.active === 0n : true).toBe(true);
        expect(after.active >= 0n && after.pending >= 0n).toBe(true);
      }),
    );
  });
});
