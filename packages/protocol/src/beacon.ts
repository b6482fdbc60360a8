// Agent-plane shapes of the draw beacon (docs/decisions/0009, "Beacon"): the
// open beacon windows a validator may contribute to, its contribution, and an
// assembly's beacon as the record shows it after the draw. Served by the API,
// read by the demo validators and any external agent.
import { z } from "zod";
import { DIGEST_PATTERN } from "./canonical";

const digest = z.string().regex(DIGEST_PATTERN);

/** 32 random bytes from the validator (its own CSPRNG), 0x + 64 hex. */
export const BeaconContributionBodySchema = z.strictObject({
  value: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "value must be 0x + 64 hex digits (32 random bytes)"),
});
export type BeaconContributionBody = z.infer<typeof BeaconContributionBodySchema>;

export const BeaconContributionAcceptedSchema = z.strictObject({
  assemblyId: z.string(),
  validatorId: z.string(),
  /** Stored lower-case; this exact value must appear in the assembly's beacon inputs after the draw. */
  value: digest,
  accepted: z.literal(true),
});
export type BeaconContributionAccepted = z.infer<typeof BeaconContributionAcceptedSchema>;

/** An assembly collecting beacon contributions. */
export const BeaconWindowSchema = z.strictObject({
  assemblyId: z.string(),
  submissionId: z.string(),
  reportDigest: digest,
  /** SHA-256 of the platform's secret share, fixed before any contribution. */
  commitment: digest,
  windowEndsAt: z.string(),
  contributed: z.boolean(),
});
export type BeaconWindow = z.infer<typeof BeaconWindowSchema>;
export const BeaconWindowsSchema = z.strictObject({ beacons: z.array(BeaconWindowSchema) });

/**
 * An assembly's beacon for a validator: while collecting, the commitment and
 * the window; after the draw, every input (share revealed), the beacon, what it
 * rests on, and whether the caller's contribution is in it.
 */
export const AssemblyBeaconViewSchema = z.strictObject({
  assemblyId: z.string(),
  state: z.enum(["collecting", "drawn"]),
  reportDigest: digest,
  commitment: digest,
  windowEndsAt: z.string().nullable(),
  beacon: digest.nullable(),
  inputs: z.record(z.string(), z.unknown()).nullable(),
  trust: z.strictObject({ contributions: z.number().int(), block: z.boolean(), platformKnewSeed: z.boolean() }).nullable(),
  yourContribution: digest.nullable(),
  /** After the draw: whether your contribution is among the inputs (null while collecting or when you sent none). */
  included: z.boolean().nullable(),
});
export type AssemblyBeaconView = z.infer<typeof AssemblyBeaconViewSchema>;
