// The transparency log's read side and checkpoints (docs/decisions/0016):
// the latest signed checkpoint (signed on demand when the log has grown, one
// per tree size), a certificate's entries with inclusion proofs against it, and
// consistency proofs between two sizes. Proofs are read from the stored
// complete-subtree hashes: O(log n) nodes in one query, whatever the log's size.
// Where the chain is on, the checkpoint anchored with a certificate's registry
// batch, with the proof of its commitment in that batch.
import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import { loadCertificateBatch } from "@assay/chain";
import {
  checkpointBody,
  checkpointCommitment,
  consistencyRanges,
  hashToHex,
  inclusionRanges,
  issuedEntry,
  logOrigin,
  nodeKeysFor,
  nodeKeyString,
  noteKeyHash,
  rangeHash,
  rootHash,
  signedNote,
  statusEntry,
  toCertificateTime,
  type LeafRange,
  type LogAnchoredCheckpointResponse,
  type LogCertificateState,
  type LogCheckpointResponse,
  type LogConsistencyResponse,
  type LogEntry,
  type LogInclusionResponse,
} from "@assay/protocol";
import { base64url, type JWK } from "jose";
import { NotFoundError, ValidationError } from "../errors";
import type { Store } from "../repositories";
import type { LogCheckpointRow } from "../repositories/transparency-log-repository";
import type { SigningKeyService } from "../services/signing-key-service";
import type { AnchorStateSource } from "../services/anchor-state-service";
import { appendToLog, type AppendResult } from "./log-append";
import { LogCorruptError } from "./log-errors";

/** A certificate has one issuance entry and a handful of status changes; this bounds one answer. */
export const LOG_ENTRIES_PER_CERTIFICATE_MAX = 1_000;

export class TransparencyLogService {
  readonly origin: string;
  private keyCache: { kid: string; key: KeyObject; keyHash: Uint8Array } | undefined;
  private readonly checkpoints = new Map<number, LogCheckpointResponse>();

  constructor(
    private readonly store: Store,
    private readonly keys: SigningKeyService,
    settings: { issuerId: string },
    private readonly clock: () => Date = () => new Date(),
    /** How the issuer reads an anchor (the chain where it is on), for the server-reported anchorState. */
    private readonly anchors: AnchorStateSource = { stateOf: () => ({ state: "not-anchored" }) },
  ) {
    this.origin = logOrigin(settings.issuerId);
  }

  /** Appends entries in a transaction of their own (backfills, benches, tests); issuance appends inside its own transaction. */
  append(entries: readonly LogEntry[]): Promise<AppendResult> {
    return this.store.transaction((repos) => appendToLog(repos, entries));
  }

  /**
   * Appends the certificates issued before the log existed (issuance, then
   * their recorded status changes), oldest first, under the append lock so
   * concurrent callers append each once. Returns how many certificates it logged.
   */
  async backfill(batch = 500): Promise<number> {
    let logged = 0;
    for (;;) {
      const done = await this.store.transaction(async (repos) => {
        await repos.transparencyLog.lockForAppend();
        const missing = await repos.transparencyLog.unlogged(batch);
        const entries: LogEntry[] = [];
        for (const certificate of missing) {
          const issuedAt = (certificate.payload as { issuedAt?: unknown }).issuedAt;
          if (typeof issuedAt !== "string") throw new LogCorruptError(`certificate ${certificate.id} has no issuedAt in its payload`);
          entries.push(issuedEntry(certificate.id, issuedAt));
          for (const change of certificate.changes) {
            entries.push(statusEntry({ certificateId: certificate.id, from: change.from as LogCertificateState, to: change.to as LogCertificateState, reason: change.reason, at: toCertificateTime(change.at) }));
          }
        }
        await appendToLog(repos, entries);
        return missing.length;
      });
      logged += done;
      if (done < batch) return logged;
    }
  }

  async size(): Promise<number> {
    return this.store.repos.transparencyLog.size();
  }

  /** The checkpoint of the log as it is now, signed by the active key. */
  async checkpoint(): Promise<LogCheckpointResponse> {
    return this.checkpointOfSize(await this.store.repos.transparencyLog.size());
  }

  /** The certificate's log entries with inclusion proofs against the latest checkpoint. */
  async inclusion(certificateId: string): Promise<LogInclusionResponse> {
    const id = certificateId.toLowerCase();
    const { entries, size } = await this.store.repos.transparencyLog.entriesWithSize(id, LOG_ENTRIES_PER_CERTIFICATE_MAX);
    if (entries.length === 0) throw new NotFoundError("log_entry_not_found", `the transparency log has no entry for ${certificateId}`);
    const checkpoint = await this.checkpointOfSize(size);
    const paths = entries.map((e) => inclusionRanges(e.index, size));
    const hashes = await this.rangeHashes(paths.flat());
    let at = 0;
    return {
      certificateId: id,
      checkpoint,
      entries: entries.map((entry, i) => ({ index: entry.index, leaf: entry.leaf, proof: paths[i]!.map(() => hashToHex(hashes[at++]!)) })),
    };
  }

  /**
   * The checkpoint of one tree size: from memory, else the stored one, else
   * signed now. Checkpoints never change once stored, so caching them by size
   * is exact; only the stored row (the first signer's) is ever served.
   */
  private async checkpointOfSize(size: number): Promise<LogCheckpointResponse> {
    const cached = this.checkpoints.get(size);
    if (cached) return cached;
    const log = this.store.repos.transparencyLog;
    let stored = await log.checkpointAt(size);
    if (!stored) {
      const root = await this.rootAt(size);
      const signer = await this.signer();
      const timestamp = Math.floor(this.clock().getTime() / 1000);
      const body = checkpointBody({ origin: this.origin, treeSize: size, rootHash: root, timestamp });
      const note = signedNote(body, this.origin, signer.keyHash, sign(null, Buffer.from(body, "utf8"), signer.key));
      await log.addCheckpoint({ treeSize: size, rootHash: root, timestamp: new Date(timestamp * 1000), kid: signer.kid, note });
      // Another process may have signed this size first: everyone serves the stored one.
      stored = (await log.checkpointAt(size))!;
    }
    const view = this.view(stored);
    if (this.checkpoints.size >= 64) this.checkpoints.clear();
    this.checkpoints.set(size, view);
    return view;
  }

  /**
   * The checkpoint anchored in the same registry batch as the certificate (it
   * covers the certificate's issuance), the proof of its commitment in that
   * batch, and the issuer's own chain reading of it.
   */
  async anchoredCheckpoint(certificateId: string): Promise<LogAnchoredCheckpointResponse> {
    const id = certificateId.toLowerCase();
    const log = this.store.repos.transparencyLog;
    const batch = await log.anchoredBatchOf(id);
    if (!batch) throw new NotFoundError("checkpoint_not_anchored", `no transparency-log checkpoint is anchored with ${certificateId} (yet)`);
    const stored = await log.checkpointAt(batch.logTreeSize);
    if (!stored) throw new LogCorruptError(`the checkpoint of size ${batch.logTreeSize} anchored in batch ${batch.root} is missing`);
    const commitment = checkpointCommitment(stored.note);
    let proof: string[];
    try {
      proof = loadCertificateBatch(batch.tree).proofOf((commitment ?? "0x") as `0x${string}`);
    } catch {
      throw new LogCorruptError(`the stored checkpoint of size ${batch.logTreeSize} is not the one anchored in batch ${batch.root}`);
    }
    const anchor = { chainId: batch.chainId, registry: batch.registry.toLowerCase(), root: batch.root, proof, tx: batch.tx, block: batch.block };
    return { certificateId: id, checkpoint: this.view(stored), commitment: commitment!, anchor, anchorState: await this.anchors.stateOf(commitment!, anchor) };
  }

  async consistency(from: number, to: number): Promise<LogConsistencyResponse> {
    const size = await this.store.repos.transparencyLog.size();
    if (from > to || to > size) throw new ValidationError("tree_size_unknown", `no consistency proof from ${from} to ${to}: the log has ${size} entries`);
    const hashes = await this.rangeHashes(consistencyRanges(from, to));
    return { from, to, proof: hashes.map(hashToHex) };
  }

  /** MTH of the first `size` entries. */
  async rootAt(size: number): Promise<Uint8Array> {
    if (size === 0) return rootHash(0, () => new Uint8Array());
    const [root] = await this.rangeHashes([{ start: 0, end: size }]);
    return root!;
  }

  private async rangeHashes(ranges: readonly LeafRange[]): Promise<Uint8Array[]> {
    const nodes = await this.store.repos.transparencyLog.nodes(nodeKeysFor(ranges));
    const lookup = (level: number, index: number): Uint8Array => {
      const hash = nodes.get(nodeKeyString(level, index));
      if (!hash) throw new LogCorruptError(`log node ${level}:${index} is missing`);
      return hash;
    };
    return ranges.map((range) => rangeHash(range, lookup));
  }

  private view(row: LogCheckpointRow): LogCheckpointResponse {
    return { origin: this.origin, treeSize: row.treeSize, rootHash: hashToHex(row.rootHash), timestamp: Math.floor(row.timestamp.getTime() / 1000), checkpoint: row.note };
  }

  private async signer(): Promise<{ kid: string; key: KeyObject; keyHash: Uint8Array }> {
    const active = await this.keys.signer();
    if (this.keyCache?.kid === active.kid) return this.keyCache;
    const jwk = active.privateKey as JWK & { x: string };
    const key = createPrivateKey({ key: jwk as JWK & { kty: string }, format: "jwk" });
    this.keyCache = { kid: active.kid, key, keyHash: noteKeyHash(this.origin, base64url.decode(jwk.x)) };
    return this.keyCache;
  }
}
