// The draw beacon in chain mode (docs/decisions/0009, "Beacon"), against a real
// Hardhat node, PostgreSQL, Redis and an in-process worker: the window notes the
// chain head when it opens, and the beacon takes the hash of the next block —
// mined after the report was stored — which the record names, so anyone checks
// it against the chain and recomputes the beacon.
import { BeaconInputsSchema, beaconTrust, recomputeBeacon } from "@assay/assembly";
import { generateKeyPairSync } from "node:crypto";
import { BeaconCollectingSchema, type Platform } from "@assay/platform";
import { startWorkerApp, type WorkerApp } from "../src/worker-app";
import { rpc, startTestChain, type TestChain } from "./chain-helpers";
import { createApiPlatform, createDeveloper, createTestEnv, packedRuntime, waitFor, type TestEnv } from "./helpers";

jest.setTimeout(180_000);

let chain: TestChain;
let env: TestEnv;
let api: Platform;
let worker: WorkerApp;
let developerId: string;

beforeAll(async () => {
  chain = await startTestChain();
  env = createTestEnv({ ASSAY_ASSEMBLY_REQUIRED: "true", ...chain.env });
  api = await createApiPlatform(env.config);
  developerId = await createDeveloper(api);
  await api.flags.update({ "assembly.seatCount": 3, "assembly.maxRounds": 1, "assembly.beaconSeconds": 3, "assembly.reviewSeconds": 1, "assembly.commitSeconds": 1, "assembly.revealSeconds": 1 }, "test");
  for (let i = 0; i < 4; i++) {
    const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
    const { id } = await api.validators.activate({ publicKey: x, stake: "1000000", kind: "agent", modelFamily: `family-${i}` });
    await api.db.validator.update({ where: { id }, data: { standing: "active", stake: 1_000_000n } });
  }
  worker = await startWorkerApp(env.config, { log: () => undefined });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await env?.cleanup();
  await chain?.stop();
});

it("takes the first block mined after the window opened, and the record names it", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  const open = await waitFor(async () => {
    const a = await api.db.assembly.findUnique({ where: { submissionId: created.id } });
    return a?.phase === "beacon" ? a : null;
  }, "the beacon window", 120_000, 50);
  const afterBlock = BigInt(BeaconCollectingSchema.parse(open.beaconInputs).afterBlock!);
  // A block mined during the window (the development chain mines only on demand here).
  await rpc(chain.node.rpcUrl, "evm_mine");
  const drawn = await waitFor(async () => {
    const a = await api.db.assembly.findUniqueOrThrow({ where: { id: open.id } });
    return a.phase !== "beacon" ? a : null;
  }, "the draw", 30_000, 50);
  const inputs = BeaconInputsSchema.parse(drawn.beaconInputs);
  const onChain = await rpc<{ hash: string; number: string }>(chain.node.rpcUrl, "eth_getBlockByNumber", [`0x${(afterBlock + 1n).toString(16)}`, false]);
  expect(inputs.block).toEqual({ number: (afterBlock + 1n).toString(), hash: onChain.hash.toLowerCase() });
  expect(recomputeBeacon(inputs)).toBe(drawn.beacon);
  expect(beaconTrust(inputs)).toEqual({ contributions: 0, block: true, platformKnewSeed: false });
});
