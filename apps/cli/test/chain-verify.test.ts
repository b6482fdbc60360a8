// `assay verify` reads a certificate's anchor from the chain itself: against a
// real `npx hardhat node` named by the issuer's discovery, a real API and a fresh
// database. A forged proof fails; a chain that cannot be reached is reported.
// The batch also anchors the transparency log's checkpoint (decision 0016): the
// CLI confirms it on chain (check log-anchor), and a log rewritten or truncated
// in the database after anchoring fails even for a verifier with no saved state.
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
import { checkpointCommitment, issuedEntry, LogAnchoredCheckpointResponseSchema } from "@assay/protocol";
import { readAnchorFromChain } from "../src/certificates/chain-anchor";
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
    logCheckpoints: platform.transparencyLog,
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

const checkOf = (stdout: string, name: string) => (JSON.parse(stdout) as { checks: { name: string; ok: boolean; detail: string }[] }).checks.find((c) => c.name === name)!;
const anchorOf = (stdout: string) => checkOf(stdout, "anchor");

it("verifies the proof against the on-chain root, read by the CLI at the RPC URL discovery names", async () => {
  const anchor = document.anchor as { block: number; tx: string; proof: string[] };
  // Two certificates and the log checkpoint's commitment: three leaves.
  expect(anchor.proof.length).toBeGreaterThanOrEqual(1);
  const result = await assay(["verify", file, "--json"]);
  expect(result.code).toBe(0);
  expect(anchorOf(result.stdout)).toEqual({ name: "anchor", ok: true, detail: `anchored in block ${anchor.block}, tx ${anchor.tx}` });
});

it("confirms on chain the log checkpoint anchored with the certificate's batch (log-anchor)", async () => {
  const anchor = document.anchor as { block: number; tx: string; root: string };
  const served = await fetch(`${url}/v1/public/log/certificates/${document.id as string}/anchor`);
  expect(served.status).toBe(200);
  const body = LogAnchoredCheckpointResponseSchema.parse(await served.json());
  // Two issuances were in the log when the batch was built.
  expect(body.checkpoint.treeSize).toBe(2);
  expect(body.anchor).toMatchObject({ root: anchor.root, tx: anchor.tx, block: anchor.block });
  expect(body.commitment).toBe(checkpointCommitment(body.checkpoint.checkpoint));
  expect(body.anchorState).toEqual({ state: "anchored", block: anchor.block, tx: anchor.tx }); // the API's own chain reading
  const result = await assay(["verify", file, "--json"]);
  expect(result.code).toBe(0);
  expect(checkOf(result.stdout, "log-anchor")).toEqual({
    name: "log-anchor",
    ok: true,
    detail: `checkpoint of size 2 (covers entry 0) anchored in block ${anchor.block}, tx ${anchor.tx}; it is the checkpoint served now`,
  });
  // A checkpoint whose commitment is not under the anchored root: the chain says no.
  const forgedProof = { ...body.anchor, proof: [`0x${"34".repeat(32)}`] };
  const state = await readAnchorFromChain(body.commitment, forgedProof, { rpcUrl: node.rpcUrl, registry: body.anchor.registry, chainId: 31337 });
  expect(state).toMatchObject({ state: "failed" });
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
  expect(checkOf(result.stdout, "log-anchor")).toMatchObject({ ok: false, detail: expect.stringMatching(/^the checkpoint of size 2 is not confirmed on chain: could not read the chain/) });
});

it("a log rewritten or truncated in the database after anchoring fails log-anchor, even for a verifier that saved no checkpoint", async () => {
  const platform = app.platform;
  const fresh = () => ({ XDG_STATE_HOME: tempDir("assay-state-") });
  const rows = await platform.db.logEntry.findMany({ orderBy: { index: "asc" } });
  expect(rows).toHaveLength(2);
  // Rewrite history: the second issuance replaced by another (the certificate hidden), then the log grows.
  await platform.db.$executeRaw`DELETE FROM log_entries`;
  await platform.db.$executeRaw`DELETE FROM log_nodes`;
  await platform.db.$executeRaw`DELETE FROM log_checkpoints WHERE tree_size <> 2`;
  const entries = rows.map((row, i) => (i === 1 ? issuedEntry(`0x${"d".repeat(64)}`, (document.payload as { issuedAt: string }).issuedAt) : JSON.parse(row.leaf)));
  await platform.transparencyLog.append(entries);
  await platform.transparencyLog.append([issuedEntry(`0x${"e".repeat(64)}`, (document.payload as { issuedAt: string }).issuedAt)]);
  const forked = await assay(["verify", file, "--json"], fresh());
  expect(forked.code).toBe(1);
  expect(checkOf(forked.stdout, "log-inclusion").ok).toBe(true); // the certificate itself is in the rewritten log…
  expect(checkOf(forked.stdout, "log-consistency")).toMatchObject({ ok: true, detail: expect.stringContaining("first checkpoint seen") }); // …nothing saved…
  expect(checkOf(forked.stdout, "log-anchor")).toEqual({ name: "log-anchor", ok: false, detail: "the log at size 3 does not extend its checkpoint of size 2 anchored on chain (forked or rewritten)" }); // …the chain remembers

  // Truncated below the anchored checkpoint (its stored note kept: the chain holds its commitment anyway).
  await platform.db.$executeRaw`DELETE FROM log_entries WHERE "index" >= 1`;
  await platform.db.$executeRaw`DELETE FROM log_nodes WHERE ("index" + 1) * power(2, level) > 1`;
  await platform.db.$executeRaw`DELETE FROM log_checkpoints WHERE tree_size <> 2`;
  const truncated = await assay(["verify", file, "--json"], fresh());
  expect(truncated.code).toBe(1);
  expect(checkOf(truncated.stdout, "log-anchor")).toMatchObject({ ok: false, detail: expect.stringMatching(/^the log served now \(size 1\) is smaller than its checkpoint anchored on chain \(size 2\)/) });
});
