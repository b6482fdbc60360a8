// The fake API's transparency log (docs/decisions/0016): append-only, built with
// the protocol's RFC 9162 functions and signed with the fixtures' key as a C2SP
// signed note, like the platform's. Every stored certificate's issuance is
// appended the first time the log is asked (except those marked `notInLog`),
// and a status the operator changed is appended as a status entry, so the log
// records what the fake's lookup reports. `rewrite` plays a dishonest server.
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
  rangeHash,
  rootHash,
  signedNote,
  statusEntry,
  type CertificateDocument,
  type Hash,
  type LogCertificateState,
  type SigningKey,
} from "@assay/protocol";

export type LoggedCertificate = { document: CertificateDocument; status?: { state: LogCertificateState; reason: string | null }; notInLog?: boolean };

export class FakeLog {
  readonly origin: string;
  leaves: string[] = [];
  private readonly state = new Map<string, LogCertificateState>();

  constructor(
    issuer: string,
    /** The signing key; a test may swap it to play a checkpoint signed by someone else. */
    public key: SigningKey,
  ) {
    this.origin = logOrigin(issuer);
  }

  /** Appends what the certificates say and the log does not record yet. */
  sync(certificates: Iterable<LoggedCertificate>): void {
    for (const stored of certificates) {
      if (stored.notInLog) continue;
      const id = stored.document.id.toLowerCase();
      if (!this.state.has(id)) {
        this.leaves.push(logLeafText(issuedEntry(id, stored.document.payload.issuedAt)));
        this.state.set(id, "active");
      }
      const to = stored.status?.state ?? "active";
      const from = this.state.get(id)!;
      if (to !== from) {
        this.leaves.push(logLeafText(statusEntry({ certificateId: id, from, to, reason: stored.status?.reason ?? null, at: stored.document.payload.issuedAt })));
        this.state.set(id, to);
      }
    }
  }

  private nodes(): (level: number, index: number) => Hash {
    const map = new Map<string, Hash>();
    for (const n of appendNodes(0, this.leaves.map(logLeafHash), (l, i) => map.get(nodeKeyString(l, i))!)) map.set(nodeKeyString(n.level, n.index), n.hash);
    return (l, i) => map.get(nodeKeyString(l, i))!;
  }

  checkpoint() {
    const size = this.leaves.length;
    const root = rootHash(size, this.nodes());
    const timestamp = 1_700_000_000 + size;
    const body = checkpointBody({ origin: this.origin, treeSize: size, rootHash: root, timestamp });
    const keyHash = noteKeyHash(this.origin, Buffer.from(String(this.key.publicJwk.x), "base64url"));
    const signature = sign(null, Buffer.from(body), createPrivateKey({ key: this.key.privateJwk as never, format: "jwk" }));
    return { origin: this.origin, treeSize: size, rootHash: hashToHex(root), timestamp, checkpoint: signedNote(body, this.origin, keyHash, signature) };
  }

  /** GET /v1/public/log/certificates/:id, or null for 404 log_entry_not_found. */
  inclusion(certificateId: string) {
    const id = certificateId.toLowerCase();
    const lookup = this.nodes();
    const entries = this.leaves
      .map((leaf, index) => ({ leaf, index }))
      .filter((e) => (JSON.parse(e.leaf) as { certificateId: string }).certificateId === id)
      .map((e) => ({ ...e, proof: inclusionRanges(e.index, this.leaves.length).map((r) => hashToHex(rangeHash(r, lookup))) }));
    return entries.length === 0 ? null : { certificateId: id, checkpoint: this.checkpoint(), entries };
  }

  /** GET /v1/public/log/consistency, or null for 400 tree_size_unknown. */
  consistency(from: number, to: number) {
    if (from > to || to > this.leaves.length) return null;
    const lookup = this.nodes();
    return { from, to, proof: consistencyRanges(from, to).map((r) => hashToHex(rangeHash(r, lookup))) };
  }
}
