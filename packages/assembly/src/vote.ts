// A validator's vote, its commitment and its reveal (SPEC §5).
import { DIGEST_PATTERN, SripClaim } from "@assay/protocol";
import { z } from "zod";
import { AssemblyId, Round } from "./seed";
import { ValidatorId } from "./validator";

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

export const CommitSchema = z
  .object({
    assemblyId: AssemblyId,
    round: Round,
    validatorId: ValidatorId,
    commitment: z.string().regex(DIGEST_PATTERN),
  })
  .strict();
export type Commit = z.infer<typeof CommitSchema>;

export const RevealSchema = VoteSchema.extend({
  assemblyId: AssemblyId,
  round: Round,
  validatorId: ValidatorId,
  salt: Salt,
}).strict();
export type Reveal = z.infer<typeof RevealSchema>;

const FINDING_KEY_PATTERN = /^[A-Z][A-Z0-9_]{0,63}@[^\s@]{1,128}$/;
const SALT_PATTERN = /^0x(?:[0-9a-f]{2}){16,64}$/;
const SRIP_CLAIMS: ReadonlySet<string> = new Set(SripClaim.options);
const REVEAL_KEYS = new Set(["verdict", "stabilityScore", "findingOpinions", "claims", "notes", "assemblyId", "round", "validatorId", "salt"]);
const isBoundedString = (v: unknown, min: number, max: number): v is string => typeof v === "string" && v.length >= min && v.length <= max;
const isIntIn = (v: unknown, min: number, max: number): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/**
 * Exactly RevealSchema's acceptance, written out for the tally's hot path
 * (thousands of reveals per round; a property test holds the two equal). Use
 * RevealSchema for anything that needs error messages.
 */
export function isReveal(value: unknown): value is Reveal {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const r = value as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!REVEAL_KEYS.has(key)) return false;
  if (r.verdict !== "certify" && r.verdict !== "reject") return false;
  if (!isIntIn(r.stabilityScore, 0, 10_000) || !isIntIn(r.round, 1, 64)) return false;
  if (!isBoundedString(r.assemblyId, 1, 128) || !isBoundedString(r.validatorId, 1, 128)) return false;
  if (typeof r.salt !== "string" || !SALT_PATTERN.test(r.salt)) return false;
  if ("notes" in r && r.notes !== undefined && !isBoundedString(r.notes, 0, 4_000)) return false;
  const opinions = r.findingOpinions;
  if (typeof opinions !== "object" || opinions === null || Array.isArray(opinions)) return false;
  for (const [key, opinion] of Object.entries(opinions)) {
    if (!FINDING_KEY_PATTERN.test(key) || (opinion !== "confirm" && opinion !== "dispute")) return false;
  }
  const claims = r.claims;
  if (typeof claims !== "object" || claims === null || Array.isArray(claims)) return false;
  for (const [srip, verdict] of Object.entries(claims)) {
    if (!SRIP_CLAIMS.has(srip) || (verdict !== "grant" && verdict !== "deny")) return false;
  }
  return true;
}
