// The assembly record (SPEC §5, §6): every round's snapshot digest, beacon,
// seed, seats, commits, reveals and tally, and the outcome — one replayable
// document whose digest (SHA-256 over its JCS bytes) goes into the certificate.
// Commits and reveals are stored sorted, so the digest does not depend on the
// order in which they arrived.
import { canonicalJson, ClaimStatus, DIGEST_PATTERN, digestOf, Severity, SripClaim, type Digest } from "@assay/protocol";
import { z } from "zod";
import { drawSeats, SeatSchema, type Seat } from "./draw";
import { AssemblyError, parseOrThrow } from "./errors";
import { AssemblyParams, seatCountForRound } from "./params";
import { AssemblyId, Beacon, drawSeed, Round } from "./seed";
import { effectiveSeats, normaliseVoided, replacementSeats, VoidedSeatSchema, type VoidedSeat } from "./seat-voiding";
import type { EligibleSnapshot } from "./snapshot";
import { tallyRound, type ClaimRef, type FindingRef, type RoundTally } from "./tally";
import { CommitSchema, findingKey, type Commit, type Verdict } from "./vote";

/** v2 added `claims` (the audit's per-claim statuses, which bound what the tally may grant). */
export const RECORD_FORMAT = "assay.assembly/v2";

const digest = z.string().regex(DIGEST_PATTERN);

export const FindingRefSchema = z.object({ code: z.string().min(1), scenario: z.string().min(1), severity: Severity }).strict();

export const ClaimRefSchema = z.object({ srip: SripClaim, status: ClaimStatus }).strict();

export const RoundRecordSchema = z
  .object({
    round: Round,
    snapshotDigest: digest,
    beacon: Beacon,
    seed: digest,
    /** Seats asked for this round; fewer are drawn only when the eligible set is smaller. */
    seatCount: z.number().int().min(1),
    seats: z.array(SeatSchema),
    /** Seats voided while the round was open (seat-voiding.ts); omitted when none. */
    voided: z.array(VoidedSeatSchema).optional(),
    /** Seats drawn to replace voided ones, in draw order; omitted when none. */
    replacements: z.array(SeatSchema).optional(),
    commits: z.array(CommitSchema),
    /** Reveals as received (a malformed one is kept: it is void, and the record shows it). */
    reveals: z.array(z.unknown()),
    /** Checked on replay by recomputation, not by shape. */
    tally: z.record(z.string(), z.unknown()),
  })
  .strict();
export type RoundRecord = Omit<z.infer<typeof RoundRecordSchema>, "tally"> & { tally: RoundTally };

export type AssemblyOutcome = {
  kind: Verdict | "escalate";
  reason: "max_rounds" | "critical_veto" | "no_claim_granted" | null;
  rounds: number;
  stabilityScore: number | null;
};

export const AssemblyRecordSchema = z
  .object({
    format: z.literal(RECORD_FORMAT),
    assemblyId: AssemblyId,
    params: z.record(z.string(), z.unknown()),
    findings: z.array(FindingRefSchema),
    claims: z.array(ClaimRefSchema),
    rounds: z.array(RoundRecordSchema).min(1),
    outcome: z.record(z.string(), z.unknown()),
  })
  .strict();
export type AssemblyRecord = {
  format: typeof RECORD_FORMAT;
  assemblyId: string;
  params: AssemblyParams;
  findings: FindingRef[];
  /** The audit's claims, ascending by SRIP. */
  claims: ClaimRef[];
  rounds: RoundRecord[];
  outcome: AssemblyOutcome;
};

/** What is fixed when a round opens: the draw (and, while it is open, voided seats and their replacements). */
export type RoundOpening = Pick<RoundRecord, "round" | "snapshotDigest" | "beacon" | "seed" | "seatCount" | "seats"> & {
  voided?: readonly VoidedSeat[];
  replacements?: readonly Seat[];
};

export function openRound(args: {
  assemblyId: string;
  round: number;
  beacon: string;
  snapshot: EligibleSnapshot;
  params: AssemblyParams;
}): RoundOpening {
  if (!weightRuleMatches(args.snapshot, args.params)) {
    throw new AssemblyError("INVALID_INPUT", "the snapshot was weighed under other parameters than the assembly's");
  }
  const seatCount = seatCountForRound(args.round, args.params);
  const seed = drawSeed(args.beacon, args.assemblyId, args.round);
  const seats = drawSeats(args.snapshot, seed, seatCount, { diversity: args.params.modelFamilyDiversity });
  return { round: args.round, snapshotDigest: args.snapshot.digest, beacon: args.beacon, seed, seatCount, seats };
}

function weightRuleMatches(snapshot: EligibleSnapshot, params: AssemblyParams): boolean {
  const rule = snapshot.document.weightRule;
  return rule.reputationFloorBps === params.reputationFloorBps && rule.probationWeightBps === params.probationWeightBps;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** JSON form of received reveals (drops undefined fields), sorted by validator then content. */
function normaliseReveals(reveals: readonly unknown[]): unknown[] {
  return reveals
    .map((r) => ({ value: JSON.parse(JSON.stringify(r ?? null)) as unknown }))
    .map((r) => ({ ...r, text: canonicalJson(r.value), id: String((r.value as { validatorId?: unknown } | null)?.validatorId ?? "") }))
    .sort((a, b) => compareText(a.id, b.id) || compareText(a.text, b.text))
    .map((r) => r.value);
}

function normaliseCommits(commits: readonly Commit[]): Commit[] {
  return commits
    .map((c) => parseOrThrow(CommitSchema, c, "commit"))
    .sort((a, b) => compareText(a.validatorId, b.validatorId) || compareText(a.commitment, b.commitment) || a.round - b.round);
}

function normaliseFindings(findings: readonly FindingRef[]): FindingRef[] {
  return findings
    .map((f) => ({ code: f.code, scenario: f.scenario, severity: f.severity }))
    .sort((a, b) => compareText(findingKey(a), findingKey(b)) || compareText(a.severity, b.severity));
}

function normaliseClaims(claims: readonly ClaimRef[]): ClaimRef[] {
  const parsed = claims.map((c) => parseOrThrow(ClaimRefSchema, { srip: c.srip, status: c.status }, "claim"));
  const sorted = parsed.sort((a, b) => compareText(a.srip, b.srip));
  sorted.forEach((c, i) => {
    if (i > 0 && sorted[i - 1]!.srip === c.srip) throw new AssemblyError("INVALID_INPUT", `claim ${c.srip} appears twice`);
  });
  return sorted;
}

/** Close a round: tally its commits and reveals against its seats. */
export function closeRound(
  opening: RoundOpening,
  args: {
    assemblyId: string;
    params: AssemblyParams;
    findings: readonly FindingRef[];
    claims: readonly ClaimRef[];
    commits: readonly Commit[];
    reveals: readonly unknown[];
  },
): RoundRecord {
  const commits = normaliseCommits(args.commits);
  const reveals = normaliseReveals(args.reveals);
  const { voided: voidedIn, replacements: replacementsIn, ...drawn } = opening;
  const voided = normaliseVoided(voidedIn ?? []);
  const replacements = [...(replacementsIn ?? [])];
  const tally = tallyRound({
    assemblyId: args.assemblyId,
    round: opening.round,
    params: args.params,
    seats: effectiveSeats(drawn.seats, replacements, voided),
    commits,
    reveals,
    findings: args.findings,
    claims: normaliseClaims(args.claims),
  });
  // Omitted when empty, so a round nobody was voided from has the record (and digest) it always had.
  return { ...drawn, ...(voided.length ? { voided } : {}), ...(replacements.length ? { replacements } : {}), commits, reveals, tally };
}

export function assemblyOutcome(rounds: readonly RoundRecord[]): AssemblyOutcome {
  const last = rounds[rounds.length - 1];
  if (!last) throw new AssemblyError("INVALID_INPUT", "an assembly has at least one round");
  const o = last.tally.outcome;
  if (o.kind === "roll") throw new AssemblyError("INVALID_INPUT", `round ${last.round} rolled; the assembly is not finished`);
  return {
    kind: o.kind === "resolved" ? o.verdict : "escalate",
    reason: o.reason,
    rounds: rounds.length,
    stabilityScore: last.tally.stabilityScore,
  };
}

/** The reason a claim's audit status alone gives (null: evidenced, the votes decide). */
const statusReason = (c: ClaimRef) => (c.status === "evidenced" ? null : c.status === "not-tested" ? "not_tested" : "not_evidenced");

/** Whether a round's tally lists exactly these claims, each with a reason its status allows. */
function talliedAgainst(tally: RoundTally, claims: readonly ClaimRef[]): boolean {
  return (
    tally.claims.length === claims.length &&
    claims.every((c, i) => {
      const t = tally.claims[i]!;
      const fromStatus = statusReason(c);
      return t.srip === c.srip && (fromStatus === null ? t.reason !== "not_tested" && t.reason !== "not_evidenced" : t.reason === fromStatus);
    })
  );
}

/** Assemble the finished record and its digest; checks the rounds chain up. */
export function buildAssemblyRecord(args: {
  assemblyId: string;
  params: AssemblyParams;
  findings: readonly FindingRef[];
  claims: readonly ClaimRef[];
  rounds: readonly RoundRecord[];
}): { record: AssemblyRecord; digest: Digest } {
  const claims = normaliseClaims(args.claims);
  for (const r of args.rounds) {
    // The rounds must have been tallied against these very claims, or replay could not reproduce them.
    if (!talliedAgainst(r.tally, claims)) throw new AssemblyError("INVALID_INPUT", `round ${r.round} was tallied against other claims than the record's`);
  }
  args.rounds.forEach((r, i) => {
    if (r.round !== i + 1) throw new AssemblyError("INVALID_INPUT", `round ${i + 1} is numbered ${r.round}`);
    if (i < args.rounds.length - 1 && r.tally.outcome.kind !== "roll") {
      throw new AssemblyError("INVALID_INPUT", `round ${r.round} did not roll but is followed by another round`);
    }
  });
  const record: AssemblyRecord = {
    format: RECORD_FORMAT,
    assemblyId: args.assemblyId,
    params: args.params,
    findings: normaliseFindings(args.findings),
    claims,
    rounds: [...args.rounds],
    outcome: assemblyOutcome(args.rounds),
  };
  return { record, digest: recordDigest(record) };
}

export function recordDigest(record: AssemblyRecord): Digest {
  return digestOf(record);
}

export type ReplayCheck = { name: string; ok: boolean; skipped: boolean; detail: string };
export type ReplayReport = {
  /** Every check that ran passed. */
  ok: boolean;
  /** ok, and no check was skipped (every snapshot was supplied). */
  complete: boolean;
  digest: Digest | null;
  checks: ReplayCheck[];
};

export type ReplayOptions = {
  /** Snapshots by digest; without one a round's seats cannot be recomputed (the check is skipped). */
  snapshots?: ReadonlyMap<string, EligibleSnapshot> | readonly EligibleSnapshot[];
  /** The digest the record must have (e.g. the one in a certificate). */
  expectedDigest?: string;
};

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/**
 * Recompute everything a record claims: seeds from beacons, seats from
 * snapshots, tallies from seats + commits + reveals, the round chain, the
 * outcome and the digest. Returns one check per claim rather than throwing,
 * so a verifier can show which part failed.
 */
export function replayAssembly(value: unknown, options: ReplayOptions = {}): ReplayReport {
  const checks: ReplayCheck[] = [];
  const check = (name: string, ok: boolean, detail = "") => checks.push({ name, ok, skipped: false, detail });
  const skip = (name: string, detail: string) => checks.push({ name, ok: true, skipped: true, detail });
  const finish = (digest: Digest | null): ReplayReport => {
    const ok = checks.every((c) => c.ok);
    return { ok, complete: ok && checks.every((c) => !c.skipped), digest, checks };
  };

  const shape = AssemblyRecordSchema.safeParse(value);
  if (!shape.success) {
    check("schema", false, shape.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    return finish(null);
  }
  check("schema", true);
  const params = AssemblyParams.safeParse(shape.data.params);
  if (!params.success) {
    check("params", false, "parameters are invalid");
    return finish(null);
  }
  check("params", true);
  const record = value as AssemblyRecord;
  const digest = digestOf(record);
  if (options.expectedDigest !== undefined) {
    check("digest", digest === options.expectedDigest, digest === options.expectedDigest ? "" : `record digest is ${digest}`);
  }

  const snapshots = new Map<string, EligibleSnapshot>(
    options.snapshots instanceof Map ? options.snapshots : ((options.snapshots ?? []) as EligibleSnapshot[]).map((s) => [s.digest, s]),
  );
  const rounds = shape.data.rounds as RoundRecord[];
  rounds.forEach((r, i) => {
    const at = `round ${i + 1}`;
    check(`${at}: number`, r.round === i + 1, `numbered ${r.round}`);
    const seatCount = seatCountForRound(i + 1, params.data);
    check(`${at}: seat count`, r.seatCount === seatCount, `expected ${seatCount}, recorded ${r.seatCount}`);
    let seed: Digest | null = null;
    try {
      seed = drawSeed(r.beacon, record.assemblyId, r.round);
    } catch (e) {
      check(`${at}: seed`, false, (e as Error).message);
    }
    if (seed !== null) check(`${at}: seed`, seed === r.seed, seed === r.seed ? "" : `recomputed ${seed}`);
    const snapshot = snapshots.get(r.snapshotDigest);
    if (!snapshot) skip(`${at}: seats`, `snapshot ${r.snapshotDigest} not supplied`);
    else if (!weightRuleMatches(snapshot, params.data)) check(`${at}: seats`, false, "snapshot weight rule differs from the record's parameters");
    else if (seed !== null) {
      const seats: Seat[] = drawSeats(snapshot, seed, r.seatCount, { diversity: params.data.modelFamilyDiversity });
      check(`${at}: seats`, same(seats, r.seats), "seats recomputed from the snapshot and seed");
      if (r.replacements?.length) {
        const replacements = replacementSeats(snapshot, { seed, seats: r.seats }, r.replacements.length, { diversity: params.data.modelFamilyDiversity });
        check(`${at}: replacements`, same(replacements, r.replacements), "replacement seats recomputed from the snapshot and seed");
      }
    }
    if (r.voided?.length) {
      const seated = new Set([...r.seats, ...(r.replacements ?? [])].map((s) => s.validatorId));
      const stray = r.voided.filter((v) => !seated.has(v.validatorId)).map((v) => v.validatorId);
      check(`${at}: voided`, stray.length === 0, stray.length ? `voided without a seat: ${stray.join(", ")}` : "every voided validator held a seat");
    }
    let tally: RoundTally | null = null;
    try {
      tally = tallyRound({
        assemblyId: record.assemblyId,
        round: r.round,
        params: params.data,
        seats: effectiveSeats(r.seats, r.replacements, r.voided),
        commits: r.commits,
        reveals: r.reveals,
        findings: shape.data.findings,
        claims: shape.data.claims,
      });
    } catch (e) {
      check(`${at}: tally`, false, (e as Error).message);
    }
    if (tally) check(`${at}: tally`, same(tally, r.tally), "tally recomputed from seats, commits and reveals");
    const kind = (r.tally as { outcome?: { kind?: unknown } }).outcome?.kind;
    if (i < rounds.length - 1) check(`${at}: rolled`, kind === "roll", `outcome ${String(kind)} yet another round follows`);
    else check(`${at}: final`, kind !== "roll", "the last round must not roll");
  });
  try {
    check("outcome", same(assemblyOutcome(rounds), shape.data.outcome), "outcome derived from the last round");
  } catch (e) {
    check("outcome", false, (e as Error).message);
  }
  return finish(digest);
}
