// The anchor check of verify (SPEC §6-7, docs/decisions/0010): with the chain
// flag on, an anchored certificate's proof is checked against the registry by
// READING THE CHAIN (isAnchored(id, proof, root) and statusOf(id) at one block);
// the database only says where to look (root, proof). A certificate not yet in
// a confirmed batch is "pending". A chain that cannot be read is reported as
// such ("failed: could not read the chain"), never silently as anchored.
import { toCertificateAnchorState } from "@assay/chain";
import type { CertificateAnchorState } from "@assay/protocol";
import type { AnchorReader } from "../chain/chain-gateway";
import type { StoredAnchor } from "../repositories/anchor-repositories";

export interface AnchorStateSource {
  /** The anchor state of a certificate given what the database stored for it (its `anchor` column). */
  stateOf(id: string, stored: unknown): CertificateAnchorState | Promise<CertificateAnchorState>;
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** The stored anchor of a certificate, or null when it has none (or a malformed one). */
export function parseStoredAnchor(stored: unknown): StoredAnchor | null {
  if (typeof stored !== "object" || stored === null) return null;
  const a = stored as Record<string, unknown>;
  if (typeof a.root !== "string" || !BYTES32.test(a.root)) return null;
  if (!Array.isArray(a.proof) || !a.proof.every((node) => typeof node === "string" && BYTES32.test(node))) return null;
  if (typeof a.tx !== "string" || typeof a.block !== "number" || typeof a.chainId !== "number" || typeof a.registry !== "string") return null;
  return { chainId: a.chainId, registry: a.registry, root: a.root, proof: a.proof as string[], tx: a.tx, block: a.block };
}

export class ChainAnchorStates implements AnchorStateSource {
  private readonly cache = new Map<string, { at: number; state: CertificateAnchorState }>();

  constructor(
    private readonly reader: AnchorReader,
    /** How long one chain read answers for an id (verify is a hot path; blocks come every few seconds at best). */
    private readonly ttlMs = 2_000,
  ) {}

  stateOf(id: string, stored: unknown): CertificateAnchorState | Promise<CertificateAnchorState> {
    const anchor = parseStoredAnchor(stored);
    if (!anchor) return { state: "pending" };
    const key = `${id}|${anchor.root}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.state;
    return this.read(id, anchor).then((state) => {
      if (this.cache.size >= 50_000) this.cache.clear();
      this.cache.set(key, { at: Date.now(), state });
      return state;
    });
  }

  private async read(id: string, anchor: StoredAnchor): Promise<CertificateAnchorState> {
    if (anchor.registry.toLowerCase() !== this.reader.registry.toLowerCase()) {
      return { state: "failed", error: `anchored on registry ${anchor.registry}, this deployment reads ${this.reader.registry}` };
    }
    try {
      const chainId = await this.reader.chainId();
      if (chainId !== anchor.chainId) return { state: "failed", error: `anchored on chain ${anchor.chainId}, the configured RPC serves chain ${chainId}` };
      return toCertificateAnchorState(await this.reader.readAnchor(id, anchor.proof, anchor.root));
    } catch (error) {
      return { state: "failed", error: `could not read the chain: ${((error as Error).message.split("\n")[0] ?? "").slice(0, 200)}` };
    }
  }
}
