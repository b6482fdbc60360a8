// `npm run bench -w @assay/protocol` → bench-results/transparency-log.json
// The transparency log's own cost (docs/decisions/0016), in memory, at 10^5
// and 10^6 entries: append throughput (leaf JSON → leaf hash → every completed
// subtree) and inclusion / consistency proof latency (proof assembly from the
// complete-subtree hashes, plus verification), median and p99 over 1,000
// random entries. The database adds its round trips on top (see the
// platform's transparency-log test for those figures on this machine).
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import {
  appendNodes,
  consistencyRanges,
  inclusionRanges,
  logLeafHash,
  logLeafText,
  rangeHash,
  rootHash,
  statusEntry,
  verifyConsistency,
  verifyInclusion,
  type Hash,
} from "../src";

const SIZES = [100_000, 1_000_000];
const BATCH = 1_000;
const SAMPLES = 1_000;

/** Complete-subtree hashes in one growable buffer per level (64 bytes per entry in all, no per-node objects). */
class NodeArena {
  private levels: Uint8Array[] = [];
  private counts: number[] = [];
  set(level: number, index: number, hash: Hash): void {
    while (this.levels.length <= level) {
      this.levels.push(new Uint8Array(32 * 1024));
      this.counts.push(0);
    }
    let buffer = this.levels[level]!;
    if ((index + 1) * 32 > buffer.length) {
      const grown = new Uint8Array(Math.max(buffer.length * 2, (index + 1) * 32));
      grown.set(buffer);
      this.levels[level] = buffer = grown;
    }
    buffer.set(hash, index * 32);
    this.counts[level] = Math.max(this.counts[level]!, index + 1);
  }
  readonly get = (level: number, index: number): Hash => {
    if (index >= (this.counts[level] ?? 0)) throw new Error(`no node ${level}:${index}`);
    return this.levels[level]!.subarray(index * 32, index * 32 + 32);
  };
}

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return round3(s[Math.min(s.length - 1, Math.floor(s.length * p))]!);
}
const round3 = (x: number) => Math.round(x * 1_000) / 1_000;
const idOf = (i: number) => `0x${i.toString(16).padStart(64, "0")}`;

let seed = 0x12345;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

const arena = new NodeArena();
const leaves: string[] = [];
let size = 0;
let appendMs = 0;
const results: Record<string, unknown>[] = [];

for (const target of SIZES) {
  const started = performance.now();
  while (size < target) {
    const batch: Hash[] = [];
    for (let i = 0; i < BATCH && size + i < target; i++) {
      const leaf = logLeafText(statusEntry({ certificateId: idOf(size + i), from: "active", to: "expired", reason: null, at: "2026-01-01T00:00:00Z" }));
      if (leaves.length < 2_000_000) leaves.push(leaf);
      batch.push(logLeafHash(leaf));
    }
    for (const node of appendNodes(size, batch, arena.get)) arena.set(node.level, node.index, node.hash);
    size += batch.length;
  }
  appendMs += performance.now() - started;
  const root = rootHash(size, arena.get);

  const proveMs: number[] = [];
  const verifyMs: number[] = [];
  for (let s = 0; s < SAMPLES + 50; s++) {
    const index = Math.floor(random() * size);
    let t0 = performance.now();
    const proof = inclusionRanges(index, size).map((r) => rangeHash(r, arena.get));
    const prove = performance.now() - t0;
    t0 = performance.now();
    const ok = verifyInclusion(index, size, logLeafHash(leaves[index]!), proof, root);
    const verify = performance.now() - t0;
    if (!ok) throw new Error(`inclusion proof for ${index} does not verify`);
    if (s >= 50) {
      proveMs.push(prove);
      verifyMs.push(verify);
    }
  }
  const consistencyMs: number[] = [];
  for (let s = 0; s < 200; s++) {
    const from = 1 + Math.floor(random() * (size - 1));
    const t0 = performance.now();
    const proof = consistencyRanges(from, size).map((r) => rangeHash(r, arena.get));
    consistencyMs.push(performance.now() - t0);
    if (!verifyConsistency(from, size, proof, rootHash(from, arena.get), root)) throw new Error(`consistency ${from} → ${size} does not verify`);
  }
  const row = {
    entries: size,
    appendEntriesPerSecond: Math.round(size / (appendMs / 1000)),
    inclusionProof: { medianMs: percentile(proveMs, 0.5), p99Ms: percentile(proveMs, 0.99), maxMs: percentile(proveMs, 1) },
    inclusionVerify: { medianMs: percentile(verifyMs, 0.5), p99Ms: percentile(verifyMs, 0.99) },
    consistencyProof: { medianMs: percentile(consistencyMs, 0.5), p99Ms: percentile(consistencyMs, 0.99) },
  };
  results.push(row);
  console.log(JSON.stringify(row));
}

const out = resolve(__dirname, "..", "bench-results", "transparency-log.json");
mkdirSync(resolve(out, ".."), { recursive: true });
writeFileSync(out, `${JSON.stringify({ machine: { cpus: cpus().length, loadavg: loadavg().map(round3) }, storage: "in memory (complete-subtree hashes per level)", results }, null, 2)}\n`);
console.log(`wrote ${out}`);
