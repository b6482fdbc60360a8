import { keccak256, parseEther, toHex } from "viem";
import {
  connectChain,
  deployRegistry,
  fetchStakeEvents,
  requireSigner,
  sendContractTransaction,
  validatorRegistryAbi,
  watchStakeEvents,
  withAddresses,
  type DeployedRegistry,
  type SignerRegistryContext,
  type StakeEvent,
} from "../src";
import { DEV_KEYS, startHardhatNode, type HardhatNode } from "./hardhat-node";

jest.setTimeout(60_000);

let node: HardhatNode;
let deployed: DeployedRegistry;
let operator: SignerRegistryContext;
let validator: SignerRegistryContext;

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function registryCall<T extends "stake" | "requestUnstake" | "slash">(functionName: T) {
  return { address: deployed.validatorRegistry, abi: validatorRegistryAbi, functionName } as const;
}

beforeAll(async () => {
  node = await startHardhatNode();
  deployed = await deployRegistry({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[0] });
  operator = requireSigner(withAddresses(await connectChain({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[0], pollingIntervalMs: 50 }), deployed));
  validator = requireSigner(withAddresses(await connectChain({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[1], pollingIntervalMs: 50 }), deployed));
});

afterAll(async () => {
  await node?.stop();
});

describe("stake events", () => {
  it("delivers the backlog and then new events, typed and in chain order", async () => {
    const who = validator.walletClient.account.address;
    await sendContractTransaction(validator, { ...registryCall("stake"), args: [], value: parseEther("3") });

    const seen: StakeEvent[] = [];
    const watcher = watchStakeEvents(operator, deployed.deployedAtBlock, { onEvents: (events) => void seen.push(...events), pollingIntervalMs: 50 });
    try {
      await until(() => seen.length === 1);
      await sendContractTransaction(validator, { ...registryCall("requestUnstake"), args: [parseEther("1")] });
      const reason = keccak256(toHex("no-show"));
      await sendContractTransaction(operator, { ...registryCall("slash"), args: [who, parseEther("0.5"), reason] });
      await until(() => seen.length === 3);

      expect(seen.map((event) => event.kind)).toEqual(["Staked", "UnstakeRequested", "Slashed"]);
      expect(seen[0]).toMatchObject({ kind: "Staked", validator: who, amount: parseEther("3"), activeStake: parseEther("3") });
      expect(seen[1]).toMatchObject({ kind: "UnstakeRequested", amount: parseEther("1"), pendingTotal: parseEther("1") });
      expect(seen[2]).toMatchObject({ kind: "Slashed", validator: who, amount: parseEther("0.5"), reason, slasher: operator.walletClient.account.address });
      const positions = seen.map((event) => event.blockNumber);
      expect([...positions].sort((a, b) => Number(a - b))).toEqual(positions);
    } finally {
      await watcher.stop();
    }
  });

  it("fetches the same events by block range, and nothing outside it", async () => {
    const head = await operator.publicClient.getBlockNumber({ cacheTime: 0 });
    const all = await fetchStakeEvents(operator, deployed.deployedAtBlock, head);
    expect(all.map((event) => event.kind)).toEqual(["Staked", "UnstakeRequested", "Slashed"]);
    expect(await fetchStakeEvents(operator, head + 1n, head + 5n)).toEqual([]);
    expect(await fetchStakeEvents(operator, head, head - 1n)).toEqual([]);
  });

  it("redelivers a range whose handler failed", async () => {
    let calls = 0;
    const errors: unknown[] = [];
    const delivered: StakeEvent[][] = [];
    const watcher = watchStakeEvents(operator, deployed.deployedAtBlock, {
      pollingIntervalMs: 20,
      onError: (error) => errors.push(error),
      onEvents: (events) => {
        calls += 1;
        if (calls === 1) throw new Error("indexer down");
        delivered.push(events);
      },
    });
    try {
      await until(() => delivered.length === 1);
      expect(errors).toHaveLength(1);
      expect(delivered[0]!.map((event) => event.kind)).toEqual(["Staked", "UnstakeRequested", "Slashed"]);
    } finally {
      await watcher.stop();
    }
  });
});
