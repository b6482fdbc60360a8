// The transparency log's Merkle math (docs/decisions/0014) against (1) the
// RFC 6962/9162 test vectors of transparency-dev/merkle (fixtures/
// rfc9162-vectors.json) and (2) an independent implementation written only
// here: MTH, PATH and PROOF straight from RFC 9162 §2.1 over the leaf list,
// with node:crypto instead of the module's @noble/hashes.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import {
  appendNodes,
  consistencyRanges,
  EMPTY_ROOT,
  frontierKeys,
  hashToHex,
  inclusionRanges,
  leafHash,
  nodeKeyString,
  rangeHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
  type Hash,
  type StoredNode,
} from "../src/transparency";

// ---- independent reference (RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1, literally) ----
const sha = (...parts: Buffer[]): Buffer => createHash("sha256").update(Buffer.concat(parts)).digest();
const refLeaf = (data: Buffer): Buffer => sha(Buffer.from([0]), data);
function refMth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return refLeaf(leaves[0]!);
  const k = refSplit(leaves.length);
  return sha(Buffer.from([1]), refMth(leaves.slice(0, k)), refMth(leaves.slice(k)));
}
function refSplit(n: number): number {
  return 2 ** Math.ceil(Math.log2(n) - 1);
}
function refPath(m: number, leaves: Buffer[]): Buffer[] {
  const n = leaves.length;
  if (n <= 1) return [];
  const k = refSplit(n);
  return m < k ? [...refPath(m, leaves.slice(0, k)), refMth(leaves.slice(k))] : [...refPath(m - k, leaves.slice(k)), refMth(leaves.slice(0, k))];
}
function refSubproof(m: number, leaves: Buffer[], complete: boolean): Buffer[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [refMth(leaves)];
  const k = refSplit(n);
  return m <= k
    ? [...refSubproof(m, leaves.slice(0, k), complete), refMth(leaves.slice(k))]
    : [...refSubproof(m - k, leaves.slice(k), false), refMth(leaves.slice(0, k))];
}
const refProof = (m: number, leaves: Buffer[]): Buffer[] => (m === 0 || m === leaves.length ? [] : refSubproof(m, leaves, true));

// ---- the module under test, over an in-memory node store ----
class MemoryTree {
  readonly nodes = new Map<string, Hash>();
  size = 0;
  append(leafHashes: Hash[]): StoredNode[] {
    const created = appendNodes(this.size, leafHashes, this.lookup);
    for (const n of created) this.nodes.set(nodeKeyString(n.level, n.index), n.hash);
    this.size += leafHashes.length;
    return created;
  }
  readonly lookup = (level: number, index: number): Hash => {
    const hash = this.nodes.get(nodeKeyString(level, index));
    if (!hash) throw new Error(`no node ${level}:${index}`);
    return hash;
  };
  inclusion(index: number, size = this.size): Hash[] {
    return inclusionRanges(index, size).map((r) => rangeHash(r, this.lookup));
  }
  consistency(from: number, to = this.size): Hash[] {
    return consistencyRanges(from, to).map((r) => rangeHash(r, this.lookup));
  }
}

const leafData = (i: number): Buffer => Buffer.from(`leaf ${i}`);
const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map((h) => Buffer.from(h).toString("hex"));

describe("RFC 9162 vectors (transparency-dev/merkle testdata)", () => {
  type Vector = Record<string, unknown> & { desc: string; wantErr: boolean; file: string };
  const vectors = JSON.parse(readFileSync(join(__dirname, "fixtures", "rfc9162-vectors.json"), "utf8")) as { inclusion: Vector[]; consistency: Vector[] };
  const b64 = (v: unknown): Uint8Array => new Uint8Array(Buffer.from(typeof v === "string" ? v : "", "base64"));
  const b64s = (v: unknown): Uint8Array[] => (Array.isArray(v) ? v.map(b64) : []);

  test("there are vectors, good and bad", () => {
    expect(vectors.inclusion.length).toBeGreaterThan(90);
    expect(vectors.consistency.length).toBeGreaterThan(90);
    expect(vectors.inclusion.some((v) => v.wantErr) && vectors.inclusion.some((v) => !v.wantErr)).toBe(true);
  });

  test.each(vectors_of("inclusion"))("inclusion %s", (_name, v) => {
    const ok = verifyInclusion(v.leafIdx as number, v.treeSize as number, b64(v.leafHash), b64s(v.proof), b64(v.root));
    expect(ok).toBe(!v.wantErr);
  });

  test.each(vectors_of("consistency"))("consistency %s", (_name, v) => {
    const ok = verifyConsistency(v.size1 as number, v.size2 as number, b64s(v.proof), b64(v.root1), b64(v.root2));
    expect(ok).toBe(!v.wantErr);
  });

  function vectors_of(kind: "inclusion" | "consistency"): [string, Vector][] {
    const all = JSON.parse(readFileSync(join(__dirname, "fixtures", "rfc9162-vectors.json"), "utf8")) as Record<string, Vector[]>;
    return all[kind]!.map((v) => [v.file, v]);
  }

  test("the reference tree's roots (testonly.RootHashes) for every size 0..8", () => {
    const inputs = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map((h) => Buffer.from(h, "hex"));
    const roots = [
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    const tree = new MemoryTree();
    expect(hashToHex(rootHash(0, tree.lookup))).toBe(roots[0]);
    expect(hashToHex(EMPTY_ROOT)).toBe(roots[0]);
    inputs.forEach((input, i) => {
      tree.append([leafHash(new Uint8Array(input))]);
      expect(hashToHex(rootHash(i + 1, tree.lookup))).toBe(roots[i + 1]);
    });
  });
});

describe("proof generation agrees with the independent reference", () => {
  const leaves = Array.from({ length: 70 }, (_, i) => leafData(i));
  const tree = new MemoryTree();
  tree.append(leaves.map((l) => new Uint8Array(refLeaf(l))));

  test("roots, inclusion proofs and consistency proofs for every size ≤ 70", () => {
    for (let size = 1; size <= leaves.length; size++) {
      const prefix = leaves.slice(0, size);
      const root = rootHash(size, tree.lookup);
      expect(hashToHex(root)).toBe(refMth(prefix).toString("hex"));
      for (let m = 0; m < size; m++) {
        const proof = tree.inclusion(m, size);
        expect(hex(proof)).toEqual(hex(refPath(m, prefix)));
        expect(verifyInclusion(m, size, refLeaf(leaves[m]!), proof, root)).toBe(true);
      }
      for (let from = 0; from <= size; from++) {
        const proof = tree.consistency(from, size);
        expect(hex(proof)).toEqual(hex(refProof(from, prefix)));
        expect(verifyConsistency(from, size, proof, refMth(leaves.slice(0, from)), root)).toBe(from > 0);
      }
    }
  });

  test("property: any tampered proof element, index or size fails", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 70 }), fc.nat(), fc.nat(), fc.nat({ max: 255 }), (size, rawIndex, rawElement, bit) => {
        const index = rawIndex % size;
        const root = rootHash(size, tree.lookup);
        const proof = tree.inclusion(index, size);
        const leaf = refLeaf(leaves[index]!);
        if (proof.length > 0) {
          const bad = proof.map((p) => new Uint8Array(p));
          bad[rawElement % bad.length]![bit % 32]! ^= 1 << (bit % 8);
          expect(verifyInclusion(index, size, leaf, bad, root)).toBe(false);
        }
        expect(verifyInclusion(index, size, refLeaf(leaves[(index + 1) % size]!), proof, root)).toBe(false);
        expect(verifyInclusion(index, size, leaf, proof.slice(0, -1), root)).toBe(proof.length === 0);
      }),
      { numRuns: 300 },
    );
  });

  test("property: a consistency proof does not verify against a forked tree", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 69 }), fc.integer({ min: 2, max: 70 }), fc.nat(), (rawFrom, to, forkAt) => {
        const from = Math.min(rawFrom, to - 1);
        const forked = leaves.slice(0, to).map((l, i) => (i === forkAt % to ? Buffer.concat([l, Buffer.from("!")]) : l));
        const honestOld = refMth(leaves.slice(0, from));
        const forkedNew = refMth(forked);
        const proof = refProof(from, forked);
        // The forked tree's proof cannot link the honest old root unless the fork is after `from`... and even then the new root differs.
        const expected = forkAt % to >= from;
        expect(verifyConsistency(from, to, proof, honestOld, forkedNew)).toBe(expected);
        expect(verifyConsistency(from, to, tree.consistency(from, to), honestOld, forkedNew)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe("appending", () => {
  test("in batches or one by one gives the same nodes (deterministic, order-independent batching)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 12 }), (batches) => {
        const total = batches.reduce((a, b) => a + b, 0);
        const hashes = Array.from({ length: total }, (_, i) => leafHash(leafData(i)));
        const one = new MemoryTree();
        hashes.forEach((h) => one.append([h]));
        const batched = new MemoryTree();
        let at = 0;
        for (const b of batches) {
          batched.append(hashes.slice(at, at + b));
          at += b;
        }
        expect([...batched.nodes.entries()].map(([k, v]) => [k, hashToHex(v)]).sort()).toEqual([...one.nodes.entries()].map(([k, v]) => [k, hashToHex(v)]).sort());
      }),
      { numRuns: 100 },
    );
  });

  test("an append reads only the frontier of the existing tree", () => {
    for (let size = 0; size < 40; size++) {
      const tree = new MemoryTree();
      tree.append(Array.from({ length: size }, (_, i) => leafHash(leafData(i))));
      const frontier = new Set(frontierKeys(size).map((k) => nodeKeyString(k.level, k.index)));
      const reads: string[] = [];
      appendNodes(size, [leafHash(leafData(size)), leafHash(leafData(size + 1))], (level, index) => {
        reads.push(nodeKeyString(level, index));
        return tree.lookup(level, index);
      });
      for (const r of reads) expect(frontier.has(r)).toBe(true);
    }
  });
});
