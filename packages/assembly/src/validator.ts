// A validator as the assembly logic sees it (SPEC §5): stake, reputation,
// standing, and a declared kind (a person, or an agent with its model family).
import { z } from "zod";
import { AMOUNT_PATTERN } from "./arith";

/** `pending`: activated but not admitted (no indexed or approved stake yet); never drawn, like `suspended`. */
export const Standing = z.enum(["pending", "active", "probation", "suspended"]);
export type Standing = z.infer<typeof Standing>;

export const ValidatorKind = z.enum(["person", "agent"]);
export type ValidatorKind = z.infer<typeof ValidatorKind>;

export const ValidatorId = z.string().min(1).max(128);

/** Stake in the smallest unit, as a bigint or its decimal text (stakes exceed 2^53). */
export const StakeAmount = z
  .union([z.bigint().nonnegative(), z.string().regex(AMOUNT_PATTERN, "stake must be a non-negative integer")])
  .transform((v) => BigInt(v));

export const ValidatorSchema = z
  .object({
    id: ValidatorId,
    stake: StakeAmount,
    /** Reputation in [0, 1] as basis points. */
    reputationBps: z.number().int().min(0).max(10_000),
    standing: Standing,
    kind: ValidatorKind,
    /** Model family of an agent (e.g. "gpt-4o", "claude"); ignored for persons. */
    modelFamily: z.string().max(64).nullish(),
  })
  .strict();
export type ValidatorInput = z.input<typeof ValidatorSchema>;
export type Validator = z.infer<typeof ValidatorSchema>;

/**
 * The family used for seat diversity: agents with a declared family share one
 * opinion per family (case and surrounding spaces ignored); persons, and agents
 * that declare none, are each their own opinion (null).
 */
export function diversityFamily(v: Pick<Validator, "kind" | "modelFamily">): string | null {
  if (v.kind !== "agent") return null;
  const family = v.modelFamily?.trim().toLowerCase();
  return family ? family : null;
}
