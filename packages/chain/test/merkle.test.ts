import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, toHex } from "viem";
import { buildCertificateBatch, certificateLeaf, ChainError, loadCertificateBatch, verifyCertificateProof } from "../src";

const ids = Array.from({ length: 20 }, (_, i) => keccak256(toHex(`certificate-${i}`)));

describe("certificate batches", () => {
  it("proves every member against the root", () => {
    const batch = buildCertificateBatch(ids);
    for (const id of ids) expect(verifyCertificateProof(id, batch.proofOf(id), batch.root)).toBe(true);
  });

  it("rejects a forged proof, a different id and a different root", () => {
    const batch = buildCertificateBatch(ids);
    const id = ids[7]!;
    const proof = batch.proofOf(id);
    const forged = [keccak256(toHex("forged")), ...proof.slice(1)];
    expect(verifyCertificateProof(id, forged, batch.root)).toBe(false);
    expect(verifyCertificateProof(keccak256(toHex("not in batch")), proof, batch.root)).toBe(false);
    expect(verifyCertificateProof(ids[8]!, proof, batch.root)).toBe(false);
    const otherRoot = buildCertificateBatch(ids.slice(1)).root;
    expect(verifyCertificateProof(id, proof, otherRoot)).toBe(false);
  });

  it("refuses the proof of an id outside the batch, an empty batch, duplicates and malformed ids", () => {
    const batch = buildCertificateBatch(ids);
    expect(() => batch.proofOf(keccak256(toHex("outsider")))).toThrow(expect.objectContaining({ code: "NOT_IN_TREE" }));
    expect(() => buildCertificateBatch([])).toThrow(ChainError);
    expect(() => buildCertificateBatch([ids[0]!, ids[0]!.toUpperCase().replace("0X", "0x")])).toThrow(/repeat/);
    expect(() => buildCertificateBatch(["0x1234"])).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
  });

  it("matches OpenZeppelin's StandardMerkleTree of ['bytes32'] leaf for leaf and root for root", () => {
    const reference = StandardMerkleTree.of(ids.map((id) => [id]), ["bytes32"]);
    const batch = buildCertificateBatch(ids);
    expect(batch.root).toBe(reference.root);
    for (const id of ids.slice(0, 5)) expect(certificateLeaf(id)).toBe(reference.leafHash([id]));
  });

  it("survives a dump and reload with the same root and proofs", () => {
    const batch = buildCertificateBatch(ids);
    const reloaded = loadCertificateBatch(JSON.parse(JSON.stringify(batch.dump())));
    expect(reloaded.root).toBe(batch.root);
    expect(reloaded.proofOf(ids[3]!)).toEqual(batch.proofOf(ids[3]!));
  });

  it("refuses to reload a tree of another leaf encoding", () => {
    const other = StandardMerkleTree.of([["0x0000000000000000000000000000000000000001"]], ["address"]);
    expect(() => loadCertificateBatch(other.dump())).toThrow(/encoded as/);
  });
});
