import { keccak256, parseEther, toHex } from "viem";
import {
  anchorBatch,
  anchorSingle,
  certificateRegistryContract,
  connectChain,
  ContractRevertError,
  deployRegistry,
  readAnchorStatus,
  requireSigner,
  revokeOnChain,
  toCertificateAnchorState,
  treasuryContract,
  withAddresses,
  type DeployedRegistry,
  type RegistryContext,
} from "../src";
import { DEV_KEYS, startHardhatNode, type HardhatNode } from "./hardhat-node";

jest.setTimeout(60_000);

const idOf = (label: string) => keccak256(toHex(label));
const SUBJECT = idOf("subject-artifact");
const farFuture = () => BigInt(Math.floor(Date.now() / 1000) + 365 * 24 * 3600);

let node: HardhatNode;
let deployed: DeployedRegistry;
let issuer: RegistryContext;
let reader: RegistryContext;

beforeAll(async () => {
  node = await startHardhatNode();
  deployed = await deployRegistry({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[0] });
  issuer = withAddresses(await connectChain({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[0], pollingIntervalMs: 50 }), deployed);
  reader = withAddresses(await connectChain({ rpcUrl: node.rpcUrl, pollingIntervalMs: 50 }), deployed);
});

afterAll(async () => {
  await node?.stop();
});

describe("deployRegistry", () => {
  it("deploys three contracts on the node's chain and wires slashing into the treasury", async () => {
    expect(deployed.chainId).toBe(31337);
    const codes = await Promise.all(
      [deployed.certificateRegistry, deployed.validatorRegistry, deployed.treasury].map((address) => reader.publicClient.getCode({ address })),
    );
    for (const code of codes) expect(code?.length ?? 0).toBeGreaterThan(2);
    const sink = await reader.publicClient.readContract({
      address: deployed.validatorRegistry,
      abi: (await import("../src")).validatorRegistryAbi,
      functionName: "slashSink",
    });
    expect(sink.toLowerCase()).toBe(deployed.treasury.toLowerCase());
    expect(await treasuryContract(reader).read.unallocated()).toBe(0n);
  });

  it("grants the issuer role to the deployer by default", async () => {
    const registry = certificateRegistryContract(reader);
    expect(await registry.read.hasRole([await registry.read.ISSUER_ROLE(), deployed.deployer])).toBe(true);
  });

  it("rejects a malformed key and an unreachable-looking URL before sending anything", async () => {
    await expect(deployRegistry({ rpcUrl: node.rpcUrl, privateKey: "0x1234" })).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(deployRegistry({ rpcUrl: "not a url", privateKey: DEV_KEYS[0] })).rejects.toMatchObject({ code: "CONFIG_INVALID" });
  });
});

describe("single anchors", () => {
  it("anchors an id and reads it back from the chain with its transaction", async () => {
    const id = idOf("single-1");
    const mined = await anchorSingle(issuer, { id, subjectDigest: SUBJECT, validUntil: farFuture() });
    expect(mined.gasUsed).toBeLessThanOrEqual(60_000n);

    const status = await readAnchorStatus(reader, id);
    expect(status.anchored).toBe(true);
    expect(status.revoked).toBe(false);
    expect(status.anchor).toMatchObject({ kind: "single", blockNumber: mined.blockNumber, transactionHash: mined.transactionHash });
    expect(toCertificateAnchorState(status)).toEqual({ state: "anchored", block: Number(mined.blockNumber), tx: mined.transactionHash });
  });

  it("reads an id never anchored as not anchored", async () => {
    const status = await readAnchorStatus(reader, idOf("never"));
    expect(status).toMatchObject({ anchored: false, revoked: false, unknownRoot: false });
    expect(status.anchor).toBeUndefined();
    expect(toCertificateAnchorState(status)).toEqual({ state: "not-anchored" });
  });

  it("surfaces a double anchor as a typed AlreadyAnchored revert", async () => {
    const id = idOf("single-twice");
    await anchorSingle(issuer, { id, subjectDigest: SUBJECT, validUntil: 0 });
    const attempt = anchorSingle(issuer, { id, subjectDigest: SUBJECT, validUntil: 0 });
    await expect(attempt).rejects.toBeInstanceOf(ContractRevertError);
    await expect(attempt).rejects.toMatchObject({ errorName: "AlreadyAnchored", errorArgs: [id] });
  });

  it("refuses to write without a signer", async () => {
    await expect(anchorSingle(reader, { id: idOf("x"), subjectDigest: SUBJECT, validUntil: 0 })).rejects.toMatchObject({ code: "CONFIG_INVALID" });
  });

  it("rejects a caller without the issuer role with the contract's error", async () => {
    const outsider = withAddresses(await connectChain({ rpcUrl: node.rpcUrl, privateKey: DEV_KEYS[2], pollingIntervalMs: 50 }), deployed);
    await expect(anchorSingle(outsider, { id: idOf("outsider"), subjectDigest: SUBJECT, validUntil: 0 })).rejects.toMatchObject({
      errorName: "AccessControlUnauthorizedAccount",
    });
  });
});

describe("batch anchors", () => {
  const ids = Array.from({ length: 16 }, (_, i) => idOf(`batch-member-${i}`));

  it("anchors a root and proves each member on chain; a forged proof or a different id fails", async () => {
    const { batch, transactionHash } = await anchorBatch(issuer, ids);
    const member = ids[5]!;
    const proof = batch.proofOf(member);

    const good = await readAnchorStatus(reader, member, proof, batch.root);
    expect(good.anchored).toBe(true);
    expect(good.anchor).toMatchObject({ kind: "batch", root: batch.root, transactionHash });

    const forged = [idOf("forged-node"), ...proof.slice(1)];
    const forgedStatus = await readAnchorStatus(reader, member, forged, batch.root);
    expect(forgedStatus.anchored).toBe(false);
    expect(toCertificateAnchorState(forgedStatus).state).toBe("failed");

    const otherId = await readAnchorStatus(reader, idOf("not-a-member"), proof, batch.root);
    expect(otherId.anchored).toBe(false);
    const swapped = await readAnchorStatus(reader, ids[6]!, proof, batch.root);
    expect(swapped.anchored).toBe(false);
  });

  it("reports a root that was never anchored", async () => {
    const status = await readAnchorStatus(reader, ids[0]!, [], idOf("unknown-root"));
    expect(status).toMatchObject({ anchored: false, unknownRoot: true });
    expect(toCertificateAnchorState(status)).toMatchObject({ state: "failed" });
  });
});

describe("revocation", () => {
  it("revokes a single anchor with its reason code", async () => {
    const id = idOf("to-revoke");
    await anchorSingle(issuer, { id, subjectDigest: SUBJECT, validUntil: 0 });
    await revokeOnChain(issuer, id, 4);
    const status = await readAnchorStatus(reader, id);
    expect(status).toMatchObject({ anchored: true, revoked: true, revocation: { reasonCode: 4 } });
    expect(toCertificateAnchorState(status)).toEqual({ state: "revoked-on-chain", reason: "reason code 4" });
    await expect(revokeOnChain(issuer, id, 4)).rejects.toMatchObject({ errorName: "AlreadyRevoked" });
  });

  it("revokes a batch member, which stays provably included", async () => {
    const members = [idOf("rb-1"), idOf("rb-2"), idOf("rb-3")];
    const { batch } = await anchorBatch(issuer, members);
    await revokeOnChain(issuer, members[1]!, 2);
    const status = await readAnchorStatus(reader, members[1]!, batch.proofOf(members[1]!), batch.root);
    expect(status).toMatchObject({ anchored: true, revoked: true, revocation: { reasonCode: 2 } });
    const sibling = await readAnchorStatus(reader, members[0]!, batch.proofOf(members[0]!), batch.root);
    expect(sibling.revoked).toBe(false);
  });

  it("rejects a reason code outside uint16", async () => {
    await expect(revokeOnChain(issuer, idOf("x"), 70_000)).rejects.toThrow(RangeError);
  });
});

describe("treasury through the typed handle", () => {
  it("accepts a fee and reports it per submission", async () => {
    const treasury = treasuryContract(requireSigner(issuer));
    const submission = idOf("submission-7");
    const hash = await treasury.write.depositFee([submission], { value: parseEther("0.01") });
    await issuer.publicClient.waitForTransactionReceipt({ hash });
    expect(await treasury.read.feesOf([submission])).toBe(parseEther("0.01"));
  });
});
