// A validator's vote, its commitment and its reveal (SPEC §5).
import { DIGEST_PATTERN, Salt, SripClaim, VoteSchema } from "@assay/protocol";
import { z } from "zod";
import { AssemblyId, Round } from "./seed";
import { ValidatorId } from "./validator";

// The vote's shapes live in @assay/protocol (the API, the agents and the
// browser's validator portal use them too); re-exported here for the assembly logic.
export { ClaimVerdict, ClaimVotes, FindingKey, FindingOpinion, findingKey, Salt, Verdict, VoteSchema } from "@assay/protocol";
export type { Vote } from "@assay/protocol";

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
