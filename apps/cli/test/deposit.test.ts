// `assay credits deposit` end to end: against a real `npx hardhat node`, a real
// API (chain on, 2 confirmations) and a fresh database, the CLI calls
// Treasury.depositFee with the developer's reference signed by a local key,
// waits for the confirmations (the test mines blocks meanwhile) and reports the
// credit; claiming the same transaction again with --tx credits nothing more.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { deployRegistry, type DeployedRegistry } from "@assay/chain";
import { createTestEnvironment, type JobPublisher, type TestEnvironment } from "@assay/platform";
import { createApp, type ApiApp } from "@assay/api";
import { DepositClaimSchema, depositReference } from "@assay/protocol";
import { DEV_KEYS, startHardhatNode, type HardhatNode } from "../../../packages/chain/test/hardhat-node";
import { removeTempDirs, runCli, tempDir, type CliResult } from "./helpers";

jest.setTimeout(180_000);

const NO_QUEUE: JobPublisher = { publish: () => Promise.reject(new Error("no queues here")), ping: () => Promise.resolve(true), close: () => Promise.resolve() };

let node: HardhatNode;
let deployed: DeployedRegistry;
let env: TestEnvironment;
let app: ApiApp;
let url: string;
let apiKey: string;
let developerId: string;
let home: string;

beforeAll(async () => {
  node = await startHardhatNode();
  deployed = await deployRegistry({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[0] });
  env = createTestEnvironment({
    ASSAY_CHAIN_ENABLED: "true",
    ASSAY_CHAIN_RPC_URL: node.rpcUrl,
    ASSAY_CHAIN_REGISTRY: deployed.certificateRegistry,
    ASSAY_CHAIN_VALIDATOR_REGISTRY: deployed.validatorRegistry,
    ASSAY_CHAIN_TREASURY: deployed.treasury,
    ASSAY_CHAIN_DEPLOYED_AT_BLOCK: String(deployed.deployedAtBlock),
    ASSAY_DEPOSIT_CONFIRMATIONS: "2",
  });
  app = await createApp(env.config, { publisher: NO_QUEUE });
  await app.app.listen(0, "127.0.0.1");
  url = `http://127.0.0.1:${(app.app.getHttpServer().address() as AddressInfo).port}`;
  const developer = await app.platform.developers.create({ email: `cli-deposit-${Date.now()}@example.com`, name: "CLI Deposit" });
  developerId = developer.id;
  apiKey = (await app.platform.apiKeys.create(developer.id, "cli")).key;
  home = tempDir("assay-home-");
});

afterAll(async () => {
  await app?.close();
  await env?.cleanup();
  await node?.stop();
  removeTempDirs();
});

const assay = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
  runCli(args, { env: { HOME: home, XDG_CONFIG_HOME: "", NO_COLOR: "1", ASSAY_API_URL: url, ASSAY_API_KEY: apiKey, ASSAY_CHAIN_RPC_URL: "", ASSAY_DEPOSIT_PRIVATE_KEY: "", ...extraEnv } });

async function mineOne(): Promise<void> {
  await fetch(node.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] }) });
}

it("assay credits deposit --amount N deposits with a local key and is credited once after the confirmations", async () => {
  // The chain has no other traffic: keep mining so the deposit gets its second confirmation.
  const miner = setInterval(() => void mineOne(), 700);
  let result: CliResult;
  try {
    result = await assay(["credits", "deposit", "--amount", "25", "--json"], { ASSAY_DEPOSIT_PRIVATE_KEY: DEV_KEYS[1] });
  } finally {
    clearInterval(miner);
  }
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const claim = DepositClaimSchema.parse(JSON.parse(result.stdout));
  expect(claim).toMatchObject({ status: "confirmed", required: 2, credited: 25, balance: { available: 25, held: 0, currency: "credits" } });
  expect(claim.deposits).toEqual([expect.objectContaining({ reference: depositReference(developerId), amountWei: (25n * 1_000_000_000_000n).toString(), mine: true, status: "credited" })]);

  // The same transaction claimed again (a key in a file this time is not needed: --tx sends nothing).
  const again = await assay(["credits", "deposit", "--tx", claim.txHash]);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/credited 25 credits .*; 25 available/);
  expect(await app.platform.ledger.developerBalance(developerId)).toEqual({ available: 25, held: 0, currency: "credits" });
});

it("reads the key from --key-file; refuses a missing or malformed key and bad amounts (exit 2)", async () => {
  const keyFile = join(home, "deposit.key");
  writeFileSync(keyFile, `${DEV_KEYS[2]}\n`, { mode: 0o600 });
  const pending = await assay(["credits", "deposit", "--amount", "3", "--key-file", keyFile, "--no-wait", "--json"]);
  expect(pending.code).toBe(0);
  expect(JSON.parse(pending.stdout)).toMatchObject({ status: "pending", confirmations: 1, required: 2, credited: 0 });

  const noKey = await assay(["credits", "deposit", "--amount", "3"]);
  expect(noKey.code).toBe(2);
  expect(noKey.stderr).toMatch(/ASSAY_DEPOSIT_PRIVATE_KEY/);
  expect((await assay(["credits", "deposit", "--amount", "3"], { ASSAY_DEPOSIT_PRIVATE_KEY: "0x1234" })).code).toBe(2);
  for (const amount of ["0", "-1", "1.5", "lots"]) expect((await assay(["credits", "deposit", "--amount", amount], { ASSAY_DEPOSIT_PRIVATE_KEY: DEV_KEYS[1] })).code).toBe(2);
  expect((await assay(["credits", "deposit"])).code).toBe(2);
});

it("exits 1 when the operators have switched deposits off", async () => {
  await app.platform.paymentMethods.set({ deposits: false }, "test");
  try {
    const refused = await assay(["credits", "deposit", "--amount", "1"], { ASSAY_DEPOSIT_PRIVATE_KEY: DEV_KEYS[1] });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/switched off/);
  } finally {
    await app.platform.paymentMethods.set({ deposits: true }, "test");
  }
});
