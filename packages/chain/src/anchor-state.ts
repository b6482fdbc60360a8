// Maps an on-chain AnchorStatus to the anchor state the certificate verifier of @assay/protocol checks.
import type { CertificateAnchorState } from "@assay/protocol";
import type { AnchorStatus } from "./certificates";

export function toCertificateAnchorState(status: AnchorStatus): CertificateAnchorState {
  if (status.revoked) return { state: "revoked-on-chain", reason: `reason code ${status.revocation?.reasonCode ?? 0}` };
  if (status.unknownRoot) return { state: "failed", error: "the batch root is not anchored on this registry" };
  if (status.checkedBatch && !status.anchored) return { state: "failed", error: "the inclusion proof does not verify against the anchored root" };
  if (status.anchored && status.anchor !== undefined) {
    return { state: "anchored", block: Number(status.anchor.blockNumber), tx: status.anchor.transactionHash };
  }
  return { state: "not-anchored" };
}
