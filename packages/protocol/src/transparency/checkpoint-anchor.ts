// Checkpoints anchored on chain (docs/decisions/0016, "Checkpoints on chain"):
// where the chain is on, every registry batch (decision 0010) carries, next to
// its certificate ids, one more bytes32 leaf — the commitment of the log's
// checkpoint at the moment the batch was built, which covers the issuance of
// every certificate in the batch. The registry contract is unchanged: a
// verifier asks its isAnchored(commitment, proof, root) like for a certificate.
//
// commitment = SHA-256 of the note's signed text (origin, tree size, root,
// timestamp lines). That text begins with the origin, never with "{", so it can
// never be the JCS payload whose SHA-256 is a certificate id.
import { sha256 } from "@noble/hashes/sha2.js";
import { z } from "zod";
import { DIGEST_PATTERN } from "../canonical";
import { CertificateAnchorStateSchema } from "../certificate/verify-context";
import { parseNote } from "./checkpoint";
import { hashToHex } from "./merkle-hash";
import { LogCheckpointResponseSchema } from "./log-api";

/** The bytes32 (0x + 64 hex) a registry batch carries for a signed checkpoint note; null when the note does not parse. */
export function checkpointCommitment(note: string): string | null {
  const opened = parseNote(note);
  return opened ? `0x${hashToHex(sha256(new TextEncoder().encode(opened.body)))}` : null;
}

const Bytes32Schema = z.string().regex(/^0x[0-9a-f]{64}$/, "expected 0x + 64 lowercase hex digits");

/** Where a checkpoint's commitment is anchored: the batch root, the commitment's proof in it, the transaction. */
export const LogCheckpointAnchorSchema = z.strictObject({
  chainId: z.number().int().positive(),
  registry: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  root: Bytes32Schema,
  /** StandardMerkleTree(["bytes32"]) proof of the commitment under `root`. */
  proof: z.array(Bytes32Schema).max(64),
  tx: Bytes32Schema,
  block: z.number().int().nonnegative(),
});
export type LogCheckpointAnchor = z.infer<typeof LogCheckpointAnchorSchema>;

/**
 * GET /v1/public/log/certificates/:id/anchor — the checkpoint anchored in the
 * same registry batch as the certificate (it covers the certificate's issuance);
 * 404 checkpoint_not_anchored while the certificate's batch is not confirmed.
 */
export const LogAnchoredCheckpointResponseSchema = z.strictObject({
  certificateId: z.string().regex(DIGEST_PATTERN),
  checkpoint: LogCheckpointResponseSchema,
  commitment: Bytes32Schema,
  anchor: LogCheckpointAnchorSchema,
  /** The issuer's own reading of the chain (server-reported); a verifier that can reads the chain itself. */
  anchorState: CertificateAnchorStateSchema,
});
export type LogAnchoredCheckpointResponse = z.infer<typeof LogAnchoredCheckpointResponseSchema>;
