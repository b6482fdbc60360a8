// RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency) verification, with
// the edge cases of the reference implementation (transparency-dev/merkle):
// sizes equal → no proof, same root; from = 0 → never (meaningless). Never throws on
// hostile input: a proof either verifies or does not.
import { hashesEqual, nodeHash, type Hash } from "./merkle-hash";

const HASH_BYTES = 32;
const isSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;
const odd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/** The root an inclusion proof leads to, or null when the proof has the wrong shape. */
export function rootFromInclusionProof(index: number, size: number, leaf: Hash, proof: readonly Hash[]): Hash | null {
  if (!isSize(index) || !isSize(size) || index >= size || leaf.length !== HASH_BYTES) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== HASH_BYTES || sn === 0) return null;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  return computed !== null && hashesEqual(computed, root);
}

export function verifyConsistency(from: number, to: number, proof: readonly Hash[], fromRoot: Hash, toRoot: Hash): boolean {
  // A proof from the empty tree is meaningless (every tree extends it): callers handle size 0 themselves.
  if (!isSize(from) || !isSize(to) || from > to || from === 0) return false;
  if (from === to) return proof.length === 0 && hashesEqual(fromRoot, toRoot);
  if (fromRoot.length !== HASH_BYTES || toRoot.length !== HASH_BYTES || proof.some((p) => p.length !== HASH_BYTES)) return false;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : [...proof];
  let fn = from - 1;
  let sn = to - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && hashesEqual(fr, fromRoot) && hashesEqual(sr, toRoot);
}

function isPowerOfTwo(n: number): boolean {
  let size = 1;
  while (size < n) size *= 2;
  return size === n;
}
