// On-chain deposits (issue 9, docs/money.md "On-chain deposits") against a real
// `npx hardhat node`, the real API and a fresh PostgreSQL database: a developer
// calls Treasury.depositFee with their reference; the deposit indexer and
// `POST /v1/developer/deposits` credit it once after ASSAY_DEPOSIT_CONFIRMATIONS
// blocks — also when the indexer is replayed from block 0, when the same hash
// is posted again, concurrently and racing the indexer, and across a reorg
// (evm_snapshot / evm_revert) that moves the transaction to another block.
// A deposit whose reference names no developer is recorded and credits nobody;
// the operators' switch turns the route off (403) and pauses the indexer.
import { connectChain, deployRegistry, depositFee, requireSigner, treasuryAbi, withAddresses, type DeployedRegistry, type SignerRegistryContext } from "@assay/chain";
import { depositKey, DepositIndexerService, CHAIN_DEPOSITS, developerAccount } from "@assay/platform";
import { depositReference, DepositClaimSchema, DepositInfoSchema } from "@assay/protocol";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { encodeFunctionData, keccak256, toHex, type Hash, type Hex } from "viem";
import { contractRoutes } from "../src/openapi";
import { DEV_KEYS, startHardhatNode, type HardhatNode } from "../../../packages/chain/test/hardhat-node";
import { conformanceProblems } from "./contract/conformance";
import { credentialsFor, startApi, type TestApi } from "./helpers";

jest.setTimeout(180_000);

const CONFIRMATIONS = 3;
const WEI_PER_CREDIT = 1_000_000_000_000n; // the default: 1 ETH = 1,000,000 credits

let node: HardhatNode;
let deployed: DeployedRegistry;
let t: TestApi;
let creds: Awaited<ReturnType<typeof credentialsFor>>;
let payer: SignerRegistryContext;
let indexer: DepositIndexerService;

async function rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(node.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}
const mine = (blocks: number) => rpc("hardhat_mine", [toHex(blocks)]);

/** depositFee(reference) with `credits` worth of wei; returns the mined hash. */
async function deposit(reference: Hex, credits: bigint, extraWei = 0n): Promise<Hash> {
  return (await depositFee(payer, reference, credits * WEI_PER_CREDIT + extraWei)).transactionHash;
}

/** A signed depositFee transaction that can be broadcast again after a revert (same hash). */
async function signedDeposit(reference: Hex, wei: bigint): Promise<{ raw: Hex; hash: Hash }> {
  const wallet = payer.walletClient;
  const request = await wallet.prepareTransactionRequest({
    account: wallet.account,
    chain: payer.chain,
    to: deployed.treasury as Hex,
    data: encodeFunctionData({ abi: treasuryAbi, functionName: "depositFee", args: [reference] }),
    value: wei,
  });
  const raw = await wallet.signTransaction(request as never);
  return { raw, hash: keccak256(raw) };
}

const claim = (txHash: string, token = creds.apiKey) => t.call("POST", "/v1/developer/deposits", { token, json: { txHash } });
const balance = async (developerId = creds.developer.id) => (await t.platform.ledger.developerBalance(developerId)).available;
const entriesOf = (chainId: number, hash: string) => t.platform.db.ledgerEntry.count({ where: { idempotencyKey: { startsWith: `deposit:${chainId}:${hash.toLowerCase()}:` } } });

beforeAll(async () => {
  node = await startHardhatNode();
  deployed = await deployRegistry({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[0] });
  t = await startApi({
    ASSAY_CHAIN_ENABLED: "true",
    ASSAY_CHAIN_RPC_URL: node.rpcUrl,
    ASSAY_CHAIN_REGISTRY: deployed.certificateRegistry,
    ASSAY_CHAIN_VALIDATOR_REGISTRY: deployed.validatorRegistry,
    ASSAY_CHAIN_TREASURY: deployed.treasury,
    ASSAY_CHAIN_DEPLOYED_AT_BLOCK: String(deployed.deployedAtBlock),
    ASSAY_DEPOSIT_CONFIRMATIONS: String(CONFIRMATIONS),
  });
  creds = await credentialsFor(t);
  payer = requireSigner(withAddresses(await connectChain({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[1], pollingIntervalMs: 50 }), deployed));
  indexer = new DepositIndexerService(t.platform.store, t.platform.deposits, t.platform.chain!, { startBlock: deployed.deployedAtBlock }, t.platform.paymentMethods);
});

afterAll(async () => {
  await t?.close();
  await node?.stop();
});

const route = (method: string, path: string) => contractRoutes().find((r) => r.method === method && r.path === path)!;

describe("on-chain deposits", () => {
  it("GET /v1/developer/deposits gives the Treasury, the reference, the rate and the confirmations", async () => {
    const answer = await t.call("GET", "/v1/developer/deposits", { token: creds.apiKey });
    expect(answer.status).toBe(200);
    expect(DepositInfoSchema.parse(answer.body)).toEqual({
      enabled: true,
      chainId: 31337,
      treasury: deployed.treasury.toLowerCase(),
      reference: depositReference(creds.developer.id),
      weiPerCredit: WEI_PER_CREDIT.toString(),
      confirmations: CONFIRMATIONS,
      deposits: [],
    });
    expect(conformanceProblems(route("get", "/v1/developer/deposits"), answer)).toEqual([]);
  });

  it("credits a deposit once after the confirmations: pending, then credited by the indexer; posting it again credits nothing more", async () => {
    const before = await balance();
    const hash = await deposit(depositReference(creds.developer.id), 250n, 123n); // 123 wei of dust stay in the Treasury
    const pending = await claim(hash);
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ txHash: hash.toLowerCase(), status: "pending", confirmations: 1, required: CONFIRMATIONS, deposits: [], credited: 0 });
    expect(conformanceProblems(route("post", "/v1/developer/deposits"), pending)).toEqual([]);
    // Not yet confirmed: the indexer does not read the block at all.
    await indexer.syncToHead();
    expect(await t.platform.store.repos.deposits.ofTransaction(31337, hash.toLowerCase())).toEqual([]);
    expect(await balance()).toBe(before);

    await mine(CONFIRMATIONS - 1);
    expect(await indexer.syncToHead()).toBe(1);
    expect(await balance()).toBe(before + 250);
    const rows = await t.platform.store.repos.deposits.ofTransaction(31337, hash.toLowerCase());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "credited", source: "indexer", developerId: creds.developer.id, credits: 250n, payer: payer.walletClient.account.address.toLowerCase() });
    expect(rows[0]!.amountWei.toFixed()).toBe((250n * WEI_PER_CREDIT + 123n).toString());

    const again = await claim(hash);
    expect(again.status).toBe(200);
    expect(DepositClaimSchema.parse(again.body)).toMatchObject({ status: "confirmed", confirmations: CONFIRMATIONS, credited: 250, deposits: [{ status: "credited", credits: 250, mine: true, logIndex: 0 }] });
    expect(conformanceProblems(route("post", "/v1/developer/deposits"), again)).toEqual([]);
    expect(await balance()).toBe(before + 250);
    expect(await entriesOf(31337, hash)).toBe(1);
    const entry = await t.platform.store.repos.ledger.findByKey(depositKey(31337, hash, 0));
    expect(entry!.lines.sort((a, b) => a.account.localeCompare(b.account))).toEqual([
      { account: CHAIN_DEPOSITS, amount: -250n },
      { account: developerAccount(creds.developer.id), amount: 250n },
    ]);
    // The developer's listing shows it.
    const listed = await t.call("GET", "/v1/developer/deposits", { token: creds.apiKey });
    expect(listed.body.deposits).toEqual([expect.objectContaining({ txHash: hash.toLowerCase(), credits: 250, mine: true, status: "credited" })]);
  });

  it("the same tx hash posted concurrently, racing two indexers, credits once", async () => {
    const before = await balance();
    const hash = await deposit(depositReference(creds.developer.id), 40n);
    await mine(CONFIRMATIONS - 1);
    const answers = await Promise.all([
      ...Array.from({ length: 8 }, () => claim(hash)),
      indexer.syncToHead(),
      new DepositIndexerService(t.platform.store, t.platform.deposits, t.platform.chain!, { startBlock: deployed.deployedAtBlock }, t.platform.paymentMethods).syncToHead(),
    ]);
    const posts = answers.slice(0, 8) as Awaited<ReturnType<typeof claim>>[];
    expect(posts.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(posts.every((a) => a.body.status === "confirmed" && a.body.credited === 40)).toBe(true);
    expect(await balance()).toBe(before + 40);
    expect(await entriesOf(31337, hash)).toBe(1);
    expect(await t.platform.store.repos.deposits.ofTransaction(31337, hash.toLowerCase())).toHaveLength(1);
  });

  it("a deposit posted first by the developer is credited by the route; the indexer then finds nothing new", async () => {
    const before = await balance();
    const hash = await deposit(depositReference(creds.developer.id), 7n);
    await mine(CONFIRMATIONS - 1);
    const answer = await claim(hash);
    expect(answer.body).toMatchObject({ status: "confirmed", credited: 7 });
    expect((await t.platform.store.repos.deposits.ofTransaction(31337, hash.toLowerCase()))[0]).toMatchObject({ source: "api" });
    expect(await indexer.syncToHead()).toBe(0);
    expect(await balance()).toBe(before + 7);
  });

  it("replaying the indexer from block 0 credits nothing new", async () => {
    const balances = await t.platform.store.repos.ledger.allBalances();
    const entries = await t.platform.store.repos.ledger.entryCount();
    const rows = await t.platform.store.repos.deposits.count();
    await indexer.rewindTo(0n);
    expect(await indexer.syncToHead()).toBe(0);
    // And a range read straight through (what a second indexer with startBlock 0 would do).
    const head = await t.platform.chain!.head();
    expect(await indexer.indexRange(0n, head)).toMatchObject({ fromBlock: 0n, recorded: 0 });
    expect(await t.platform.store.repos.ledger.entryCount()).toBe(entries);
    expect(await t.platform.store.repos.ledger.allBalances()).toEqual(balances);
    expect(await t.platform.store.repos.deposits.count()).toBe(rows);
  });

  it("a deposit to an unknown reference is recorded as unassigned and credits nobody; so is one worth less than a credit", async () => {
    const entries = await t.platform.store.repos.ledger.entryCount();
    const before = await balance();
    const foreign = await deposit(keccak256(toHex("a submission id, not a deposit reference")), 5n);
    const nobody = await deposit(depositReference(randomUUID()), 5n);
    const dust = await deposit(depositReference(creds.developer.id), 0n, WEI_PER_CREDIT - 1n);
    await mine(CONFIRMATIONS - 1);
    expect(await indexer.syncToHead()).toBe(3);
    for (const [hash, reason] of [[foreign, "unknown_reference"], [nobody, "unknown_reference"], [dust, "below_one_credit"]] as const) {
      expect(await t.platform.store.repos.deposits.ofTransaction(31337, hash.toLowerCase())).toEqual([expect.objectContaining({ status: "unassigned", reason, entryId: null })]);
    }
    expect(await t.platform.store.repos.ledger.entryCount()).toBe(entries);
    expect(await balance()).toBe(before);
    // Operators see them (support reads too).
    const listed = await t.call("GET", "/v1/operator/deposits?status=unassigned", { token: creds.operatorSession });
    expect(listed.status).toBe(200);
    expect(conformanceProblems(route("get", "/v1/operator/deposits"), listed)).toEqual([]);
    expect(listed.body.deposits.map((d: { txHash: string; reason: string; developerId: string | null }) => [d.txHash, d.reason, d.developerId]).sort()).toEqual(
      [
        [foreign.toLowerCase(), "unknown_reference", null],
        [nobody.toLowerCase(), "unknown_reference", null],
        [dust.toLowerCase(), "below_one_credit", creds.developer.id],
      ].sort(),
    );
    expect((await t.call("GET", "/v1/operator/deposits?status=lost", { token: creds.operatorSession })).status).toBe(400);
    expect((await t.call("GET", "/v1/operator/deposits", { token: creds.apiKey })).status).toBe(401);
    // Posting someone else's deposit credits nobody either: the reference decides, never the poster.
    const answer = await claim(nobody);
    expect(answer.body).toMatchObject({ status: "confirmed", credited: 0, deposits: [{ status: "unassigned", reason: "unknown_reference", mine: false }] });
  });

  it("a deposit for another developer credits that developer, whoever posts the hash", async () => {
    const other = await t.platform.developers.create({ email: `other-${randomUUID()}@example.test`, name: "Other" });
    const hash = await deposit(depositReference(other.id), 11n);
    await mine(CONFIRMATIONS - 1);
    const mineBefore = await balance();
    const answer = await claim(hash);
    expect(answer.body).toMatchObject({ status: "confirmed", credited: 0, deposits: [{ status: "credited", credits: 11, mine: false }] });
    expect(await balance(other.id)).toBe(11);
    expect(await balance()).toBe(mineBefore);
  });

  it("a reorg that moves the transaction to another block credits it once", async () => {
    const before = await balance();
    const snapshot = await rpc<string>("evm_snapshot");
    const signed = await signedDeposit(depositReference(creds.developer.id), 33n * WEI_PER_CREDIT);
    await rpc("eth_sendRawTransaction", [signed.raw]);
    const first = await t.platform.chain!.depositReceipt(signed.hash);
    expect(first).not.toBeNull();
    expect((await claim(signed.hash)).body).toMatchObject({ status: "pending", confirmations: 1 });
    await indexer.syncToHead();

    // The block is replaced (reorg below the confirmation depth): the transaction is mined again one block later.
    expect(await rpc<boolean>("evm_revert", [snapshot])).toBe(true);
    await mine(1);
    await rpc("eth_sendRawTransaction", [signed.raw]);
    const second = await t.platform.chain!.depositReceipt(signed.hash);
    expect(second!.blockNumber).toBe(first!.blockNumber + 1n);
    expect(second!.blockHash).not.toBe(first!.blockHash);
    await mine(CONFIRMATIONS - 1);
    await Promise.all([indexer.syncToHead(), claim(signed.hash)]);
    expect(await balance()).toBe(before + 33);
    const [row] = await t.platform.store.repos.deposits.ofTransaction(31337, signed.hash);
    expect(row).toMatchObject({ blockNumber: second!.blockNumber, blockHash: second!.blockHash.toLowerCase() });

  });

  it("a reorg deeper than the confirmations that re-includes the transaction elsewhere credits nothing twice (same chain, tx hash, log index)", async () => {
    const before = await balance();
    const snapshot = await rpc<string>("evm_snapshot");
    const signed = await signedDeposit(depositReference(creds.developer.id), 21n * WEI_PER_CREDIT);
    await rpc("eth_sendRawTransaction", [signed.raw]);
    await mine(CONFIRMATIONS - 1);
    expect(await indexer.syncToHead()).toBe(1);
    expect(await balance()).toBe(before + 21);
    const first = await t.platform.chain!.depositReceipt(signed.hash);

    // Outside the finality assumption: every block since the snapshot is replaced, the transaction lands two blocks later.
    expect(await rpc<boolean>("evm_revert", [snapshot])).toBe(true);
    await mine(2);
    await rpc("eth_sendRawTransaction", [signed.raw]);
    await mine(CONFIRMATIONS + 2);
    const second = await t.platform.chain!.depositReceipt(signed.hash);
    expect(second!.blockNumber).toBe(first!.blockNumber + 2n);
    await indexer.rewindTo(0n);
    expect(await indexer.syncToHead()).toBe(0);
    expect((await claim(signed.hash)).body).toMatchObject({ status: "confirmed", credited: 21 });
    expect(await balance()).toBe(before + 21);
    expect(await entriesOf(31337, signed.hash)).toBe(1);
    // The row keeps the block it was first confirmed in.
    expect((await t.platform.store.repos.deposits.ofTransaction(31337, signed.hash))[0]!.blockHash).toBe(first!.blockHash.toLowerCase());
  });

  it("operators switch deposits off: the route answers 403, the indexer pauses; back on, the deposit made meanwhile is credited once", async () => {
    const off = await t.call("PUT", "/v1/operator/payment-methods", { token: creds.operatorSession, json: { deposits: false } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ deposits: false });
    const before = await balance();
    const hash = await deposit(depositReference(creds.developer.id), 9n);
    await mine(CONFIRMATIONS - 1);
    const refused = await claim(hash);
    expect(refused.status).toBe(403);
    expect(refused.body.error?.code ?? refused.body.code).toBe("payment_method_disabled");
    expect(conformanceProblems(route("post", "/v1/developer/deposits"), refused)).toEqual([]);
    expect(await indexer.syncOnce()).toEqual({ paused: true });
    expect((await t.call("GET", "/v1/developer/deposits", { token: creds.apiKey })).body.enabled).toBe(false);
    expect(await balance()).toBe(before);
    expect(await t.platform.db.auditLogEntry.count({ where: { action: "payments.set", target: "payments.deposits" } })).toBe(1);

    await t.call("PUT", "/v1/operator/payment-methods", { token: creds.operatorSession, json: { deposits: true } });
    expect(await indexer.syncToHead()).toBe(1);
    expect(await balance()).toBe(before + 9);
  });

  it("refuses what is not a deposit: an unknown hash (404), a transaction without a FeeDeposited log (400), a malformed hash (400)", async () => {
    const unknown = await claim(`0x${"ab".repeat(32)}`);
    expect(unknown.status).toBe(404);
    // A plain transfer to the Treasury emits FundsReceived, not FeeDeposited.
    const transfer = await payer.walletClient.sendTransaction({ account: payer.walletClient.account, chain: payer.chain, to: deployed.treasury as Hex, value: 10n });
    await payer.publicClient.waitForTransactionReceipt({ hash: transfer });
    await mine(CONFIRMATIONS);
    const notDeposit = await claim(transfer);
    expect(notDeposit.status).toBe(400);
    for (const answer of [unknown, notDeposit]) expect(conformanceProblems(route("post", "/v1/developer/deposits"), answer)).toEqual([]);
    for (const txHash of ["0x1234", "not a hash", 42, `0x${"g".repeat(64)}`]) expect((await claim(txHash as string)).status).toBe(400);
    expect((await t.call("POST", "/v1/developer/deposits", { token: creds.apiKey, json: { txHash: `0x${"ab".repeat(32)}`, extra: 1 } })).status).toBe(400);
  });

  it("fuzz on a chain-backed API: random bodies and random hashes never answer 5xx, stay in the contract and write nothing", async () => {
    const rows = await t.platform.store.repos.deposits.count();
    const entries = await t.platform.store.repos.ledger.entryCount();
    const hash = fc.stringMatching(/^0x[0-9a-fA-F]{64}$/);
    const body = fc.oneof(
      fc.record({ txHash: hash }),
      fc.record({ txHash: fc.oneof(fc.string(), hash.map((h) => h.slice(0, 40)), fc.integer(), fc.constant(null)) }),
      fc.record({ txHash: hash, more: fc.jsonValue() }),
      fc.jsonValue(),
    );
    const samples = fc.sample(body, { seed: 20261202, numRuns: 60 });
    const postRoute = route("post", "/v1/developer/deposits");
    for (const json of samples) {
      const answer = await t.call("POST", "/v1/developer/deposits", { token: creds.apiKey, json });
      expect([200, 400, 404]).toContain(answer.status);
      expect(conformanceProblems(postRoute, answer)).toEqual([]);
    }
    expect(await t.platform.store.repos.deposits.count()).toBe(rows);
    expect(await t.platform.store.repos.ledger.entryCount()).toBe(entries);
  });

  it("the ledger still balances and chain_deposits mirrors the credited entries", async () => {
    expect(await t.platform.store.repos.ledger.unbalancedEntries()).toEqual([]);
    const all = await t.platform.store.repos.ledger.allBalances();
    expect([...all.values()].reduce((a, b) => a + b, 0n)).toBe(0n);
    const credited = await t.platform.db.chainDeposit.aggregate({ where: { status: "credited" }, _sum: { credits: true } });
    expect(-(all.get(CHAIN_DEPOSITS) ?? 0n)).toBe(credited._sum.credits);
    // Rows are facts: the database refuses to edit them.
    await expect(t.platform.db.chainDeposit.updateMany({ data: { credits: 1n } })).rejects.toThrow(/append-only/);
  });
});
