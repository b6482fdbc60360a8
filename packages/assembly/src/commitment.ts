// Vote commitments (Kleros commit–reveal; UMA: the hash binds voter and round).
//
//   commitment = SHA-256( JCS({ format: "assay.vote-commitment/v2",
//                               assemblyId, round, validatorId,
//                               verdict, stabilityScore, findingOpinions,
//                               claims, notesDigest, salt }) )
//
// v2 added `claims` (a verdict per claimed SRIP): a validator cannot change its
// per-claim verdicts after seeing other reveals any more than its overall verdict.
//
// notesDigest is the SHA-256 (hex) of the notes' UTF-8 bytes, or null without
// notes: notes cannot be rewritten after seeing others' reveals, and the
// preimage stays small whatever their length. Because validator, assembly and
// round are inside the hash, a commitment copied from another validator or
// another round can never be opened by the copier: the copier's own reveal
// hashes to something else, and revealing the original's preimage names the
// original validator, which the check refuses.
import { hash } from "node:crypto";
import { COMMITMENT_FORMAT, sha256Hex, voteCommitmentPreimage, type Digest } from "@assay/protocol";
import { parseOrThrow } from "./errors";
import { RevealSchema, type Commit, type Reveal } from "./vote";

export { COMMITMENT_FORMAT } from "@assay/protocol";

export type CommitmentInput = Omit<Reveal, "notes"> & { notes?: string | undefined };

/** The preimage is defined once, in @assay/protocol (the browser's validator portal hashes the same object). */
export function commitmentPreimage(input: CommitmentInput) {
  return voteCommitmentPreimage(input);
}

/**
 * JCS text of the preimage, written directly for this one fixed shape: a
 * tally checks up to thousands of reveals, and the generic canonicaliser
 * dominated its time. Equal to canonicalJson(commitmentPreimage(input)) for
 * every schema-valid input (a property test holds it to that): keys in
 * UTF-16 code-unit order, strings as JSON.stringify writes them (RFC 8785
 * §3.2.2.2 is ECMAScript's serialisation), integers in plain decimal.
 */
export function commitmentPreimageJson(input: CommitmentInput): string {
  const notesDigest = input.notes === undefined ? "null" : JSON.stringify(sha256Hex(input.notes));
  return (
    `{"assemblyId":${JSON.stringify(input.assemblyId)},"claims":${flatObjectJson(input.claims)},` +
    `"findingOpinions":${flatObjectJson(input.findingOpinions)},` +
    `"format":${JSON.stringify(COMMITMENT_FORMAT)},"notesDigest":${notesDigest},"round":${input.round},` +
    `"salt":${JSON.stringify(input.salt)},"stabilityScore":${input.stabilityScore},` +
    `"validatorId":${JSON.stringify(input.validatorId)},"verdict":${JSON.stringify(input.verdict)}}`
  );
}

/** JCS of an object whose values are all strings: sort() orders by UTF-16 code units, as RFC 8785 does. */
function flatObjectJson(object: Readonly<Record<string, string | undefined>>): string {
  const keys = Object.keys(object).sort();
  let json = "{";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    json += `${i ? "," : ""}${JSON.stringify(key)}:${JSON.stringify(object[key])}`;
  }
  return `${json}}`;
}

/** SHA-256 of the preimage's JCS bytes, for an input already validated against RevealSchema. */
export function commitmentOf(reveal: CommitmentInput): Digest {
  // One-shot hash (Node ≥ 21.7): same SHA-256 as protocol's sha256Digest, without a Hash object per reveal.
  return `0x${hash("sha256", commitmentPreimageJson(reveal), "hex")}`;
}

/** The commitment a validator publishes in the commit phase. Validates its input. */
export function voteCommitment(input: CommitmentInput): Digest {
  const reveal = parseOrThrow(RevealSchema, input, "vote");
  return commitmentOf(reveal);
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
  if (commitmentOf(r) !== commit.commitment) return { valid: false, reason: "commitment_mismatch" };
  return { valid: true };
}
