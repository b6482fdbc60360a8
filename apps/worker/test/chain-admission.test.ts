// Validator admission in chain mode (docs/decisions/0012) against a real
// `hardhat node` and a fresh database: a validator binds a staking address by
// an EIP-191 signature, stays pending until the stake indexer sees its stake
// in the ValidatorRegistry, then is admitted by that transaction and weighs the
// indexed stake (never the declared one); an operator slash is mirrored on
// chain once through the outbox and the anchor loop, and the indexer then
// reads the slashed stake back.
import { generateKeyPairSync } from "node:crypto";
import { createPlatform, slashReasonOf, type Platform } from "@assay/platform";
import { chainBindingMessage } from "@assay/protocol";
import { connectChain, requireSigner, sendContractTransaction, validatorRegistryAbi, withAddresses, type SignerRegistryContext } from "@assay/chain";
import { parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ChainLoops } from "../src/chain/chain-loops";
import { createTestEnv, type TestEnv } from "./helpers";
import { DEV_KEYS, NO_QUEUE, startTestChain, type TestChain } from "./chain-helpers";

jest.setTimeout(120_000);

let chain: TestChain;
let env: TestEnv;
let platform: Platform;
let loops: ChainLoops;

const newKey = () => (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
const signerFor = async (key: `0x${string}`): Promise<SignerRegistryContext> =>
  requireSigner(withAddresses(await connectChain({ rpcUrl: chain.node.rpcUrl, privateKey: key, pollingIntervalMs: 50 }), chain.deployed));
const stake = async (who: SignerRegistryContext, eth: string) =>
  sendContractTransaction(who, { address: chain.deployed.validatorRegistry, abi: validatorRegistryAbi, functionName: "stake", args: [], value: parseEther(eth) });

/** Activation with a chain address bound by the address's own signature over the validator key. */
async function activateBound(privateKey: `0x${string}`, declared = "999999999999999999") {
  const account = privateKeyToAccount(privateKey);
  const publicKey = newKey();
  const chainSignature = await account.signMessage({ message: chainBindingMessage(publicKey) });
  return platform.validators.activate({ publicKey, stake: declared, kind: "agent", modelFamily: "chain", chainAddress: account.address.toLowerCase(), chainSignature });
}

beforeAll(async () => {
  chain = await startTestChain();
  env = createTestEnv(chain.env);
  platform = await createPlatform(env.config.app, { publisher: NO_QUEUE, chainSigner: true });
  loops = ChainLoops.forPlatform(platform, () => undefined)!;
});

afterAll(async () => {
  await platform?.close();
  await env?.cleanup();
  await chain?.stop();
});

it("a chain binding signed by another address is refused (400 chain_binding_invalid), nothing written", async () => {
  const publicKey = newKey();
  const wrong = await privateKeyToAccount(DEV_KEYS[1] as `0x${string}`).signMessage({ message: chainBindingMessage(publicKey) });
  const before = await platform.db.validator.count();
  await expect(
    platform.validators.activate({ publicKey, stake: "1", kind: "person", chainAddress: privateKeyToAccount(DEV_KEYS[2] as `0x${string}`).address.toLowerCase(), chainSignature: wrong }),
  ).rejects.toMatchObject({ code: "chain_binding_invalid" });
  expect(await platform.db.validator.count()).toBe(before);
});

it("pending until the indexer sees the stake; then admitted by that transaction with the indexed stake (gwei), not the declared one", async () => {
  const key = DEV_KEYS[2] as `0x${string}`;
  const validator = await activateBound(key);
  expect(validator).toMatchObject({ standing: "pending", stake: "0", declaredStake: "999999999999999999" });
  await loops.runOnce();
  expect((await platform.validators.findByPublicKey(validator.publicKey))!.standing).toBe("pending");

  const mined = await stake(await signerFor(key), "2");
  await loops.runOnce();
  const admitted = await platform.validators.findByPublicKey(validator.publicKey);
  expect(admitted).toMatchObject({ standing: "active", stake: "2000000000", admittedBy: `chain:${mined.transactionHash}` });
  expect(admitted!.admittedAt).not.toBeNull();
});

it("a key bound after its stake was indexed is admitted at activation", async () => {
  const key = DEV_KEYS[1] as `0x${string}`;
  const mined = await stake(await signerFor(key), "0.5");
  await loops.runOnce();
  const validator = await activateBound(key, "1");
  expect(validator).toMatchObject({ standing: "active", stake: "500000000", declaredStake: "1", admittedBy: `chain:${mined.transactionHash}` });
});

it("an operator slash is mirrored on chain once (outbox → anchor loop), and the indexer reads the slashed stake back", async () => {
  const key = DEV_KEYS[2] as `0x${string}`;
  const address = privateKeyToAccount(key).address.toLowerCase();
  const validator = (await platform.db.validator.findFirstOrThrow({ where: { chainAddress: address } }));
  const { operator } = await platform.operators.create({ email: "slasher@example.test", password: "operator password 1", role: "admin" });
  const result = await platform.admission.slash(validator.id, { amount: "500000000", reason: "colluded" }, `operator:${operator.id}`);
  expect(result).toMatchObject({ chainMirror: "queued", validator: { stake: "1500000000" } });
  const event = await platform.db.outboxEvent.findFirstOrThrow({ where: { topic: "validator-slash" } });
  expect(event.payload).toMatchObject({ slashId: result.auditLogId, chainAddress: address, amountWei: parseEther("0.5").toString() });

  const first = await loops.runOnce();
  expect(first.anchor.slashed).toBe(1);
  const onChain = await platform.chain!.findSlash(address, slashReasonOf(result.auditLogId));
  expect(onChain).not.toBeNull();
  // Re-delivering the same event (a crash before it was marked done) finds the Slashed event and sends nothing.
  await platform.db.outboxEvent.update({ where: { id: event.id }, data: { status: "pending" } });
  await loops.runOnce();
  const slashedEvents = await platform.db.stakeEvent.count({ where: { kind: "Slashed", validator: address } });
  expect(slashedEvents).toBe(1);
  // The indexer's reading of the chain agrees with the platform's: 2 − 0.5 ETH = 1.5e9 gwei.
  expect((await platform.validators.findByPublicKey(validator.publicKey))!.stake).toBe("1500000000");
});
