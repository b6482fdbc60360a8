// Response views of the agent plane (beacon and evidence views live in ../beacon
// and ../agent-evidence; the validator view in ../validators).
import { z } from "zod";
import { ValidatorViewSchema } from "../validators";
import { DecimalText, IsoTime } from "./common";

export const AgentChallengeSchema = z.strictObject({ nonce: z.string(), message: z.string(), expiresAt: IsoTime });
export const AgentTokenSchema = z.strictObject({ token: z.string(), tokenType: z.literal("Bearer"), expiresAt: IsoTime, validatorId: z.string().uuid() });

/** GET /v1/agent/me: the validator with its reputation events and seats (latest 50 each). */
export const AgentMeSchema = ValidatorViewSchema.extend({
  history: z.strictObject({
    reputation: z.array(
      z.strictObject({
        assemblyId: z.string().uuid(),
        round: z.number().int(),
        role: z.string(),
        reputationBefore: z.number().int(),
        reputationAfter: z.number().int(),
        stakeSlashed: DecimalText,
        reward: DecimalText,
        stakeDelta: DecimalText,
        at: IsoTime,
      }),
    ),
    seats: z.array(z.strictObject({ assemblyId: z.string().uuid(), submissionId: z.string().uuid(), round: z.number().int(), weight: DecimalText, assemblyStatus: z.string() })),
  }),
});

export const AssignmentsSchema = z.strictObject({
  assignments: z.array(
    z.strictObject({
      assemblyId: z.string().uuid(),
      submissionId: z.string().uuid(),
      round: z.number().int(),
      phase: z.string(),
      phaseEndsAt: IsoTime,
      deadlines: z.strictObject({ review: IsoTime, commit: IsoTime, reveal: IsoTime }),
      weight: DecimalText,
      committed: z.boolean(),
      revealed: z.boolean(),
    }),
  ),
});

export const CommitAcceptedSchema = z.strictObject({ assemblyId: z.string().uuid(), round: z.number().int(), commitment: z.string(), accepted: z.literal(true) });
export const RevealAcceptedSchema = z.strictObject({ assemblyId: z.string().uuid(), round: z.number().int(), accepted: z.literal(true) });

/** GET /v1/agent/history: pages of the calling validator's settlements, newest first (cursor from the previous page). */
export const AgentHistoryQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type AgentHistoryQuery = z.infer<typeof AgentHistoryQuery>;

/**
 * The validator's reputation and stake over time: one point per settled seat
 * (reputation EMA, slash, reward), with the stake before and after, and where
 * it stands now. Stake set by an operator's approval or slash, or by the chain
 * indexer, moves `current.stake` without a point of its own.
 */
export const AgentHistorySchema = z.strictObject({
  validatorId: z.string().uuid(),
  current: z.strictObject({ at: IsoTime, reputationBps: z.number().int(), stake: DecimalText }),
  points: z.array(
    z.strictObject({
      at: IsoTime,
      assemblyId: z.string().uuid(),
      round: z.number().int(),
      role: z.string(),
      reputationBefore: z.number().int(),
      reputationAfter: z.number().int(),
      stakeBefore: DecimalText,
      stakeAfter: DecimalText,
      stakeSlashed: DecimalText,
      reward: DecimalText,
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type AgentHistory = z.infer<typeof AgentHistorySchema>;
