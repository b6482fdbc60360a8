// The public plane with the chain flag on, against a real `npx hardhat node`:
// discovery names the chain and registry; lookup and verify (fast path and Nest
// route) report "pending" before the anchor and, after it, the anchor as read
// from the chain.
import { AddressInfo } from "node:net";
import { deployRegistry, type DeployedRegistry } from "@assay/chain";
import {
  ANCHOR_TOPIC,
  anchorDedupeKey,
  AnchorRepository,
  AnchorService,
  ChainGateway,
  samplePackedRuntime,
  sampleUnsignedCertificate,
} from "@assay/platform";
import type { CertificateDocument } from "@assay/protocol";
import { createApp } from "../src/app";
import { DEV_KEYS, startHardhatNode, type HardhatNode } from "../../../packages/chain/test/hardhat-node";
import { clientFor, startApi, type TestApi } from "./helpers";

jest.setTimeout(90_000);

let node: HardhatNode;
let deployed: DeployedRegistry;
let t: TestApi;
let document: CertificateDocument;

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
  });
  const developer = await t.platform.developers.create({ email: "chain@example.test", name: "Chain" });
  const sub = await t.platform.submissions.create(developer.id, samplePackedRuntime({ entrySource: "export const chain = 1;" }));
  await t.platform.submissions.transition(sub.id, "auditing", { actor: "test" });
  await t.platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  document = await t.platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test");
  await t.platform.store.repos.outbox.add({ topic: ANCHOR_TOPIC, payload: { certificateId: document.id }, dedupeKey: anchorDedupeKey(document.id) });
});

afterAll(async () => {
  await t?.close();
  await node?.stop();
});

const anchorCheck = (body: { checks: { name: string; ok: boolean; detail: string }[] }) => body.checks.find((c) => c.name === "anchor");

it("discovery names the chain id, the registry and the RPC URL", async () => {
  const { status, body } = await t.call("GET", "/.well-known/assay.json");
  expect(status).toBe(200);
  expect(body.chainId).toBe(31337);
  expect(body.registry).toBe(deployed.certificateRegistry);
  expect(body.chain).toMatchObject({ chainId: 31337, registry: deployed.certificateRegistry, rpcUrl: node.rpcUrl, validatorRegistry: deployed.validatorRegistry });
});

it("reports pending before the anchor, and the anchor read from the chain after it", async () => {
  const before = await t.call("POST", "/v1/public/verify", { json: document });
  expect(before.body.valid).toBe(true);
  expect(anchorCheck(before.body)).toEqual({ name: "anchor", ok: true, detail: "pending" });
  expect((await t.call("GET", `/v1/public/certificates/${document.id}`)).body.anchorState).toEqual({ state: "pending" });

  const anchorer = new AnchorService(new AnchorRepository(t.platform.db), new ChainGateway({ ...t.env.config.chain, privateKey: DEV_KEYS[0] }, { withSigner: true }), {
    batchMax: 16,
    intervalMs: 200,
    receiptTimeoutMs: 10_000,
  });
  expect(await anchorer.runOnce()).toMatchObject({ confirmed: 1, anchoredCertificates: 1 });
  await new Promise((r) => setTimeout(r, 1_100)); // verify's status cache

  const lookup = await t.call("GET", `/v1/public/certificates/${document.id}`);
  expect(lookup.body.anchor).toMatchObject({ chainId: 31337, registry: deployed.certificateRegistry.toLowerCase(), proof: [] });
  expect(lookup.body.anchorState).toEqual({ state: "anchored", block: lookup.body.anchor.block, tx: lookup.body.anchor.tx });
  const { anchorState, status, statusHistory, ...served } = lookup.body;
  void anchorState, status, statusHistory;
  const fast = await t.call("POST", "/v1/public/verify", { json: served });
  expect(fast.body.valid).toBe(true);
  expect(anchorCheck(fast.body)?.detail).toBe(`anchored in block ${lookup.body.anchor.block}, tx ${lookup.body.anchor.tx}`);

  // The Nest route (fast path off) answers the same.
  const nest = await createApp({ ...t.env.config, flags: { ...t.env.config.flags, verifyFastPath: false } }, { platform: t.platform });
  await nest.app.listen(0, "127.0.0.1");
  try {
    const call = clientFor(`http://127.0.0.1:${(nest.app.getHttpServer().address() as AddressInfo).port}`);
    // The time-window detail names the current second, which may tick between the two calls.
    const withoutClock = (body: { checks: { name: string; ok: boolean; detail: string }[] }) => ({
      ...body,
      checks: body.checks.map((c) => (c.name === "time-window" ? { ...c, detail: c.detail.replace(/; now .*$/, "") } : c)),
    });
    expect(withoutClock((await call("POST", "/v1/public/verify", { json: served })).body)).toEqual(withoutClock(fast.body));
  } finally {
    await nest.app.close();
  }
  await anchorer.release();
});
