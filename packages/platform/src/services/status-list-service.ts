// The signed status list (docs/decisions/0022): every few minutes the worker's
// `status-list` job publishes the W3C-style bitstring of withdrawn certificates
// (bit = the certificate's statusListIndex; set = revoked or suspended, or
// marked expired before its validUntil), signed with the active
// certificate-signing key; the public API serves the latest publication.
//
// Idempotent: a run whose bitstring equals the latest publication's, while that
// one is younger than `refreshMs`, publishes nothing; the sequence number is the
// primary key, so two workers racing publish once and the other skips.
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { buildStatusList, signStatusList, statusListId, StatusListPayloadSchema, type Gzip, type StatusListResponse } from "@assay/protocol";
import { NotFoundError } from "../errors";
import type { Store } from "../repositories";
import type { SigningKeyService } from "./signing-key-service";

/** node:zlib for the list's GZIP (the protocol's default is the Compression Streams API). */
export const NODE_GZIP: Gzip = {
  gzip: (bytes) => gzipSync(bytes),
  gunzip: (bytes, maxBytes) => gunzipSync(bytes, { maxOutputLength: maxBytes }),
};

export type StatusListPublishOptions = {
  /** How long a publication may be relied on (its validUntil − publishedAt). */
  validityMs: number;
  /** An unchanged list is re-signed once its latest publication is this old (keeps validUntil ahead). */
  refreshMs: number;
  /** Publications kept (older ones are deleted; verifiers only ever need the latest). */
  keep?: number;
};

export type StatusListPublication =
  | { published: true; sequence: number; size: number; setCount: number; reason: "first" | "changed" | "refresh" }
  | { published: false; sequence: number; reason: "unchanged" | "lost-race" };

/** The defaults (the worker's ASSAY_STATUS_LIST_VALIDITY_MS / _REFRESH_MS); also the API's first publication's. */
export const DEFAULT_STATUS_LIST_PUBLISH: StatusListPublishOptions = { validityMs: 86_400_000, refreshMs: 3_600_000 };

/** How long the API serves a read of the latest publication from memory. */
export const STATUS_LIST_READ_TTL_MS = 2_000;

export class StatusListService {
  readonly listId: string;
  private cache: { at: number; value: StatusListResponse } | undefined;

  constructor(
    private readonly store: Store,
    private readonly keys: SigningKeyService,
    private readonly settings: { issuerId: string },
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.listId = statusListId(settings.issuerId);
  }

  async publish(options: StatusListPublishOptions): Promise<StatusListPublication> {
    const repo = this.store.repos.statusLists;
    const now = this.clock();
    const [highest, withdrawn, latest] = await Promise.all([repo.highestAllocated(), repo.withdrawnIndexes(now), repo.latest(this.listId)]);
    const sequence = (latest?.sequence ?? 0) + 1;
    const { payload, bits } = await buildStatusList(
      { id: this.listId, issuer: this.settings.issuerId, sequence, publishedAt: now, validUntil: new Date(now.getTime() + options.validityMs), highestIndex: highest, withdrawn },
      NODE_GZIP,
    );
    const bitsDigest = createHash("sha256").update(bits).digest("hex");
    let reason: "first" | "changed" | "refresh" = "first";
    if (latest) {
      const unchanged = latest.bitsDigest === bitsDigest && latest.size === payload.size;
      if (unchanged && now.getTime() - latest.publishedAt.getTime() < options.refreshMs) return { published: false, sequence: latest.sequence, reason: "unchanged" };
      reason = unchanged ? "refresh" : "changed";
    }
    const signer = await this.keys.signer();
    const jws = await signStatusList(payload, signer);
    const inserted = await repo.insert({
      listId: this.listId,
      sequence,
      publishedAt: new Date(payload.publishedAt),
      validUntil: new Date(payload.validUntil),
      size: payload.size,
      setCount: withdrawn.length,
      bitsDigest,
      kid: signer.kid,
      jws,
    });
    if (!inserted) return { published: false, sequence, reason: "lost-race" };
    await repo.prune(this.listId, options.keep ?? 100);
    this.cache = undefined;
    return { published: true, sequence, size: payload.size, setCount: withdrawn.length, reason };
  }

  /**
   * The latest publication: the signed list and its payload. Before the first
   * one (a fresh install whose worker has not run yet) it publishes one with the
   * defaults, as the transparency log signs its first checkpoint on demand; 404
   * `status_list_not_published` only if that fails to appear.
   */
  async latest(): Promise<StatusListResponse> {
    if (this.cache && Date.now() - this.cache.at < STATUS_LIST_READ_TTL_MS) return this.cache.value;
    let row = await this.store.repos.statusLists.latest(this.listId);
    if (!row) {
      await this.publish(DEFAULT_STATUS_LIST_PUBLISH);
      row = await this.store.repos.statusLists.latest(this.listId);
    }
    if (!row) throw new NotFoundError("status_list_not_published", "no status list has been published yet; the worker publishes one every few minutes");
    const payload = StatusListPayloadSchema.parse(JSON.parse(Buffer.from(row.jws.split(".")[1]!, "base64url").toString("utf8")));
    const value: StatusListResponse = { jws: row.jws, list: payload };
    this.cache = { at: Date.now(), value };
    return value;
  }
}
