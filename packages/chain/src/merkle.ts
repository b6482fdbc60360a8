// Merkle batches of certificate ids, encoded exactly as CertificateRegistry verifies them:
// an OpenZeppelin StandardMerkleTree over ["bytes32"] (leaf = keccak256(keccak256(abi.encode(id)))).
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { encodeAbiParameters, keccak256 } from "viem";
import { ChainError } from "./errors";
import { assertBytes32, type Bytes32 } from "./types";

const LEAF_ENCODING = ["bytes32"];

/** A batch of certificate ids with its root and per-id inclusion proofs. */
export interface CertificateBatch {
  root: Bytes32;
  ids: readonly Bytes32[];
  /** The inclusion proof of one id; throws ChainError NOT_IN_TREE for an id outside the batch. */
  proofOf(id: Bytes32): Bytes32[];
  /** The tree in @openzeppelin/merkle-tree's dump format, to store and reload with loadCertificateBatch. */
  dump(): unknown;
}

function wrap(tree: StandardMerkleTree<[string]>): CertificateBatch {
  const ids = Array.from(tree.entries(), ([, [id]]) => id.toLowerCase() as Bytes32);
  const indexById = new Map(ids.map((id, index) => [id, index]));
  return {
    root: tree.root as Bytes32,
    ids,
    proofOf(id) {
      const index = indexById.get(id.toLowerCase() as Bytes32);
      if (index === undefined) throw new ChainError("NOT_IN_TREE", `certificate ${id} is not in the batch ${tree.root}`);
      return tree.getProof(index) as Bytes32[];
    },
    dump: () => tree.dump(),
  };
}

/** Builds the batch tree of certificate ids (each 0x + 64 hex). Duplicates are rejected: one id, one leaf. */
export function buildCertificateBatch(ids: readonly string[]): CertificateBatch {
  if (ids.length === 0) throw new ChainError("CONFIG_INVALID", "a batch needs at least one certificate id");
  const normalised = ids.map((id) => assertBytes32(id, "certificate id").toLowerCase() as Bytes32);
  if (new Set(normalised).size !== normalised.length) throw new ChainError("CONFIG_INVALID", "a batch must not repeat a certificate id");
  return wrap(StandardMerkleTree.of(normalised.map((id) => [id] as [string]), LEAF_ENCODING));
}

/** Reloads a batch from its dump (e.g. stored next to the certificates), checking the tree's integrity. */
export function loadCertificateBatch(dump: unknown): CertificateBatch {
  const tree = StandardMerkleTree.load<[string]>(dump as Parameters<typeof StandardMerkleTree.load<[string]>>[0]);
  if (JSON.stringify((dump as { leafEncoding?: unknown }).leafEncoding) !== JSON.stringify(LEAF_ENCODING)) {
    throw new ChainError("CONFIG_INVALID", `a certificate batch must be encoded as ${JSON.stringify(LEAF_ENCODING)}`);
  }
  tree.validate();
  return wrap(tree);
}

/** The leaf of a certificate id, as CertificateRegistry.leafOf computes it (double keccak of abi.encode(id)). */
export function certificateLeaf(id: string): Bytes32 {
  return keccak256(keccak256(encodeAbiParameters([{ type: "bytes32" }], [assertBytes32(id, "certificate id")])));
}

/** Checks an inclusion proof without the chain (false for a forged proof or a different id). */
export function verifyCertificateProof(id: string, proof: readonly string[], root: string): boolean {
  return StandardMerkleTree.verify(assertBytes32(root, "root"), LEAF_ENCODING, [assertBytes32(id, "certificate id")], [...proof]);
}
