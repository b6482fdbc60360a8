// Reads the public lookup response (the document plus server-reported status and
// anchor state) into what in-browser verification needs. The API answers the
// document's fields flattened with `status` and `statusHistory` beside them. The document is kept
// as the raw JSON value: verification itself decides whether it is well formed.
import type { CertificateAnchorState, CertificateStatus } from "@assay/protocol";
type CertificateLookupResponse = Record<string, unknown>;

export type ServerReportedState = {
  /** The document as served (unknown until verified). */
  document: unknown;
  status: CertificateStatus;
  /** The status as the server spelled it, for display. */
  statusLabel: string;
  anchor: CertificateAnchorState;
  /** The document's inclusion proof (root, proof, chain, registry), when it was anchored in a batch. */
  proof: AnchorProof | null;
  /** The anchoring transaction and block the document names (what the browser checks against the chain). */
  anchoring: { tx: string; block: number } | null;
  /** An audit report, when the lookup includes one (for drift plots). */
  report: unknown;
  submissionId: string | null;
};

export function readLookup(response: CertificateLookupResponse): ServerReportedState {
  const document = "document" in response ? response.document : withoutKeys(response, ["status", "statusHistory", "anchorState", "registry", "history", "submissionId", "report"]);
  const rawStatus = response.status;
  const docAnchor = typeof document === "object" && document !== null ? (document as { anchor?: unknown }).anchor : undefined;
  // anchorState: the server's reading of the chain (its `anchor` field is the document's proof block: root, proof, tx, block).
  const reported = response.anchorState ?? response.anchor ?? docAnchor;
  return {
    document,
    status: statusOf(rawStatus),
    statusLabel: statusLabelOf(rawStatus),
    anchor: anchorOf(reported),
    proof: proofOf(docAnchor),
    anchoring: anchoringOf(docAnchor),
    report: response.report ?? null,
    submissionId: typeof response.submissionId === "string" ? response.submissionId : null,
  };
}

/** When a dropped file's id is unknown to the server, status is unknown (and the status check fails). */
export function unknownServerState(document: unknown): ServerReportedState {
  const docAnchor = typeof document === "object" && document !== null ? (document as { anchor?: unknown }).anchor : undefined;
  return { document, status: { state: "unknown" }, statusLabel: "not known to this server", anchor: anchorOf(docAnchor), proof: proofOf(docAnchor), anchoring: anchoringOf(docAnchor), report: null, submissionId: null };
}

export function statusOf(raw: unknown): CertificateStatus {
  const state = typeof raw === "string" ? raw : typeof raw === "object" && raw !== null ? (raw as { state?: unknown }).state : undefined;
  const reasonRaw = typeof raw === "object" && raw !== null ? (raw as { reason?: unknown; reasonCode?: unknown }) : {};
  const reason = typeof reasonRaw.reason === "string" ? reasonRaw.reason : typeof reasonRaw.reasonCode === "string" ? reasonRaw.reasonCode : undefined;
  switch (state) {
    case "active":
      return { state: "active" };
    case "suspended":
      return reason ? { state: "suspended", reason } : { state: "suspended" };
    case "revoked":
      return { state: "revoked", reason: reason ?? "unspecified" };
    case "expired":
      return { state: "expired" };
    default:
      return { state: "unknown" };
  }
}

function statusLabelOf(raw: unknown): string {
  const status = statusOf(raw);
  if (status.state === "revoked" || status.state === "suspended") return status.reason ? `${status.state} (${status.reason})` : status.state;
  return status.state;
}

const TX = /^0x[0-9a-fA-F]{64}$/;

/** Anchor state as reported: pending and anchored are read; anything else counts as not anchored. */
export function anchorOf(raw: unknown): CertificateAnchorState {
  if (typeof raw !== "object" || raw === null) return { state: "not-anchored" };
  const a = raw as { state?: unknown; block?: unknown; tx?: unknown; reason?: unknown; error?: unknown };
  switch (a.state) {
    case "pending":
      return typeof a.tx === "string" && TX.test(a.tx) ? { state: "pending", tx: a.tx } : { state: "pending" };
    case "anchored":
      if (typeof a.block === "number" && Number.isInteger(a.block) && a.block >= 0 && typeof a.tx === "string" && TX.test(a.tx)) {
        return { state: "anchored", block: a.block, tx: a.tx };
      }
      return { state: "failed", error: "reported as anchored without a block and transaction" };
    case "revoked-on-chain":
      return typeof a.reason === "string" ? { state: "revoked-on-chain", reason: a.reason } : { state: "revoked-on-chain" };
    case "failed":
      return typeof a.error === "string" ? { state: "failed", error: a.error } : { state: "failed" };
    default:
      return { state: "not-anchored" };
  }
}

function withoutKeys(value: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}

export type AnchorProof = { root: string; proof: string[]; chainId: number | null; registry: string | null };

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** The document's Merkle inclusion proof, when it carries a well-formed one. */
export function proofOf(raw: unknown): AnchorProof | null {
  if (typeof raw !== "object" || raw === null) return null;
  const a = raw as { root?: unknown; proof?: unknown; chainId?: unknown; registry?: unknown };
  if (typeof a.root !== "string" || !BYTES32.test(a.root)) return null;
  if (!Array.isArray(a.proof) || !a.proof.every((node) => typeof node === "string" && BYTES32.test(node))) return null;
  return {
    root: a.root,
    proof: a.proof as string[],
    chainId: typeof a.chainId === "number" ? a.chainId : null,
    registry: typeof a.registry === "string" ? a.registry : null,
  };
}

/** The anchoring transaction and block of a document's anchor block, when well formed. */
export function anchoringOf(raw: unknown): { tx: string; block: number } | null {
  if (typeof raw !== "object" || raw === null) return null;
  const a = raw as { tx?: unknown; block?: unknown };
  return typeof a.tx === "string" && TX.test(a.tx) && typeof a.block === "number" && Number.isInteger(a.block) && a.block >= 0 ? { tx: a.tx, block: a.block } : null;
}
