// Vote commitments (Kleros commit–reveal; UMA: the hash binds voter and round).
//
//   commitment = SHA-256( JCS({ format: "assay.vote-commitment/v1",
//                               assemblyId, round, validatorId,
//                               verdict, stabilityScore, findingOpinions,
//                               notesDigest, salt }) )
//
// notesDigest is the SHA-256 (hex) of the notes' UTF-8 bytes, or null without
// notes: notes cannot be rewritten after seeing others' reveals, and the
// preimage stays small whatever their length. Because validator, assembly and
// round are inside the hash, a commitment copied from another validator or
// another round can never be opened by the copier: the copier's own reveal
// hashes to something else, and revealing the original's preimage names the
// original validator, which the check refuses.
import { digestOf, sha256Hex, type Digest } from "@assay/protocol";
import { parseOrThrow } from "./errors";
import { RevealSchema, type Commit, type Reveal } from "./vote";

export const COMMITMENT_FORMAT = "assay.vote-commitment/v1";

export type CommitmentInput = Omit<Reveal, "notes"> & { notes?: string | undefined };

export function commitmentPreimage(input: CommitmentInput) {
  return {
    format: COMMITMENT_FORMAT,
    assemblyId: input.assemblyId,
    round: input.round,
    validatorId: input.validatorId,
    verdict: input.verdict,
    stabilityScore: input.stabilityScore,
    findingOpinions: input.findingOpinions,
    notesDigest: input.notes === undefined ? null : sha256Hex(input.notes),
    salt: input.salt,
  };
}

/** The commitment a validator publishes in the commit phase. Validates its input. */
export function voteCommitment(input: CommitmentInput): Digest {
  const reveal = parseOrThrow(RevealSchema, input, "vote");
  return digestOf(commitmentPreimage(reveal));
}

export type RevealCheck =
  | { valid: true }
  | {
      valid: false;
      reason: "malformed" | "validator_mismatch" | "assembly_mismatch" | "round_mismatch" | "commitment_mismatch";
    };

/** Whether a reveal opens a commit. A reveal that does not is void. */
export function checkReveal(commit: Commit, reveal: unknown): RevealCheck {
  const parsed = RevealSchema.safeParse(reveal);
  if (!parsed.success) return { valid: false, reason: "malformed" };
  const r = parsed.data;
  if (r.validatorId !== commit.validatorId) return { valid: false, reason: "validator_mismatch" };
  if (r.assemblyId !== commit.assemblyId) return { valid: false, reason: "assembly_mismatch" };
  if (r.round !== commit.round) return { valid: false, reason: "round_mismatch" };
  if (digestOf(commitmentPreimage(r)) !== commit.commitment) return { valid: false, reason: "commitment_mismatch" };
  return { valid: true };
}
