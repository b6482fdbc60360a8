// Committed votes kept in this browser until their reveal. The salt is made
// here (crypto.getRandomValues, 32 bytes) and the commitment is computed here
// with the protocol's own preimage, so the server only ever sees the digest at
// commit time. The ballot (vote + salt + commitment) stays in localStorage and
// is offered as a file: a validator who clears the browser can still reveal
// by uploading it.
import {
  VOTE_BALLOT_FORMAT,
  VoteBallotFileSchema,
  voteCommitmentDigest,
  type AgentRevealBody,
  type Vote,
  type VoteBallotFile,
} from "@assay/protocol";

const PREFIX = "assay.validator-ballot:";

export const ballotStorageKey = (validatorId: string, assemblyId: string, round: number) => `${PREFIX}${validatorId}:${assemblyId}:${round}`;

export function freshSalt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** A ballot for a vote: the salt is fresh, the commitment is the protocol's digest over the preimage. */
export function makeBallot(input: { validatorId: string; assemblyId: string; round: number; vote: Vote; salt?: string }): VoteBallotFile {
  const salt = input.salt ?? freshSalt();
  const base = { ...input.vote, assemblyId: input.assemblyId, round: input.round, validatorId: input.validatorId, salt };
  return VoteBallotFileSchema.parse({ format: VOTE_BALLOT_FORMAT, ...base, commitment: voteCommitmentDigest(base) });
}

export function saveBallot(ballot: VoteBallotFile): void {
  localStorage.setItem(ballotStorageKey(ballot.validatorId, ballot.assemblyId, ballot.round), JSON.stringify(ballot));
}

export function loadBallot(validatorId: string, assemblyId: string, round: number): VoteBallotFile | null {
  const text = localStorage.getItem(ballotStorageKey(validatorId, assemblyId, round));
  if (text === null) return null;
  try {
    const parsed = VoteBallotFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Reads an uploaded ballot file and checks it opens its own commitment (a tampered file is refused before it is sent). */
export function readBallotFile(text: string, expect: { validatorId: string; assemblyId: string; round: number }): VoteBallotFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("the salt file is not JSON: choose the ballot file this page offered after your commit");
  }
  const parsed = VoteBallotFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`the salt file is not an ${VOTE_BALLOT_FORMAT} file (${parsed.error.issues[0]?.message ?? "invalid"})`);
  const ballot = parsed.data;
  if (ballot.validatorId !== expect.validatorId) throw new Error("the salt file belongs to another validator");
  if (ballot.assemblyId !== expect.assemblyId || ballot.round !== expect.round) throw new Error(`the salt file is for assembly ${ballot.assemblyId} round ${ballot.round}, not this one`);
  const { format: _format, commitment, ...reveal } = ballot;
  if (voteCommitmentDigest(reveal) !== commitment) throw new Error("the salt file's vote does not hash to its commitment: it was edited after the commit");
  return ballot;
}

/** What the reveal sends: the vote and the salt, nothing of the key. */
export function revealBodyOf(ballot: VoteBallotFile): AgentRevealBody {
  const { format: _format, commitment: _commitment, ...reveal } = ballot;
  return reveal;
}

export const ballotFileName = (ballot: VoteBallotFile) => `assay-ballot-${ballot.assemblyId.slice(0, 8)}-r${ballot.round}.json`;
