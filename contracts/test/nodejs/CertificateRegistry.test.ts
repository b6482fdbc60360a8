import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { network } from "hardhat";
import { keccak256, toHex, zeroHash, type Hash } from "viem";

const { viem, networkHelpers } = await network.create();
const ISSUER_ROLE = keccak256(toHex("ISSUER_ROLE"));
const Status = { None: 0, Anchored: 1, Revoked: 2 } as const;

function idOf(label: string): Hash {
  return keccak256(toHex(label));
}

async function deployRegistry() {
  const [admin, issuer, outsider] = await viem.getWalletClients();
  if (admin === undefined || issuer === undefined || outsider === undefined) throw new Error("need three accounts");
  const registry = await viem.deployContract("CertificateRegistry", [admin.account.address]);
  await registry.write.grantRole([ISSUER_ROLE, issuer.account.address]);
  const asIssuer = { account: issuer.account };
  const asOutsider = { account: outsider.account };
  const ids = Array.from({ length: 8 }, (_, i) => idOf(`batch-${i}`));
  const tree = StandardMerkleTree.of(ids.map((id) => [id]), ["bytes32"]);
  const root = tree.root as Hash;
  const proofOf = (id: Hash) => tree.getProof([id]) as Hash[];
  const farFuture = BigInt(await networkHelpers.time.latest()) + 365n * 24n * 3600n;
  return { registry, issuer, outsider, asIssuer, asOutsider, ids, tree, root, proofOf, farFuture };
}

describe("CertificateRegistry", () => {
  describe("constructor", () => {
    it("rejects the zero admin", async () => {
      await assert.rejects(viem.deployContract("CertificateRegistry", ["0x0000000000000000000000000000000000000000"]), /ZeroValue/);
    });
  });

  describe("anchor", () => {
    it("records the id, emits CertificateAnchored and reads back as Anchored", async () => {
      const { registry, issuer, asIssuer, farFuture } = await networkHelpers.loadFixture(deployRegistry);
      const id = idOf("single");
      const subject = idOf("subject");
      await viem.assertions.emitWithArgs(registry.write.anchor([id, subject, farFuture], asIssuer), registry, "CertificateAnchored", [
        id,
        subject,
        farFuture,
        issuer.account.address,
      ]);
      const [status, record] = await registry.read.statusOf([id]);
      assert.equal(status, Status.Anchored);
      assert.equal(record.validUntil, farFuture);
      assert.equal(BigInt(record.anchoredAt), BigInt(await networkHelpers.time.latest()));
      assert.equal(record.revokedAt, 0n);
      assert.equal(await registry.read.isAnchored([id, [], zeroHash]), true);
    });

    it("accepts validUntil 0 (no declared expiry)", async () => {
      const { registry, asIssuer } = await networkHelpers.loadFixture(deployRegistry);
      await registry.write.anchor([idOf("no-expiry"), zeroHash, 0n], asIssuer);
      const [status] = await registry.read.statusOf([idOf("no-expiry")]);
      assert.equal(status, Status.Anchored);
    });

    it("reverts on a second anchor of the same id", async () => {
      const { registry, asIssuer, farFuture } = await networkHelpers.loadFixture(deployRegistry);
      const id = idOf("twice");
      await registry.write.anchor([id, zeroHash, farFuture], asIssuer);
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.anchor([id, zeroHash, farFuture], asIssuer), registry, "AlreadyAnchored", [id]);
    });

    it("reverts when anchoring an id that was revoked", async () => {
      const { registry, asIssuer } = await networkHelpers.loadFixture(deployRegistry);
      const id = idOf("revoked-first");
      await registry.write.revoke([id, 3], asIssuer);
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.anchor([id, zeroHash, 0n], asIssuer), registry, "AlreadyAnchored", [id]);
    });

    it("reverts on the zero id", async () => {
      const { registry, asIssuer } = await networkHelpers.loadFixture(deployRegistry);
      await viem.assertions.revertWithCustomError(registry.write.anchor([zeroHash, zeroHash, 0n], asIssuer), registry, "ZeroValue");
    });

    it("reverts on an expiry in the past", async () => {
      const { registry, asIssuer } = await networkHelpers.loadFixture(deployRegistry);
      const past = BigInt(await networkHelpers.time.latest()) - 1n;
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.anchor([idOf("old"), zeroHash, past], asIssuer), registry, "ExpiryInPast", [past]);
    });

    it("reverts for a caller without the issuer role", async () => {
      const { registry, outsider, asOutsider } = await networkHelpers.loadFixture(deployRegistry);
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.anchor([idOf("x"), zeroHash, 0n], asOutsider),
        registry,
        "AccessControlUnauthorizedAccount",
        [outsider.account.address, ISSUER_ROLE],
      );
    });
  });

  describe("anchorBatch", () => {
    it("stores the root, emits BatchAnchored and proves every member", async () => {
      const { registry, issuer, asIssuer, ids, root, proofOf } = await networkHelpers.loadFixture(deployRegistry);
      await viem.assertions.emitWithArgs(registry.write.anchorBatch([root, ids.length], asIssuer), registry, "BatchAnchored", [
        root,
        ids.length,
        issuer.account.address,
      ]);
      const batch = await registry.read.batchOf([root]);
      assert.equal(batch.count, ids.length);
      assert.ok(batch.anchoredAt > 0n);
      for (const id of ids) assert.equal(await registry.read.isAnchored([id, proofOf(id), root]), true);
    });

    it("reverts on a second anchor of the same root", async () => {
      const { registry, asIssuer, root } = await networkHelpers.loadFixture(deployRegistry);
      await registry.write.anchorBatch([root, 8], asIssuer);
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.anchorBatch([root, 8], asIssuer), registry, "BatchAlreadyAnchored", [root]);
    });

    it("reverts on the zero root and on an empty batch", async () => {
      const { registry, asIssuer, root } = await networkHelpers.loadFixture(deployRegistry);
      await viem.assertions.revertWithCustomError(registry.write.anchorBatch([zeroHash, 8], asIssuer), registry, "ZeroValue");
      await viem.assertions.revertWithCustomError(registry.write.anchorBatch([root, 0], asIssuer), registry, "EmptyBatch");
    });

    it("reverts for a caller without the issuer role", async () => {
      const { registry, outsider, asOutsider, root } = await networkHelpers.loadFixture(deployRegistry);
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.anchorBatch([root, 8], asOutsider), registry, "AccessControlUnauthorizedAccount", [
        outsider.account.address,
        ISSUER_ROLE,
      ]);
    });
  });

  describe("isAnchored", () => {
    it("is false for an id never anchored, and for a single id given a proof", async () => {
      const { registry, asIssuer, ids, proofOf } = await networkHelpers.loadFixture(deployRegistry);
      assert.equal(await registry.read.isAnchored([idOf("never"), [], zeroHash]), false);
      const id = idOf("single-with-proof");
      await registry.write.anchor([id, zeroHash, 0n], asIssuer);
      assert.equal(await registry.read.isAnchored([id, proofOf(ids[0]!), zeroHash]), false);
    });

    it("rejects a forged proof and an id outside the batch", async () => {
      const { registry, asIssuer, ids, root, proofOf } = await networkHelpers.loadFixture(deployRegistry);
      await registry.write.anchorBatch([root, ids.length], asIssuer);
      const member = ids[2]!;
      const forged = proofOf(member).map((node, i) => (i === 0 ? idOf("forged-sibling") : node));
      assert.equal(await registry.read.isAnchored([member, forged, root]), false);
      assert.equal(await registry.read.isAnchored([idOf("outsider"), proofOf(member), root]), false);
      // Another member's proof does not prove this member.
      assert.equal(await registry.read.isAnchored([member, proofOf(ids[5]!), root]), false);
    });

    it("reverts for a root that was never anchored", async () => {
      const { registry, ids, root, proofOf } = await networkHelpers.loadFixture(deployRegistry);
      await viem.assertions.revertWithCustomErrorWithArgs(registry.read.isAnchored([ids[0]!, proofOf(ids[0]!), root]), registry, "UnknownRoot", [root]);
    });
  });

  describe("revoke", () => {
    it("revokes a single anchor with its reason code and emits CertificateRevoked", async () => {
      const { registry, issuer, asIssuer } = await networkHelpers.loadFixture(deployRegistry);
      const id = idOf("to-revoke");
      await registry.write.anchor([id, zeroHash, 0n], asIssuer);
      await viem.assertions.emitWithArgs(registry.write.revoke([id, 7], asIssuer), registry, "CertificateRevoked", [id, 7, issuer.account.address]);
      const [status, record] = await registry.read.statusOf([id]);
      assert.equal(status, Status.Revoked);
      assert.equal(record.reasonCode, 7);
      assert.ok(record.revokedAt > 0n);
      assert.ok(record.anchoredAt > 0n, "the anchoring stays on record");
    });

    it("revokes a batch member by id while its inclusion stays provable", async () => {
      const { registry, asIssuer, ids, root, proofOf } = await networkHelpers.loadFixture(deployRegistry);
      await registry.write.anchorBatch([root, ids.length], asIssuer);
      const member = ids[4]!;
      assert.equal((await registry.read.statusOf([member]))[0], Status.None);
      await registry.write.revoke([member, 2], asIssuer);
      assert.equal((await registry.read.statusOf([member]))[0], Status.Revoked);
      assert.equal(await registry.read.isAnchored([member, proofOf(member), root]), true);
    });

    it("reverts on revoking twice", async () => {
      const { registry, asIssuer } = await networkHelpers.loadFixture(deployRegistry);
      const id = idOf("revoke-twice");
      await registry.write.revoke([id, 1], asIssuer);
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.revoke([id, 1], asIssuer), registry, "AlreadyRevoked", [id]);
    });

    it("reverts on the zero id", async () => {
      const { registry, asIssuer } = await networkHelpers.loadFixture(deployRegistry);
      await viem.assertions.revertWithCustomError(registry.write.revoke([zeroHash, 1], asIssuer), registry, "ZeroValue");
    });

    it("reverts for a caller without the issuer role", async () => {
      const { registry, outsider, asOutsider } = await networkHelpers.loadFixture(deployRegistry);
      await viem.assertions.revertWithCustomErrorWithArgs(registry.write.revoke([idOf("x"), 1], asOutsider), registry, "AccessControlUnauthorizedAccount", [
        outsider.account.address,
        ISSUER_ROLE,
      ]);
    });
  });

  describe("statusOf / leafOf", () => {
    it("reads None and an empty record for an unknown id", async () => {
      const { registry } = await networkHelpers.loadFixture(deployRegistry);
      const [status, record] = await registry.read.statusOf([idOf("unknown")]);
      assert.equal(status, Status.None);
      assert.deepEqual(record, { anchoredAt: 0n, validUntil: 0n, revokedAt: 0n, reasonCode: 0 });
    });

    it("hashes leaves exactly as StandardMerkleTree(['bytes32']) does", async () => {
      const { registry, tree, ids } = await networkHelpers.loadFixture(deployRegistry);
      for (const id of ids.slice(0, 3)) assert.equal(await registry.read.leafOf([id]), tree.leafHash([id]));
    });
  });
});
