// A validator's vote and its commitment (SPEC §5), shared by the assembly logic,
// the API (commit and reveal bodies), the demo agents and the browser (the
// validator portal computes its commitment locally, so the vote and the salt
// never leave the browser before the reveal).
//
//   commitment = SHA-256( JCS({ format: "assay.vote-commitment/v2",
//                               assemblyId, round, validatorId,
//                               verdict, stabilityScore, findingOpinions,
//                               claims, notesDigest, salt }) )
//
// packages/assembly keeps a hand-written fast path of the same hash for the
// tally (commitmentOf); a property test there holds the two equal.
import { z } from "zod";
import { DIGEST_PATTERN, digestOf, sha256Hex, type Digest } from "./canonical";
import { SripClaim } from "./manifest";

export const Verdict = z.enum(["certify", "reject"]);
export type Verdict = z.infer<typeof Verdict>;

export const FindingOpinion = z.enum(["confirm", "dispute"]);
export type FindingOpinion = z.infer<typeof FindingOpinion>;

/**
 * Findings are referred to by `CODE@scenario`: stable across re-runs of one
 * audit (turn numbers are evidence, not identity), so several occurrences of a
 * code in one scenario take one opinion.
 */
export const FindingKey = z.string().regex(/^[A-Z][A-Z0-9_]{0,63}@[^\s@]{1,128}$/, "finding key must be CODE@scenario");
export type FindingKey = z.infer<typeof FindingKey>;

export function findingKey(finding: { code: string; scenario: string }): FindingKey {
  return `${finding.code}@${finding.scenario}`;
}

/**
 * A validator's verdict on one claimed SRIP. "grant" says the evidence
 * supports the claim; anything else (deny, or no entry) does not grant it.
 */
export const ClaimVerdict = z.enum(["grant", "deny"]);
export type ClaimVerdict = z.infer<typeof ClaimVerdict>;

/** A verdict per claimed SRIP (partial: a validator may leave a claim out, which never grants it). */
export const ClaimVotes = z.partialRecord(SripClaim, ClaimVerdict);
export type ClaimVotes = z.infer<typeof ClaimVotes>;

/** At least 16 random bytes, so the tiny vote space cannot be brute-forced from a commitment. */
export const Salt = z.string().regex(/^0x(?:[0-9a-f]{2}){16,64}$/, "salt must be 0x + 32 to 128 lowercase hex digits");

export const VoteSchema = z
  .object({
    verdict: Verdict,
    /** The validator's stability score of the runtime, basis points 0..10_000. */
    stabilityScore: z.number().int().min(0).max(10_000),
    findingOpinions: z.record(FindingKey, FindingOpinion),
    /** Per-claim verdicts: a claim is granted only by grant weight, never by the overall verdict alone. */
    claims: ClaimVotes,
    /** Free text for the record; bound by the commitment through its SHA-256. */
    notes: z.string().max(4_000).optional(),
  })
  .strict();
export type Vote = z.infer<typeof VoteSchema>;

export const COMMITMENT_FORMAT = "assay.vote-commitment/v2";

/** POST /v1/agent/commit: the commitment only; the vote stays with the validator until the reveal. */
export const AgentCommitBody = z.strictObject({
  assemblyId: z.string().uuid(),
  round: z.number().int().min(1).max(64),
  commitment: z.string().regex(DIGEST_PATTERN, "commitment must be 0x + 64 lowercase hex"),
});
export type AgentCommitBody = z.infer<typeof AgentCommitBody>;

/** POST /v1/agent/reveal: the vote, the salt, and what the commitment bound (validatorId defaults to the caller). */
export const AgentRevealBody = VoteSchema.extend({
  assemblyId: z.string().uuid(),
  round: z.number().int().min(1).max(64),
  salt: Salt,
  validatorId: z.string().uuid().optional(),
}).strict();
export type AgentRevealBody = z.infer<typeof AgentRevealBody>;

export type VoteCommitmentInput = Vote & { assemblyId: string; round: number; validatorId: string; salt: string };

/** The object whose JCS bytes are hashed into a commitment. */
export function voteCommitmentPreimage(input: VoteCommitmentInput) {
  return {
    format: COMMITMENT_FORMAT,
    assemblyId: input.assemblyId,
    round: input.round,
    validatorId: input.validatorId,
    verdict: input.verdict,
    stabilityScore: input.stabilityScore,
    findingOpinions: input.findingOpinions,
    claims: input.claims,
    notesDigest: input.notes === undefined ? null : sha256Hex(input.notes),
    salt: input.salt,
  };
}

/** SHA-256 of the preimage's canonical bytes, with the generic canonicaliser (runs in Node and in the browser). Does not validate. */
export function voteCommitmentDigest(input: VoteCommitmentInput): Digest {
  return digestOf(voteCommitmentPreimage(input));
}

/**
 * A committed vote as its validator keeps it until the reveal (the web's
 * validator portal stores it in localStorage and offers it as a download; the
 * "salt file"): the reveal body with the voter named, and the commitment it opens.
 */
export const VOTE_BALLOT_FORMAT = "assay.vote-ballot/v1";
export const VoteBallotFileSchema = AgentRevealBody.extend({
  format: z.literal(VOTE_BALLOT_FORMAT),
  validatorId: z.string().uuid(),
  commitment: z.string().regex(DIGEST_PATTERN),
}).strict();
export type VoteBallotFile = z.infer<typeof VoteBallotFileSchema>;
