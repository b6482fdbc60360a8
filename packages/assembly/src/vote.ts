// A validator's vote, its commitment and its reveal (SPEC §5).
import { DIGEST_PATTERN } from "@assay/protocol";
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

/** At least 16 random bytes, so the tiny vote space cannot be brute-forced from a commitment. */
export const Salt = z.string().regex(/^0x(?:[0-9a-f]{2}){16,64}$/, "salt must be 0x + 32 to 128 lowercase hex digits");

export const VoteSchema = z
  .object({
    verdict: Verdict,
    /** The validator's stability score of the runtime, basis points 0..10_000. */
    stabilityScore: z.number().int().min(0).max(10_000),
    findingOpinions: z.record(FindingKey, FindingOpinion),
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
