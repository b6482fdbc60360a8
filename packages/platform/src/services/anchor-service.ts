// The anchor loop's service (docs/decisions/0010). Certificates are issued
// off-chain first; each has an `anchor` outbox event. One run:
//  1. takes the lease (one anchoring process at a time: one signer, one nonce
//     sequence), and keeps it alive while it works;
//  2. settles unfinished batches first: a batch whose transaction was recorded is
//     looked up on chain (batchOf(root) and its BatchAnchored event, then the
//     receipt, then the mempool) before anything is sent again;
//  3. batches pending certificate ids into a StandardMerkleTree, stores the batch
//     and its members (a certificate belongs to at most one batch), signs the
//     anchorBatch transaction, records its hash, broadcasts it, waits for the
//     receipt and writes root + proof + tx + block onto each certificate;
//     where a log-checkpoint source is given, the tree also carries the
//     commitment of the transparency log's checkpoint as it is when the batch is
//     built (it covers every certificate in the batch; docs/decisions/0016);
//  4. mirrors operator revocations on chain (anchor-revoke outbox events),
//     and operator slashes of validators (validator-slash events, 0012);
//  5. credits validators' payable rewards on the Treasury (payouts, docs/money.md).
// Failures are retried with exponential backoff; nothing is anchored twice: a
// certificate is in one batch, and the registry refuses a root it already has.
import { buildCertificateBatch, ContractRevertError } from "@assay/chain";
import { checkpointCommitment } from "@assay/protocol";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Hash } from "viem";
import type { AnchorChain, MinedReceipt } from "../chain/chain-gateway";
import { revocationReasonCode } from "../chain/revocation-codes";
import { ANCHOR_REVOKE_TOPIC, type AnchorRepository } from "../repositories/anchor-repositories";
import { ANCHOR_TOPIC } from "./certificate-issuing-service";
import { mirrorSlashes } from "./slash-mirror";

export const ANCHOR_LEASE = "anchor-loop";

export type AnchorSettings = {
  batchMax: number;
  /** How often the loop runs; the lease lasts a few runs, renewed while working. */
  intervalMs: number;
  /** Longest wait for one receipt before the attempt counts as failed (the batch is looked up again later). */
  receiptTimeoutMs: number;
  /**
   * The transparency log (docs/decisions/0016): when given, each batch also anchors
   * the commitment of the log's checkpoint as of the batch (anchor_batches.log_tree_size).
   */
  logCheckpoints?: LogCheckpointSource;
  /** Validator reward payouts (Treasury.creditRewards; docs/money.md): sent under this lease because they share the signer and its nonces. */
  payouts?: { runOnce(): Promise<{ prepared: number; confirmed: number; failed: number }> };
};

/** Signs (or returns the stored) checkpoint of the log as it is now. */
export type LogCheckpointSource = { checkpoint(): Promise<{ treeSize: number; checkpoint: string }> };

export type AnchorRunReport = {
  leased: boolean;
  confirmed: number;
  anchoredCertificates: number;
  revoked: number;
  /** Operator slashes mirrored on chain this run (docs/decisions/0012). */
  slashed?: number;
  /** Validator reward payouts confirmed on chain this run (docs/money.md). */
  paidOut?: number;
  failed: number;
  error?: string;
};

type Log = (level: "debug" | "info" | "warn" | "error", message: string, fields?: Record<string, unknown>) => void;

/** Exponential backoff from 1 s, capped at 60 s. */
export function anchorBackoffMs(attempt: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.min(Math.max(attempt - 1, 0), 6));
}

export class AnchorService {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

  constructor(
    private readonly repo: AnchorRepository,
    private readonly chain: AnchorChain,
    private readonly settings: AnchorSettings,
    private readonly log: Log = () => undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private get leaseMs(): number {
    return 3 * this.settings.intervalMs + 5_000;
  }

  private renewLease(): Promise<boolean> {
    const now = this.clock();
    return this.repo.acquireLease(ANCHOR_LEASE, this.holder, new Date(now.getTime() + this.leaseMs), now);
  }

  async runOnce(): Promise<AnchorRunReport> {
    const report: AnchorRunReport = { leased: false, confirmed: 0, anchoredCertificates: 0, revoked: 0, failed: 0 };
    if (!(await this.renewLease())) return report;
    report.leased = true;
    const heartbeat = setInterval(() => void this.renewLease().catch(() => undefined), Math.max(250, Math.floor(this.leaseMs / 3)));
    try {
      for (const batch of await this.repo.unfinishedBatches(this.clock(), 20)) await this.settle(batch.id, report);
      // Full batches while there are enough pending certificates; at most a few per run.
      for (let round = 0; round < 8; round += 1) {
        const batchId = await this.prepareBatch();
        if (!batchId) break;
        await this.settle(batchId, report);
      }
      await this.mirrorRevocations(report);
      await mirrorSlashes(this.repo, this.chain, this.clock, this.log, report);
      if (this.settings.payouts) {
        const payouts = await this.settings.payouts.runOnce();
        report.paidOut = payouts.confirmed;
        report.failed += payouts.failed;
      }
    } catch (error) {
      report.error = (error as Error).message;
      this.log("warn", "anchor run stopped early", { error: report.error });
    } finally {
      clearInterval(heartbeat);
    }
    return report;
  }

  /** Builds and stores the next batch from pending anchor events; null when none is due. */
  async prepareBatch(): Promise<string | null> {
    const now = this.clock();
    const events = await this.repo.pendingAnchorEvents(ANCHOR_TOPIC, now, this.settings.batchMax);
    if (events.length === 0) return null;
    const ids = [...new Set(events.map((e) => e.certificateId))];
    const [batched, existing] = await Promise.all([this.repo.batchedAmong(ids), this.repo.existingCertificates(ids)]);
    const fresh = ids.filter((id) => !batched.has(id) && existing.has(id));
    const freshSet = new Set(fresh);
    // Events whose certificate is already batched (or unknown) are done; duplicates of a fresh id ride along.
    await this.repo.closeEvents(events.filter((e) => !freshSet.has(e.certificateId)).map((e) => e.eventId), now);
    if (fresh.length === 0) return null;
    // Needs the chain (its id goes into every proof's anchor): when it is down, no batch is stored.
    await this.chain.head();
    const chainId = await this.chain.chainId();
    // Read after the events: each certificate's log entry was committed with its anchor event, so this checkpoint covers them all.
    const checkpoint = await this.logCheckpoint();
    const commitment = checkpoint ? checkpointCommitment(checkpoint.checkpoint) : null;
    const tree = buildCertificateBatch(commitment ? [...fresh, commitment] : fresh);
    const batch = await this.repo.createBatch({
      root: tree.root,
      chainId,
      registry: this.chain.registry,
      tree: tree.dump() as object,
      members: tree.ids.filter((id) => id !== commitment).map((id) => ({ certificateId: id, proof: tree.proofOf(id) })),
      eventIds: events.filter((e) => freshSet.has(e.certificateId)).map((e) => e.eventId),
      at: now,
      logTreeSize: commitment ? checkpoint!.treeSize : null,
    });
    this.log("info", "anchor batch prepared", { batchId: batch.id, root: batch.root, size: batch.size, logTreeSize: commitment ? checkpoint!.treeSize : null });
    return batch.id;
  }

  /** The log's checkpoint to anchor with a batch; null without a source, or when the log cannot sign one now (the certificates are anchored anyway). */
  private async logCheckpoint(): Promise<{ treeSize: number; checkpoint: string } | null> {
    if (!this.settings.logCheckpoints) return null;
    try {
      return await this.settings.logCheckpoints.checkpoint();
    } catch (error) {
      this.log("warn", "no transparency-log checkpoint for this batch", { error: (error as Error).message.split("\n")[0] });
      return null;
    }
  }

  /** Takes one batch as far as it can go now: confirmed, or scheduled for another attempt. */
  async settle(batchId: string, report: AnchorRunReport): Promise<void> {
    const batch = await this.repo.findBatch(batchId);
    if (!batch || batch.status === "confirmed") return;
    try {
      // Reconcile first: whatever the database says, the chain decides whether this root is anchored.
      const onChain = await this.chain.findBatchAnchoring(batch.root);
      if (onChain) return await this.confirm(batch.id, batch.members.length, onChain, report);
      if (batch.status === "sent" && batch.txHash) {
        const hash = batch.txHash as Hash;
        const receipt = await this.chain.receipt(hash);
        if (receipt === null && (await this.chain.transactionKnown(hash))) {
          // Still in the mempool: wait for it rather than send a second transaction.
          return await this.afterReceipt(batch.id, batch.root, batch.members.length, await this.chain.waitForReceipt(hash, this.settings.receiptTimeoutMs), report);
        }
        if (receipt?.success) return await this.afterReceipt(batch.id, batch.root, batch.members.length, receipt, report);
        this.log("warn", "recorded anchor transaction is not on chain; sending again", { batchId: batch.id, tx: hash, reverted: receipt !== null });
      }
      const signed = await this.chain.signAnchorBatch(batch.root, batch.members.length);
      await this.repo.markSent(batch.id, signed.txHash, this.clock());
      await this.chain.broadcast(signed.serialized);
      this.log("info", "anchor transaction sent", { batchId: batch.id, root: batch.root, tx: signed.txHash });
      await this.afterReceipt(batch.id, batch.root, batch.members.length, await this.chain.waitForReceipt(signed.txHash, this.settings.receiptTimeoutMs), report);
    } catch (error) {
      report.failed += 1;
      const message = (error as Error).message.split("\n")[0] ?? "error";
      const retryAt = new Date(this.clock().getTime() + anchorBackoffMs(batch.attempts + 1));
      await this.repo.markAttemptFailed(batch.id, message, retryAt);
      this.log("warn", "anchor attempt failed; will retry", { batchId: batch.id, root: batch.root, retryAt: retryAt.toISOString(), error: message });
    }
  }

  private async afterReceipt(batchId: string, root: string, size: number, receipt: MinedReceipt, report: AnchorRunReport): Promise<void> {
    if (!receipt.success) {
      // A reverted anchorBatch (e.g. another sender anchored the root first): the chain decides.
      const onChain = await this.chain.findBatchAnchoring(root);
      if (onChain) return this.confirm(batchId, size, onChain, report);
      throw new Error(`anchor transaction ${receipt.txHash} reverted in block ${receipt.blockNumber}`);
    }
    return this.confirm(batchId, size, { txHash: receipt.txHash, blockNumber: receipt.blockNumber }, report);
  }

  private async confirm(batchId: string, size: number, mined: { txHash: string; blockNumber: bigint }, report: AnchorRunReport): Promise<void> {
    if (await this.repo.confirm(batchId, mined, this.clock())) {
      report.confirmed += 1;
      report.anchoredCertificates += size;
      this.log("info", "anchor batch confirmed", { batchId, size, tx: mined.txHash, block: String(mined.blockNumber) });
    }
  }

  /** Revocations recorded by operators, mirrored with revoke(id, reasonCode); idempotent by reading statusOf first. */
  async mirrorRevocations(report: AnchorRunReport): Promise<void> {
    for (const event of await this.repo.pendingEvents(ANCHOR_REVOKE_TOPIC, this.clock(), 50)) {
      const payload = event.payload as { certificateId?: string; reason?: string | null };
      const id = String(payload.certificateId ?? "");
      try {
        if ((await this.chain.revokedAt(id)) === 0n) {
          try {
            const mined = await this.chain.revoke(id, revocationReasonCode(payload.reason));
            this.log("info", "revocation mirrored on chain", { certificateId: id, tx: mined.txHash });
          } catch (error) {
            if (!(error instanceof ContractRevertError && error.errorName === "AlreadyRevoked")) throw error;
          }
        }
        await this.repo.markEventDone(event.id, this.clock());
        report.revoked += 1;
      } catch (error) {
        report.failed += 1;
        const retryAt = new Date(this.clock().getTime() + anchorBackoffMs(event.attempts + 1));
        await this.repo.markEventFailed(event.id, (error as Error).message.split("\n")[0] ?? "error", retryAt);
      }
    }
  }

  async release(): Promise<void> {
    await this.repo.releaseLease(ANCHOR_LEASE, this.holder).catch(() => undefined);
  }
}
