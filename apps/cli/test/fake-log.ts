// The fake API's transparency log: the real protocol functions over an
// in-memory tree, signed with the fake issuer's first key, so `assay verify`
// meets the same shapes and proofs as from the real API. Tests can rewrite
// `leaves` to play a truncated or forked log.
import { createPrivateKey, sign } from "node:crypto";
import {
  appendNodes,
  checkpointBody,
  consistencyRanges,
  hashToHex,
  inclusionRanges,
  issuedEntry,
  logLeafHash,
  logLeafText,
  logOrigin,
  nodeKeyString,
  noteKeyHash,
  parseLogLeaf,
  rangeHash,
  rootHash,
  signedNote,
  statusEntry,
  type Hash,
  type SigningKey,
} from "@assay/protocol";

export class FakeTransparencyLog {
  leaves: string[] = [];
  constructor(
    private readonly issuer: string,
    private readonly key: SigningKey,
  ) {}

  addIssued(certificateId: string, issuedAt: string): void {
    this.leaves.push(logLeafText(issuedEntry(certificateId, issuedAt)));
  }

  addStatus(certificateId: string, to: string, reason: string | null, at: string): void {
    this.leaves.push(logLeafText(statusEntry({ certificateId, from: "active", to: to as "revoked", reason, at })));
  }

  /** The answer to a log route, or null when the path is not one. */
  answer(path: string, query: URLSearchParams): { status: number; body: unknown } | null {
    if (path === "/v1/public/log/checkpoint") return { status: 200, body: this.checkpoint() };
    const match = /^\/v1\/public\/log\/certificates\/([^/]+)$/.exec(path);
    if (match) {
      const id = match[1]!.toLowerCase();
      const lookup = this.lookup();
      const entries = this.leaves
        .map((leaf, index) => ({ leaf, index }))
        .filter((e) => parseLogLeaf(e.leaf)?.certificateId === id)
        .map((e) => ({ ...e, proof: inclusionRanges(e.index, this.leaves.length).map((r) => hashToHex(rangeHash(r, lookup))) }));
      if (entries.length === 0) return { status: 404, body: { error: { code: "log_entry_not_found", message: `no log entry for ${id}` } } };
      return { status: 200, body: { certificateId: id, checkpoint: this.checkpoint(), entries } };
    }
    if (path === "/v1/public/log/consistency") {
      const from = Number(query.get("from"));
      const to = Number(query.get("to"));
      if (!(from <= to && to <= this.leaves.length)) return { status: 400, body: { error: { code: "tree_size_unknown", message: "no such sizes" } } };
      const lookup = this.lookup();
      return { status: 200, body: { from, to, proof: consistencyRanges(from, to).map((r) => hashToHex(rangeHash(r, lookup))) } };
    }
    return null;
  }

  private lookup(): (level: number, index: number) => Hash {
    const nodes = new Map<string, Hash>();
    const get = (level: number, index: number) => nodes.get(nodeKeyString(level, index))!;
    for (const n of appendNodes(0, this.leaves.map(logLeafHash), get)) nodes.set(nodeKeyString(n.level, n.index), n.hash);
    return get;
  }

  private checkpoint() {
    const origin = logOrigin(this.issuer);
    const root = rootHash(this.leaves.length, this.lookup());
    const timestamp = 1_767_225_600;
    const body = checkpointBody({ origin, treeSize: this.leaves.length, rootHash: root, timestamp });
    const jwk = this.key.privateJwk as { x: string };
    const signature = sign(null, Buffer.from(body), createPrivateKey({ key: this.key.privateJwk as never, format: "jwk" }));
    const note = signedNote(body, origin, noteKeyHash(origin, Buffer.from(jwk.x, "base64url")), signature);
    return { origin, treeSize: this.leaves.length, rootHash: hashToHex(root), timestamp, checkpoint: note };
  }
}
