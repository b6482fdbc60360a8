// The shape of RFC 9162 Merkle trees over a node store: which complete
// subtrees an append creates, which subtree hashes an inclusion or consistency
// proof consists of (§2.1.3.1 PATH, §2.1.4.1 SUBPROOF), and the hash of any
// leaf range from complete-subtree hashes. Pure; sizes are safe integers, so no
// bitwise operators (they truncate to 32 bits).
import { nodeHash, EMPTY_ROOT, type Hash } from "./merkle-hash";

/** A complete subtree: covers leaves [index·2^level, (index+1)·2^level). Level 0 = the leaf hashes. */
export type NodeKey = { level: number; index: number };
export type StoredNode = NodeKey & { hash: Hash };
/** Leaves [start, end): a proof element is the hash of one such range. */
export type LeafRange = { start: number; end: number };
export type NodeLookup = (level: number, index: number) => Hash;

export const nodeKeyString = (level: number, index: number): string => `${level}:${index}`;

/** The largest power of two strictly less than n (n ≥ 2): RFC 9162's split point k. */
export function splitPoint(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`cannot split a tree of size ${n}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function powerOfTwoLevel(n: number): number | null {
  let level = 0;
  let size = 1;
  while (size < n) {
    size *= 2;
    level += 1;
  }
  return size === n ? level : null;
}

/** The complete subtrees whose hashes give MTH(D[start:end]), in the order rangeHash reads them. */
export function rangeNodeKeys(range: LeafRange): NodeKey[] {
  const keys: NodeKey[] = [];
  const visit = (start: number, end: number): void => {
    const size = end - start;
    const level = powerOfTwoLevel(size);
    if (level !== null && start % size === 0) {
      keys.push({ level, index: start / size });
      return;
    }
    const k = splitPoint(size);
    visit(start, start + k);
    visit(start + k, end);
  };
  if (range.end <= range.start) throw new RangeError(`empty leaf range [${range.start}, ${range.end})`);
  visit(range.start, range.end);
  return keys;
}

/** MTH(D[start:end]) from complete-subtree hashes (same recursion as rangeNodeKeys). */
export function rangeHash(range: LeafRange, node: NodeLookup): Hash {
  const visit = (start: number, end: number): Hash => {
    const size = end - start;
    const level = powerOfTwoLevel(size);
    if (level !== null && start % size === 0) return node(level, start / size);
    const k = splitPoint(size);
    return nodeHash(visit(start, start + k), visit(start + k, end));
  };
  if (range.end <= range.start) throw new RangeError(`empty leaf range [${range.start}, ${range.end})`);
  return visit(range.start, range.end);
}

/** MTH of the first `size` leaves. */
export function rootHash(size: number, node: NodeLookup): Hash {
  return size === 0 ? EMPTY_ROOT : rangeHash({ start: 0, end: size }, node);
}

/** RFC 9162 §2.1.3.1 PATH(index, D[0:size]), bottom-up, as leaf ranges. */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  }
  const path: LeafRange[] = [];
  const visit = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      visit(m, start, start + k);
      path.push({ start: start + k, end });
    } else {
      visit(m - k, start + k, end);
      path.push({ start, end: start + k });
    }
  };
  visit(index, 0, size);
  return path;
}

/** RFC 9162 §2.1.4.1 PROOF(from, D[0:to]) as leaf ranges; empty when from = to or from = 0. */
export function consistencyRanges(from: number, to: number): LeafRange[] {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) {
    throw new RangeError(`no consistency proof from size ${from} to size ${to}`);
  }
  if (from === 0 || from === to) return [];
  const path: LeafRange[] = [];
  const visit = (m: number, start: number, end: number, complete: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!complete) path.push({ start, end });
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      visit(m, start, start + k, complete);
      path.push({ start: start + k, end });
    } else {
      visit(m - k, start + k, end, false);
      path.push({ start, end: start + k });
    }
  };
  visit(from, 0, to, true);
  return path;
}

/** Every complete subtree an element of `ranges` needs, without duplicates (one read from a store). */
export function nodeKeysFor(ranges: readonly LeafRange[]): NodeKey[] {
  const seen = new Map<string, NodeKey>();
  for (const range of ranges) for (const key of rangeNodeKeys(range)) seen.set(nodeKeyString(key.level, key.index), key);
  return [...seen.values()];
}

/**
 * The complete subtrees created by appending `leafHashes` to a tree of `size`
 * leaves: each leaf (level 0) and every parent it completes. `node` must
 * answer for the existing tree's right edge (the complete subtrees of
 * rangeNodeKeys({0, size})); the new nodes themselves are looked up here.
 */
export function appendNodes(size: number, leafHashes: readonly Hash[], node: NodeLookup): StoredNode[] {
  const created = new Map<string, Hash>();
  const lookup = (level: number, index: number): Hash => created.get(nodeKeyString(level, index)) ?? node(level, index);
  const out: StoredNode[] = [];
  let position = size;
  for (const leaf of leafHashes) {
    let level = 0;
    let index = position;
    let hash = leaf;
    for (;;) {
      created.set(nodeKeyString(level, index), hash);
      out.push({ level, index, hash });
      if (index % 2 === 0) break;
      hash = nodeHash(lookup(level, index - 1), hash);
      level += 1;
      index = (index - 1) / 2;
    }
    position += 1;
  }
  return out;
}

/** The right edge a store must supply to appendNodes (the complete subtrees left of the next leaf that can still gain a parent). */
export function frontierKeys(size: number): NodeKey[] {
  return size === 0 ? [] : rangeNodeKeys({ start: 0, end: size });
}
