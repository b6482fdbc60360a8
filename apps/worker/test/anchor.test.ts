// Anchoring end to end against a real `npx hardhat node`, real PostgreSQL (a
// fresh database) and real Redis: batches verify against the chain, a worker
// killed between sending and the receipt anchors every certificate exactly once
// after a restart, and certificates issued while the chain is down are pending,
// verify off-chain, and are anchored once it is back.
import { certificateRegistryAbi, connectChain, readAnchorStatus, withAddresses, type RegistryContext } from "@assay/chain";
import { createPlatform, type Platform } from "@assay/platform";
import type { CertificateDocument } from "@assay/protocol";
import { keccak256, toHex, type Hex } from "viem";
import { ChainLoops } from "../src/chain/chain-loops";
import { createDeveloper, createTestEnv, exited, spawnWorker, waitFor, type TestEnv } from "./helpers";
import { issueCertificates, NO_QUEUE, rpc, startTestChain, type TestChain } from "./chain-helpers";

jest.setTimeout(120_000);

let chain: TestChain;
let env: TestEnv;
let platform: Platform;
let loops: ChainLoops;
let reader: RegistryContext;
let developerId: string;

beforeAll(async () => {
  chain = await startTestChain();
  env = createTestEnv(chain.env);
  platform = await createPlatform(env.config.app, { publisher: NO_QUEUE, chainSigner: true });
  loops = ChainLoops.forPlatform(platform, () => undefined)!;
  reader = withAddresses(await connectChain({ rpcUrl: chain.node.rpcUrl, pollingIntervalMs: 50 }), chain.deployed);
  developerId = await createDeveloper(platform);
});

afterAll(async () => {
  await loops?.stop();
  await platform?.close();
  await env?.cleanup();
  await chain?.stop();
});

type StoredAnchor = { root: Hex; proof: Hex[]; tx: Hex; block: number; chainId: number; registry: string };

async function anchorOf(id: string): Promise<StoredAnchor | null> {
  const row = await platform.db.certificate.findUniqueOrThrow({ where: { id } });
  return row.anchor as StoredAnchor | null;
}

function anchorCheck(result: { checks: { name: string; ok: boolean; detail: string }[] }) {
  return result.checks.find((c) => c.name === "anchor")!;
}

/** Every BatchAnchored event of the registry, by root. */
async function batchEvents(): Promise<Map<string, number>> {
  const events = await reader.publicClient.getContractEvents({
    address: chain.deployed.certificateRegistry,
    abi: certificateRegistryAbi,
    eventName: "BatchAnchored",
    fromBlock: chain.deployed.deployedAtBlock,
    strict: true,
  });
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.args.merkleRoot, (counts.get(event.args.merkleRoot) ?? 0) + 1);
  return counts;
}

/** Every certificate anchored exactly once: one batch membership, and its root anchored by one event. */
async function expectAnchoredOnce(documents: CertificateDocument[]): Promise<void> {
  const events = await batchEvents();
  for (const document of documents) {
    const memberships = await platform.db.anchorBatchMember.findMany({ where: { certificateId: document.id } });
    expect(memberships).toHaveLength(1);
    const anchor = await anchorOf(document.id);
    expect(anchor).not.toBeNull();
    expect(events.get(anchor!.root)).toBe(1);
    const status = await readAnchorStatus(reader, document.id, anchor!.proof, anchor!.root);
    expect(status.anchored).toBe(true);
    expect(status.anchor?.transactionHash).toBe(anchor!.tx);
  }
}

describe("anchoring in batches", () => {
  it("anchors a batch in one transaction; each proof verifies on chain, a forged proof or another id does not", async () => {
    const documents = await issueCertificates(platform, developerId, 5);
    // Issued off-chain first: valid, with the anchor pending.
    const before = await platform.certificates.verify(documents[0]);
    expect(before.valid).toBe(true);
    expect(anchorCheck(before)).toMatchObject({ ok: true, detail: "pending" });

    const report = await loops.anchor!.runOnce();
    expect(report).toMatchObject({ leased: true, confirmed: 1, anchoredCertificates: 5, failed: 0 });
    const anchors = await Promise.all(documents.map((d) => anchorOf(d.id)));
    expect(new Set(anchors.map((a) => a!.root)).size).toBe(1);
    expect(new Set(anchors.map((a) => a!.tx)).size).toBe(1);
    expect(anchors[0]).toMatchObject({ chainId: 31337, registry: chain.deployed.certificateRegistry.toLowerCase() });

    const [first, second] = [documents[0]!, documents[1]!];
    const proof = anchors[0]!.proof;
    const root = anchors[0]!.root;
    expect((await readAnchorStatus(reader, first.id, proof, root)).anchored).toBe(true);
    const forged = [keccak256(toHex("forged")), ...proof.slice(1)];
    expect((await readAnchorStatus(reader, first.id, forged, root)).anchored).toBe(false);
    expect((await readAnchorStatus(reader, second.id, proof, root)).anchored).toBe(false);
    expect((await readAnchorStatus(reader, keccak256(toHex("never issued")), proof, root)).anchored).toBe(false);

    // The lookup's document carries the anchor; verify reads it from the chain.
    const lookup = await platform.certificates.lookup(first.id);
    expect(lookup.document.anchor).toMatchObject({ root, proof, tx: anchors[0]!.tx, block: anchors[0]!.block });
    expect(lookup.anchor).toEqual({ state: "anchored", block: anchors[0]!.block, tx: anchors[0]!.tx });
    await new Promise((r) => setTimeout(r, 1_100)); // past verify's 1 s status cache (the row changed in this process's back)
    const after = await platform.certificates.verify(lookup.document);
    expect(after.valid).toBe(true);
    expect(anchorCheck(after).detail).toBe(`anchored in block ${anchors[0]!.block}, tx ${anchors[0]!.tx}`);
    await expectAnchoredOnce(documents);

    // The same batch anchors the transparency log's checkpoint as of the batch (decision 0016): its commitment is a leaf.
    const logged = await platform.transparencyLog.anchoredCheckpoint(first.id);
    expect(logged.checkpoint.treeSize).toBe(await platform.transparencyLog.size());
    expect(logged.anchor).toMatchObject({ root, tx: anchors[0]!.tx, block: anchors[0]!.block });
    expect(logged.anchorState).toEqual({ state: "anchored", block: anchors[0]!.block, tx: anchors[0]!.tx });
    expect((await readAnchorStatus(reader, logged.commitment, logged.anchor.proof, root)).anchored).toBe(true);
    expect((await platform.db.anchorBatch.findUniqueOrThrow({ where: { root } })).logTreeSize).toBe(BigInt(logged.checkpoint.treeSize));

    // A forged proof in the database is caught by the chain: verify reads the chain, not the row.
    await platform.db.certificate.update({ where: { id: second.id }, data: { anchor: { ...anchors[1]!, proof: forged } } });
    await new Promise((r) => setTimeout(r, 2_100)); // past the status and chain-read caches
    const tampered = await platform.certificates.verify((await platform.certificates.lookup(second.id)).document);
    expect(tampered.valid).toBe(false);
    expect(anchorCheck(tampered)).toMatchObject({ ok: false });
    expect(anchorCheck(tampered).detail).toMatch(/does not verify against the anchored root/);
    await platform.db.certificate.update({ where: { id: second.id }, data: { anchor: anchors[1]! } });
  });

  it("mirrors an operator's revocation on chain (reason code), and verify reports it from the chain", async () => {
    const [document] = await issueCertificates(platform, developerId, 1);
    await loops.anchor!.runOnce();
    await platform.certificates.changeStatus(document!.id, "revoked", { reasonCode: "key_compromise", actor: "operator:test" });
    const report = await loops.anchor!.runOnce();
    expect(report.revoked).toBe(1);
    const anchor = (await anchorOf(document!.id))!;
    const status = await readAnchorStatus(reader, document!.id, anchor.proof, anchor.root);
    expect(status).toMatchObject({ anchored: true, revoked: true, revocation: { reasonCode: 1 } });
    await new Promise((r) => setTimeout(r, 2_100));
    const lookup = await platform.certificates.lookup(document!.id);
    expect(lookup.anchor).toEqual({ state: "revoked-on-chain", reason: "reason code 1" });
    // A second run does not send it again.
    expect((await loops.anchor!.runOnce()).revoked).toBe(0);
  });
});

describe("the chain stopped", () => {
  it("issues and verifies off-chain with the anchor pending, then anchors once the chain is back", async () => {
    await chain.proxy.down();
    try {
      const documents = await issueCertificates(platform, developerId, 3);
      const report = await loops.anchor!.runOnce();
      expect(report.confirmed).toBe(0);
      expect(report.error).toBeDefined();
      for (const document of documents) {
        const result = await platform.certificates.verify(document);
        expect(result.valid).toBe(true);
        expect(anchorCheck(result).detail).toBe("pending");
        expect(await anchorOf(document.id)).toBeNull();
      }
      // Nothing half-done is left behind while the chain is away.
      expect(await platform.db.anchorBatchMember.count({ where: { certificateId: { in: documents.map((d) => d.id) } } })).toBe(0);

      await chain.proxy.up();
      const back = await loops.anchor!.runOnce();
      expect(back).toMatchObject({ confirmed: 1, anchoredCertificates: 3 });
      await expectAnchoredOnce(documents);
    } finally {
      await chain.proxy.up().catch(() => undefined);
    }
  });
});

describe("a worker killed between sending and the receipt", () => {
  const workerEnv = () => ({ ...env.env, ASSAY_RECONCILE_INTERVAL_MS: "60000", ASSAY_RECONCILE_QUIET_MS: "600000" });

  async function killAfterSend(count: number) {
    await rpc(chain.node.rpcUrl, "evm_setAutomine", [false]);
    const documents = await issueCertificates(platform, developerId, count);
    const worker = spawnWorker(workerEnv());
    const batch = await waitFor(
      () => platform.db.anchorBatch.findFirst({ where: { status: "sent", members: { some: { certificateId: documents[0]!.id } } } }),
      `the batch to be recorded as sent (${worker.output.join("")})`,
      60_000,
    );
    // The transaction is in the mempool and its hash in the database; no receipt yet.
    expect(await rpc(chain.node.rpcUrl, "eth_getTransactionReceipt", [batch.txHash])).toBeNull();
    worker.kill("SIGKILL");
    await exited(worker);
    return { documents, batch };
  }

  async function restartUntilConfirmed(batchId: string) {
    const worker = spawnWorker(workerEnv());
    try {
      return await waitFor(
        () => platform.db.anchorBatch.findFirst({ where: { id: batchId, status: "confirmed" } }),
        `batch ${batchId} to be confirmed after the restart (${worker.output.join("")})`,
        60_000,
      );
    } finally {
      worker.kill("SIGTERM");
      await exited(worker);
    }
  }

  it("the transaction was mined meanwhile: the restart finds it on chain and does not send again", async () => {
    const { documents, batch } = await killAfterSend(4);
    await rpc(chain.node.rpcUrl, "evm_mine");
    await rpc(chain.node.rpcUrl, "evm_setAutomine", [true]);
    const confirmed = await restartUntilConfirmed(batch.id);
    expect(confirmed.txHash).toBe(batch.txHash);
    await expectAnchoredOnce(documents);
  });

  it("the transaction was lost: the restart finds neither root nor transaction and sends it once more", async () => {
    const { documents, batch } = await killAfterSend(3);
    expect(await rpc(chain.node.rpcUrl, "hardhat_dropTransaction", [batch.txHash])).toBe(true);
    await rpc(chain.node.rpcUrl, "evm_setAutomine", [true]);
    const confirmed = await restartUntilConfirmed(batch.id);
    await expectAnchoredOnce(documents);
    // Every batch of this file's registry was anchored by exactly one transaction.
    for (const count of (await batchEvents()).values()) expect(count).toBe(1);
  });
});
