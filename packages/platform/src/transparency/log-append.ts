// Appending to the transparency log inside the caller's transaction
// (docs/decisions/0016): the certificate's issuance or status change and its
// log entry commit together or not at all, so the log holds exactly one entry
// per fact. Appends take a transaction-scoped advisory lock: indexes are dense
// and each append sees the tree its predecessor committed.
import { appendNodes, frontierKeys, logLeafHash, logLeafText, nodeKeyString, type LogEntry } from "@assay/protocol";
import type { Repositories } from "../repositories";
import { LogCorruptError } from "./log-errors";

export type AppendResult = { firstIndex: number; treeSize: number };

export async function appendToLog(repos: Pick<Repositories, "transparencyLog">, entries: readonly LogEntry[]): Promise<AppendResult> {
  const log = repos.transparencyLog;
  await log.lockForAppend();
  const size = await log.size();
  if (entries.length === 0) return { firstIndex: size, treeSize: size };
  const keys = frontierKeys(size);
  const frontier = await log.nodes(keys);
  const lookup = (level: number, index: number): Uint8Array => {
    const hash = frontier.get(nodeKeyString(level, index));
    if (!hash) throw new LogCorruptError(`log node ${level}:${index} is missing at tree size ${size}`);
    return hash;
  };
  const leaves = entries.map((entry) => logLeafText(entry));
  const hashes = leaves.map((leaf) => logLeafHash(leaf));
  const nodes = appendNodes(size, hashes, lookup);
  await log.insert(
    entries.map((entry, i) => ({ index: size + i, kind: entry.kind, certificateId: entry.certificateId, leaf: leaves[i]!, leafHash: hashes[i]! })),
    nodes,
  );
  return { firstIndex: size, treeSize: size + entries.length };
}
