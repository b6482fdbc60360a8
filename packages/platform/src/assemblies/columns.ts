// The JSON columns of an assembly, each with the zod schema it is parsed with
// when read (a row written by an older build, or by hand, fails loudly here
// instead of deep inside a tally), and one way to write a typed value into a
// JSON column.
import { AssemblyRecordSchema, ClaimRefSchema, DEFAULT_ASSEMBLY_PARAMS, FindingRefSchema, parseParams, type AssemblyParams, type ClaimRef, type FindingRef } from "@assay/assembly";
import { z } from "zod";
import type { StoredJson } from "../repositories";

/**
 * Parameters frozen at open. A parameter added after the assembly opened
 * (e.g. beaconSeconds) takes its package default; every stored value wins.
 */
export function parseStoredParams(value: unknown): AssemblyParams {
  const stored = z.record(z.string(), z.unknown()).parse(value);
  return parseParams({ ...DEFAULT_ASSEMBLY_PARAMS, ...stored });
}

/**
 * The audit facts the tally needs, stored in the `findings` column: the
 * findings (code, scenario, severity) and the report's claims with their
 * status (which bound what an assembly may grant).
 */
export const StoredAuditFactsSchema = z.strictObject({
  findings: z.array(FindingRefSchema),
  claims: z.array(ClaimRefSchema),
});
export type StoredAuditFacts = { findings: FindingRef[]; claims: ClaimRef[] };
export function parseAuditFacts(value: unknown): StoredAuditFacts {
  return StoredAuditFactsSchema.parse(value);
}

/** The decision of a finished assembly (assay.assembly/v1 `outcome`); fields added later pass through. */
export const StoredOutcomeSchema = z
  .object({
    kind: z.enum(["certify", "reject", "escalate"]),
    reason: z.enum(["max_rounds", "critical_veto", "no_claim_granted"]).nullable(),
    rounds: z.number().int().min(1),
    stabilityScore: z.number().int().min(0).max(10_000).nullable(),
  })
  .passthrough();
export type StoredOutcome = z.infer<typeof StoredOutcomeSchema>;

/** An operator's decision on an escalated assembly. */
export const ResolutionSchema = z.strictObject({
  decision: z.enum(["certify", "reject"]),
  reason: z.string(),
  actor: z.string(),
  at: z.string(),
  certificateId: z.string().nullable(),
});
export type Resolution = z.infer<typeof ResolutionSchema>;

/** The stored record's shape (its tallies are checked by recomputation: replayAssembly, finish). */
export const StoredRecordSchema = AssemblyRecordSchema;
export type StoredRecord = z.infer<typeof StoredRecordSchema>;

/** A round's tally as stored (assay.tally/v1); read for views only, recomputed wherever it matters. */
export const StoredTallySchema = z.record(z.string(), z.unknown());

/**
 * A typed value as a JSON column value: the JSON round trip drops undefined
 * fields (which Prisma refuses) and fails on anything JSON cannot carry (a
 * bigint), so nothing non-JSON reaches the database unnoticed.
 */
export function jsonColumn(value: unknown): StoredJson {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError("a JSON column value must be JSON");
  const parsed: StoredJson = JSON.parse(text);
  return parsed;
}
