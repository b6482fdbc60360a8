// A certificate's assembly record on the public plane (docs/decisions/0031):
// `GET /v1/public/certificates/:id/assembly`. The record is served verbatim —
// its SHA-256 over the JCS bytes is the `assembly.recordDigest` the signed
// certificate carries, so a browser recomputes the digest and knows the record
// is the one the certificate commits to — with one row per seat derived from it
// (the validators table) by `assemblySeatsOf`, which the server and the browser
// both run, plus the commit and reveal times (the only fields the record does
// not bind: they come from the server's database).
//
// Validators appear by the record's `validatorId`: a random UUID the platform
// assigned, never a key, name, account or chain address (pseudonymous).
import { z } from "zod";
import { DIGEST_PATTERN } from "../canonical";
import { ClaimVerdict, Verdict } from "../vote";

const digest = z.string().regex(DIGEST_PATTERN, "expected 0x + 64 lowercase hex digits");
const amount = z.string().regex(/^(0|[1-9][0-9]*)$/, "expected a non-negative integer in decimal");
const instant = z.iso.datetime();

/** How a seat counted in its round's tally; `voided` seats were replaced while the round was open. */
export const AssemblySeatStatus = z.enum(["revealed", "void", "no_show", "voided"]);
export type AssemblySeatStatus = z.infer<typeof AssemblySeatStatus>;

/** One seat of one round, as the record states it (times excepted). */
export const AssemblySeatViewSchema = z.strictObject({
  round: z.number().int().min(1),
  /** Pseudonymous validator id (the platform's random id for the validator; not its key or account). */
  validatorId: z.string().min(1).max(128),
  /** The seat's governance weight in the tally (stake × reputation rule of the snapshot), smallest unit, decimal. */
  weight: amount,
  /** Model family used for seat diversity (agents); null for persons. */
  family: z.string().nullable(),
  status: AssemblySeatStatus,
  /** Why a seat did not count (no_commit, no_reveal, a void reveal's reason, the voiding reason); null when it did. */
  reason: z.string().nullable(),
  /** The revealed overall verdict; null unless revealed. */
  verdict: Verdict.nullable(),
  /** The revealed stability score (bps); null unless revealed. */
  stabilityScoreBps: z.number().int().min(0).max(10_000).nullable(),
  /** The revealed verdict per claimed SRIP; null unless revealed. */
  claims: z.record(z.string(), ClaimVerdict).nullable(),
});
export type AssemblySeatView = z.infer<typeof AssemblySeatViewSchema>;

/** A seat row with the server's commit and reveal times (not bound by the record digest). */
export const PublicAssemblySeatSchema = AssemblySeatViewSchema.extend({
  committedAt: instant.nullable(),
  revealedAt: instant.nullable(),
});
export type PublicAssemblySeat = z.infer<typeof PublicAssemblySeatSchema>;

export const AssemblyClaimTallySchema = z.strictObject({
  srip: z.string(),
  granted: z.boolean(),
  grantWeight: amount,
  denyWeight: amount,
  reason: z.string().nullable(),
});

/** The deciding round's tally, from the record. */
export const AssemblyTallyViewSchema = z.strictObject({
  rounds: z.number().int().min(1),
  /** The record's outcome: certify, reject or escalate. */
  outcome: z.string(),
  seatedWeight: amount,
  revealedWeight: amount,
  certifyWeight: amount,
  rejectWeight: amount,
  participationBps: z.number().int().min(0).max(10_000),
  stabilityScoreBps: z.number().int().min(0).max(10_000).nullable(),
  claims: z.array(AssemblyClaimTallySchema),
});
export type AssemblyTallyView = z.infer<typeof AssemblyTallyViewSchema>;

export const PublicAssemblyRecordSchema = z.strictObject({
  certificateId: digest,
  assemblyId: z.string(),
  /** The digest the certificate's payload carries (`assembly.recordDigest`); equal to digestOf(record). */
  recordDigest: digest,
  /** The replayable `assay.assembly/v2` record, verbatim (snapshot digest, beacons, seeds, seats, commits, reveals, tallies, outcome). */
  record: z.record(z.string(), z.unknown()),
  /** Every seat of every round, in round then draw order. */
  seats: z.array(PublicAssemblySeatSchema),
  tally: AssemblyTallyViewSchema,
});
export type PublicAssemblyRecord = z.infer<typeof PublicAssemblyRecordSchema>;

// The parts of the record the view reads (loose: the record's own schema lives in @assay/assembly).
const BallotPart = z.looseObject({
  validatorId: z.string(),
  weight: amount,
  status: z.enum(["revealed", "void", "no_show"]),
  reason: z.string().nullable(),
  verdict: Verdict.nullable(),
  stabilityScore: z.number().int().nullable(),
});
const RoundPart = z.looseObject({
  round: z.number().int().min(1),
  seats: z.array(z.looseObject({ validatorId: z.string(), weight: amount, family: z.string().nullable() })),
  replacements: z.array(z.looseObject({ validatorId: z.string(), weight: amount, family: z.string().nullable() })).optional(),
  voided: z.array(z.looseObject({ validatorId: z.string(), reason: z.string() })).optional(),
  reveals: z.array(z.unknown()),
  tally: z.looseObject({
    seatedWeight: amount,
    revealedWeight: amount,
    certifyWeight: amount,
    rejectWeight: amount,
    participationBps: z.number().int(),
    stabilityScore: z.number().int().nullable(),
    ballots: z.array(BallotPart),
    claims: z.array(z.looseObject({ srip: z.string(), granted: z.boolean(), grantWeight: amount, denyWeight: amount, reason: z.string().nullable() })),
  }),
});
const RecordPart = z.looseObject({
  format: z.string(),
  assemblyId: z.string(),
  rounds: z.array(RoundPart).min(1),
  outcome: z.looseObject({ kind: z.string() }),
});

/** Thrown by the view functions when a record lacks the parts they read. */
export class AssemblyRecordShapeError extends Error {}

function partsOf(record: unknown): z.infer<typeof RecordPart> {
  const parsed = RecordPart.safeParse(record);
  if (!parsed.success) throw new AssemblyRecordShapeError(`not an assembly record: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/**
 * One row per seat of every round, from the record alone: the tally's ballots
 * (weight, status, verdict, score), each revealed seat's per-claim verdicts
 * from its reveal, then the seats voided while the round was open.
 */
export function assemblySeatsOf(record: unknown): AssemblySeatView[] {
  const parts = partsOf(record);
  const rows: AssemblySeatView[] = [];
  for (const round of parts.rounds) {
    const families = new Map([...round.seats, ...(round.replacements ?? [])].map((s) => [s.validatorId, s]));
    const claimsBy = new Map<string, Record<string, "grant" | "deny">>();
    for (const reveal of round.reveals) {
      const r = z.looseObject({ validatorId: z.string(), claims: z.record(z.string(), ClaimVerdict) }).safeParse(reveal);
      if (r.success) claimsBy.set(r.data.validatorId, r.data.claims);
    }
    for (const b of round.tally.ballots) {
      const revealed = b.status === "revealed";
      rows.push({
        round: round.round,
        validatorId: b.validatorId,
        weight: b.weight,
        family: families.get(b.validatorId)?.family ?? null,
        status: b.status,
        reason: b.reason,
        verdict: revealed ? b.verdict : null,
        stabilityScoreBps: revealed ? b.stabilityScore : null,
        claims: revealed ? (claimsBy.get(b.validatorId) ?? {}) : null,
      });
    }
    for (const v of round.voided ?? []) {
      const seat = families.get(v.validatorId);
      rows.push({ round: round.round, validatorId: v.validatorId, weight: seat?.weight ?? "0", family: seat?.family ?? null, status: "voided", reason: v.reason, verdict: null, stabilityScoreBps: null, claims: null });
    }
  }
  return rows;
}

/** The deciding (last) round's tally and the record's outcome. */
export function assemblyTallyOf(record: unknown): AssemblyTallyView {
  const parts = partsOf(record);
  const last = parts.rounds[parts.rounds.length - 1]!.tally;
  return {
    rounds: parts.rounds.length,
    outcome: parts.outcome.kind,
    seatedWeight: last.seatedWeight,
    revealedWeight: last.revealedWeight,
    certifyWeight: last.certifyWeight,
    rejectWeight: last.rejectWeight,
    participationBps: last.participationBps,
    stabilityScoreBps: last.stabilityScore,
    claims: last.claims.map((c) => ({ srip: c.srip, granted: c.granted, grantWeight: c.grantWeight, denyWeight: c.denyWeight, reason: c.reason })),
  };
}
