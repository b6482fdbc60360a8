// The worker's chain loop credits on-chain deposits (docs/money.md "On-chain
// deposits") against a real `hardhat node` and a fresh database: a
// Treasury.depositFee with a developer's reference is credited by the loop
// once it has ASSAY_DEPOSIT_CONFIRMATIONS blocks, exactly once however often
// the loop runs, by two worker processes at once, or after a restart from a
// cursor set back to block 0.
import { createPlatform, DepositIndexerService, type Platform } from "@assay/platform";
import { connectChain, depositFee, requireSigner, withAddresses, type SignerRegistryContext } from "@assay/chain";
import { depositReference } from "@assay/protocol";
import { ChainLoops } from "../src/chain/chain-loops";
import { createTestEnv, type TestEnv } from "./helpers";
import { DEV_KEYS, NO_QUEUE, rpc, startTestChain, type TestChain } from "./chain-helpers";

jest.setTimeout(120_000);

let chain: TestChain;
let env: TestEnv;
let platform: Platform;
let second: Platform;
let payer: SignerRegistryContext;

beforeAll(async () => {
  chain = await startTestChain({ ASSAY_DEPOSIT_CONFIRMATIONS: "2" });
  env = createTestEnv(chain.env);
  platform = await createPlatform(env.config.app, { publisher: NO_QUEUE, chainSigner: true });
  second = await createPlatform(env.config.app, { publisher: NO_QUEUE, chainSigner: true });
  payer = requireSigner(withAddresses(await connectChain({ rpcUrl: chain.node.rpcUrl, privateKey: DEV_KEYS[1], pollingIntervalMs: 50 }), chain.deployed));
});

afterAll(async () => {
  await second?.close();
  await platform?.close();
  await env?.cleanup();
  await chain?.stop();
});

it("the chain loop credits a deposit once after the confirmations, with two workers running and after a replay from block 0", async () => {
  const developer = await platform.developers.create({ email: "deposit-loop@example.test", name: "Deposit loop" });
  const loops = [ChainLoops.forPlatform(platform, () => undefined)!, ChainLoops.forPlatform(second, () => undefined)!];
  expect(loops.every((l) => l.depositIndexer !== null)).toBe(true);
  await Promise.all(loops.map((l) => l.runOnce()));

  await depositFee(payer, depositReference(developer.id), 60n * 1_000_000_000_000n);
  // One confirmation: not yet.
  await Promise.all(loops.map((l) => l.runOnce()));
  expect((await platform.ledger.developerBalance(developer.id)).available).toBe(0);

  await rpc(chain.node.rpcUrl, "evm_mine");
  const reports = await Promise.all(loops.map((l) => l.runOnce()));
  for (const report of reports) expect(report.deposits).not.toHaveProperty("error");
  // Whichever worker reads the range first records it; the other records nothing.
  await Promise.all(loops.map((l) => l.runOnce()));
  expect((await platform.ledger.developerBalance(developer.id)).available).toBe(60);
  expect(await platform.store.repos.deposits.count()).toBe(1);

  // A restart that replays from block 0 (the cursor set back) credits nothing more.
  await loops[0]!.depositIndexer!.rewindTo(0n);
  const replay = new DepositIndexerService(platform.store, platform.deposits, platform.chain!, { startBlock: 0n }, platform.paymentMethods);
  expect(await replay.syncToHead()).toBe(0);
  await loops[1]!.runOnce();
  expect((await platform.ledger.developerBalance(developer.id)).available).toBe(60);
  expect(await platform.db.ledgerEntry.count({ where: { kind: "deposit" } })).toBe(1);
});
