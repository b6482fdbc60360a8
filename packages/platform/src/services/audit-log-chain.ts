// Verifying the hash-chained audit log (docs/money.md). The database chains
// every insert (trigger audit_log_chain): hash = sha256(payload) where payload
// is the jsonb text of [seq, prev_hash, id, actor, action, target, before,
// after, created_at epoch ms], rendered by audit_log_payload() from the row as
// it is now. Recomputing each hash here and following prev_hash finds the
// first row that was edited, deleted or inserted out of the chain.
import { createHash } from "node:crypto";
import type { Store } from "../repositories";

export type AuditChainRow = { seq: bigint; id: string; prevHash: string; hash: string; payload: string };

export type AuditChainResult =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; firstBroken: { seq: string; id: string; reason: "hash_mismatch" | "prev_hash_mismatch" | "seq_gap" } };

/** Pure: checks rows in seq order. */
export function verifyAuditChain(rows: readonly AuditChainRow[]): AuditChainResult {
  let prev = "";
  let expectedSeq = 1n;
  for (const row of rows) {
    const broken = (reason: "hash_mismatch" | "prev_hash_mismatch" | "seq_gap"): AuditChainResult => ({
      ok: false,
      entries: rows.length,
      firstBroken: { seq: row.seq.toString(), id: row.id, reason },
    });
    if (row.seq !== expectedSeq) return broken("seq_gap");
    if (row.prevHash !== prev) return broken("prev_hash_mismatch");
    if (createHash("sha256").update(row.payload, "utf8").digest("hex") !== row.hash) return broken("hash_mismatch");
    prev = row.hash;
    expectedSeq++;
  }
  return { ok: true, entries: rows.length, head: prev };
}

export class AuditLogChainService {
  constructor(private readonly store: Store) {}

  async verify(): Promise<AuditChainResult> {
    return verifyAuditChain(await this.store.repos.auditLog.chainRows());
  }
}
