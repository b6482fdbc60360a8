// `assay verify` reads a certificate's anchor from the chain itself: against a
// real `npx hardhat node` named by the issuer's discovery, a real API and a fresh
// database. A forged proof fails; a chain that cannot be reached is reported.
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { deployRegistry } from "@assay/chain";
import {
  ANCHOR_TOPIC,
  anchorDedupeKey,
  AnchorRepository,
  AnchorService,
  ChainGateway,
  createTestEnvironment,
  samplePackedRuntime,
  sampleUnsignedCertificate,
  type JobPublisher,
  type TestEnvironment,
} from "@assay/platform";
import { createApp, type ApiApp } from "@assay/api";
import { DEV_KEYS, startHardhatNode, type HardhatNode } from "../../../packages/chain/test/hardhat-node";
import { removeTempDirs, runCli, tempDir, type CliResult } from "./helpers";

jest.setTimeout(120_000);

const NO_QUEUE: JobPublisher = { publish: () => Promise.reject(new Error("no queues here")), ping: () => Promise.resolve(true), close: () => Promise.resolve() };

let node: HardhatNode;
let env: TestEnvironment;
let app: ApiApp;
let url: string;
let home: string;
let file: string;
let document: Record<string, unknown>;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  node = await startHardhatNode();
  const deployed = await deployRegistry({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[0] });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = createTestEnvironment({
    ASSAY_PUBLIC_URL: url,
    ASSAY_CHAIN_ENABLED: "true",
    ASSAY_CHAIN_RPC_URL: node.rpcUrl,
    ASSAY_CHAIN_REGISTRY: deployed.certificateRegistry,
    ASSAY_CHAIN_VALIDATOR_REGISTRY: deployed.validatorRegistry,
    ASSAY_CHAIN_TREASURY: deployed.treasury,
    ASSAY_CHAIN_DEPLOYED_AT_BLOCK: String(deployed.deployedAtBlock),
  });
  app = await createApp(env.config, { publisher: NO_QUEUE });
  await app.app.listen(port, "127.0.0.1");
  const platform = app.platform;
  const developer = await platform.developers.create({ email: "cli-chain@example.test", name: "CLI chain" });
  const sub = await platform.submissions.create(developer.id, samplePackedRuntime({ entrySource: "export const cliChain = 1;" }));
  await platform.submissions.transition(sub.id, "auditing", { actor: "test" });
  await platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  const issued = await platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test");
  // A second certificate in the same batch, so the proof is not empty.
  const sub2 = await platform.submissions.create(developer.id, samplePackedRuntime({ entrySource: "export const cliChain = 2;" }));
  await platform.submissions.transition(sub2.id, "auditing", { actor: "test" });
  await platform.submissions.transition(sub2.id, "in_assembly", { actor: "test" });
  const other = await platform.certificates.issue(sub2.id, sampleUnsignedCertificate({ name: sub2.runtime.name, version: sub2.runtime.version, digest: sub2.subjectDigest }), "test");
  for (const id of [issued.id, other.id]) await platform.store.repos.outbox.add({ topic: ANCHOR_TOPIC, payload: { certificateId: id }, dedupeKey: anchorDedupeKey(id) });
  const anchorer = new AnchorService(new AnchorRepository(platform.db), new ChainGateway({ ...env.config.chain, privateKey: DEV_KEYS[0] }, { withSigner: true }), {
    batchMax: 16,
    intervalMs: 200,
    receiptTimeoutMs: 10_000,
  });
  expect(await anchorer.runOnce()).toMatchObject({ confirmed: 1, anchoredCertificates: 2 });
  await anchorer.release();
  document = { ...(await platform.certificates.lookup(issued.id)).document };
  home = tempDir("assay-home-");
  file = join(home, "certificate.json");
  writeFileSync(file, JSON.stringify(document));
});

afterAll(async () => {
  await app?.close();
  await env?.cleanup();
  await node?.stop();
  removeTempDirs();
});

function assay(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, { env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", NO_COLOR: "1", ASSAY_API_URL: url, ASSAY_API_KEY: "", ASSAY_CHAIN_RPC_URL: "", ...extraEnv } });
}

const anchorOf = (stdout: string) => (JSON.parse(stdout) as { checks: { name: string; ok: boolean; detail: string }[] }).checks.find((c) => c.name === "anchor")!;

it("verifies the proof against the on-chain root, read by the CLI at the RPC URL discovery names", async () => {
  const anchor = document.anchor as { block: number; tx: string; proof: string[] };
  expect(anchor.proof).toHaveLength(1);
  const result = await assay(["verify", file, "--json"]);
  expect(result.code).toBe(0);
  expect(anchorOf(result.stdout)).toEqual({ name: "anchor", ok: true, detail: `anchored in block ${anchor.block}, tx ${anchor.tx}` });
});

it("a forged proof in the file fails the anchor check (the chain, not the server, decides)", async () => {
  const forged = join(home, "forged.json");
  const anchor = document.anchor as { proof: string[] };
  writeFileSync(forged, JSON.stringify({ ...document, anchor: { ...anchor, proof: [`0x${"12".repeat(32)}`] } }));
  const result = await assay(["verify", forged, "--json"]);
  expect(result.code).toBe(1);
  expect(anchorOf(result.stdout)).toMatchObject({ ok: false });
  expect(anchorOf(result.stdout).detail).toMatch(/does not verify against the anchored root/);
});

it("reports that it could not read the chain when the RPC URL does not answer", async () => {
  const result = await assay(["verify", file, "--json"], { ASSAY_CHAIN_RPC_URL: `http://127.0.0.1:${await freePort()}` });
  expect(result.code).toBe(1);
  expect(anchorOf(result.stdout)).toMatchObject({ ok: false });
  expect(anchorOf(result.stdout).detail).toMatch(/could not read the chain/);
});
