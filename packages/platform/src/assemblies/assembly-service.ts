// The lifecycle of an assembly on the platform (SPEC §5; docs/decisions/0009):
// open (snapshot at open, public beacon, draw, seats) → review → commit →
// reveal → tally, each phase ended by a delayed job or early when every seat
// has acted → roll to 2n+1 seats, or decide (certify / reject / escalate) →
// settle (reputation events) → certificate or rejection.
//
// Idempotency: every phase move is a compare-and-set on (round, phase) of an
// open assembly; the decision is a compare-and-set from the tally phase and is
// written in one transaction with the settlement; post-decision effects
// (certificate, rejection) are re-derived from the stored decision by finish(),
// which any redelivery or the sweep may run again.
import {
  buildAssemblyRecord,
  certificateAssembly,
  closeRound,
  openRound,
  roundFeeShares,
  settleRound,
  snapshotEligible,
  snapshotFromDocument,
  type AssemblyParams,
  type AssemblyRecord,
  type Commit,
  type FindingRef,
  type RoundOpening,
  type RoundRecord,
  type RoundTally,
  type Seat,
} from "@assay/assembly";
import { AuditReportSchema, digestOf, type Digest } from "@assay/protocol";
import { randomUUID } from "node:crypto";
import type { AssemblyPhase, Prisma, ValidatorStanding } from "../generated/prisma";
import { ConflictError, NotFoundError } from "../errors";
import type { DbClient, Store } from "../repositories";
import { RecoveryRepository } from "../repositories/worker-repositories";
import { anchorDedupeKey, ANCHOR_TOPIC, CertificateIssuingService } from "../services/certificate-issuing-service";
import type { CertificateService } from "../services/certificate-service";
import { readProgress, type SubmissionProgress } from "../services/submission-progress";
import type { SubmissionService } from "../services/submission-service";
import { isUniqueViolation } from "../services/unique-violation";
import type { FlagService } from "./flag-service";
import { AssemblyRepository, ValidatorRepository, type AssemblyRow } from "./repositories";
import { assemblyJobIds, type AssemblyScheduler } from "./scheduler";

export const BEACON_FORMAT = "assay.beacon/v1";
/** Fee attributed to an assembly (smallest unit) until pricing (SPEC §9) sets one per submission. */
export const DEFAULT_ASSEMBLY_FEE = 1_000_000n;
/** Beacon time bucket: the open minute. */
export const BEACON_BUCKET_MS = 60_000;
/** Reputation below this puts an active validator on probation; at or above the restore line it is active again. */
export const PROBATION_BELOW_BPS = 2_000;
export const RESTORE_AT_BPS = 4_000;

export type AssemblyJobResult = { result: string } & Record<string, unknown>;
type Log = (level: "info" | "warn" | "error", message: string) => void;

export type BeaconInputs = { format: typeof BEACON_FORMAT; reportDigest: string; latestCertificateId: string | null; timeBucket: number };

/** The public beacon: SHA-256 of the JCS of public facts fixed at open (docs/decisions/0009). */
export function assemblyBeacon(inputs: BeaconInputs): Digest {
  return digestOf(inputs);
}

const NEXT: Record<"review" | "commit" | "reveal", AssemblyPhase> = { review: "commit", commit: "reveal", reveal: "tally" };

export function phaseSeconds(params: AssemblyParams, phase: AssemblyPhase): number {
  if (phase === "review") return params.reviewSeconds;
  if (phase === "commit") return params.commitSeconds;
  if (phase === "reveal") return params.revealSeconds;
  return 0;
}

export class AssemblyService {
  private readonly unsigned: CertificateIssuingService;

  constructor(
    private readonly store: Store,
    private readonly submissions: SubmissionService,
    private readonly certificates: CertificateService,
    private readonly flags: FlagService,
    private readonly scheduler: AssemblyScheduler,
    private readonly clock: () => Date = () => new Date(),
    private readonly log: Log = () => undefined,
    private readonly actor = "system:worker-assembly",
  ) {
    this.unsigned = new CertificateIssuingService(store, certificates, { assemblyRequired: true }, actor);
  }

  private repo(db: DbClient = this.store.db) {
    return new AssemblyRepository(db);
  }

  // ------------------------------------------------------------------ open

  async open(submissionId: string, attempt = 0): Promise<AssemblyJobResult> {
    const existing = await this.repo().findBySubmission(submissionId);
    if (existing) return { result: "already_open", assemblyId: existing.id };
    const submission = await this.store.repos.submissions.findById(submissionId);
    if (!submission) throw new NotFoundError("submission_not_found", `no submission ${submissionId}`);
    if (submission.status !== "in_assembly") return { result: "not_in_assembly", status: submission.status };
    const stored = await this.store.repos.audits.latestReportForSubmission(submissionId);
    if (!stored) throw new ConflictError("report_missing", `submission ${submissionId} has no audit report`);
    const report = AuditReportSchema.parse(stored.document);
    const findings: FindingRef[] = report.findings.map((f) => ({ code: f.code, scenario: f.scenario, severity: f.severity }));
    const params = await this.flags.assemblyParams();
    const validators = await new ValidatorRepository(this.store.db).all();
    const conflicts = validators.filter((v) => v.developerId !== null && v.developerId === submission.developerId).map((v) => v.id);
    const snapshot = snapshotEligible(
      validators.map((v) => ({ id: v.id, stake: v.stake, reputationBps: v.reputationBps, standing: v.standing, kind: v.kind, modelFamily: v.modelFamily })),
      { conflicts, params },
    );
    if (snapshot.ids.length === 0) {
      // Nobody can sit yet (a fresh install whose validators are still activating): look again shortly.
      const delayMs = Math.min(60_000, 2_000 * 2 ** Math.min(attempt, 5));
      await this.scheduler.schedule({ action: "open", submissionId, attempt: attempt + 1 }, { jobId: assemblyJobIds.openRetry(submissionId, attempt + 1), delayMs });
      return { result: "no_eligible_validators", retryInMs: delayMs };
    }
    const now = this.clock();
    const latest = await this.repo().latestCertificateId();
    const beaconInputs: BeaconInputs = {
      format: BEACON_FORMAT,
      reportDigest: stored.digest,
      latestCertificateId: latest?.id ?? null,
      timeBucket: Math.floor(now.getTime() / BEACON_BUCKET_MS),
    };
    const beacon = assemblyBeacon(beaconInputs);
    const assemblyId = randomUUID();
    const opening = openRound({ assemblyId, round: 1, beacon, snapshot, params });
    const endsAt = new Date(now.getTime() + params.reviewSeconds * 1000);
    try {
      await this.store.db.$transaction(async (tx) => {
        const repo = this.repo(tx);
        await repo.create({
          id: assemblyId,
          submissionId,
          round: 1,
          phase: "review",
          phaseStartedAt: now,
          phaseEndsAt: endsAt,
          params: params as unknown as Prisma.InputJsonValue,
          findings: findings as unknown as Prisma.InputJsonValue,
          reportDigest: stored.digest,
          snapshot: snapshot.document as unknown as Prisma.InputJsonValue,
          snapshotDigest: snapshot.digest,
          beacon,
          beaconInputs: beaconInputs as unknown as Prisma.InputJsonValue,
          fee: DEFAULT_ASSEMBLY_FEE,
        });
        await this.createRound(repo, assemblyId, opening, now);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        const other = await this.repo().findBySubmission(submissionId);
        return { result: "already_open", assemblyId: other?.id ?? null };
      }
      throw err;
    }
    await this.scheduler.schedule({ action: "advance", assemblyId, round: 1, phase: "review" }, { jobId: assemblyJobIds.deadline(assemblyId, 1, "review"), delayMs: endsAt.getTime() - now.getTime() });
    await this.refreshProgress(assemblyId);
    this.log("info", `assembly ${assemblyId} opened for submission ${submissionId}: ${opening.seats.length} seats`);
    return { result: "opened", assemblyId, seats: opening.seats.length };
  }

  private async createRound(repo: AssemblyRepository, assemblyId: string, opening: RoundOpening, at: Date): Promise<void> {
    await repo.createRound({ assemblyId, round: opening.round, seed: opening.seed, seatCount: opening.seatCount, openedAt: at });
    await repo.createSeats(opening.seats.map((s, position) => ({ assemblyId, round: opening.round, position, validatorId: s.validatorId, weight: s.weight, family: s.family })));
  }

  // --------------------------------------------------------------- phases

  /**
   * Ends `phase` of `round` (its deadline fired, or every seat acted). Only
   * moves from exactly that round and phase; anything else is a no-op, except
   * that a round already in its tally (a crash after the move) is tallied.
   */
  async advance(assemblyId: string, round: number, phase: "review" | "commit" | "reveal"): Promise<AssemblyJobResult> {
    let assembly = await this.repo().findById(assemblyId);
    if (!assembly) return { result: "unknown_assembly" };
    if (assembly.status !== "open" || assembly.round !== round) return { result: "noop", status: assembly.status, round: assembly.round, phase: assembly.phase };
    const params = paramsOf(assembly);
    let current: AssemblyPhase = phase;
    if (assembly.phase === phase) {
      // Move phase after phase while every seat has already acted in the next one (early close).
      for (;;) {
        const to: AssemblyPhase = NEXT[current as "review" | "commit" | "reveal"];
        const now = this.clock();
        const endsAt = new Date(now.getTime() + phaseSeconds(params, to) * 1000);
        if (!(await this.repo().movePhase({ id: assemblyId, round, from: current, to, startedAt: now, endsAt }))) {
          return { result: "noop", phase: (await this.repo().findById(assemblyId))?.phase ?? null };
        }
        current = to;
        if (to === "tally") break;
        if (await this.allActed(assemblyId, round, to)) continue;
        await this.scheduler.schedule({ action: "advance", assemblyId, round, phase: to as "review" | "commit" | "reveal" }, { jobId: assemblyJobIds.deadline(assemblyId, round, to), delayMs: endsAt.getTime() - now.getTime() });
        await this.refreshProgress(assemblyId);
        return { result: "advanced", round, phase: to };
      }
    } else if (assembly.phase !== "tally") {
      return { result: "noop", phase: assembly.phase };
    }
    assembly = (await this.repo().findById(assemblyId))!;
    return this.tally(assembly);
  }

  /** Whether every seat has acted in `phase`: committed (review, commit) or, of those who committed, revealed. */
  async allActed(assemblyId: string, round: number, phase: AssemblyPhase): Promise<boolean> {
    const repo = this.repo();
    const seats = await repo.seats(assemblyId, round);
    const commits = await repo.commitments(assemblyId, round);
    if (phase === "review" || phase === "commit") return seats.length > 0 && commits.length >= seats.length;
    if (phase === "reveal") {
      const reveals = await repo.reveals(assemblyId, round);
      return commits.length > 0 && reveals.length >= commits.length;
    }
    return false;
  }

  /** Rebuilds the round records (openings from the stored draw, commits and reveals from their rows) and tallies them. */
  private async roundRecords(assembly: AssemblyRow, upTo: number): Promise<RoundRecord[]> {
    const repo = this.repo();
    const params = paramsOf(assembly);
    const findings = assembly.findings as unknown as FindingRef[];
    const rounds = await repo.rounds(assembly.id);
    const seats = await repo.seats(assembly.id);
    const commits = await repo.commitments(assembly.id);
    const reveals = await repo.reveals(assembly.id);
    return rounds
      .filter((r) => r.round <= upTo)
      .map((r) => {
        const opening: RoundOpening = {
          round: r.round,
          snapshotDigest: assembly.snapshotDigest,
          beacon: assembly.beacon,
          seed: r.seed,
          seatCount: r.seatCount,
          seats: seats.filter((s) => s.round === r.round).map((s): Seat => ({ validatorId: s.validatorId, weight: s.weight, family: s.family })),
        };
        return closeRound(opening, {
          assemblyId: assembly.id,
          params,
          findings,
          commits: commits.filter((c) => c.round === r.round).map((c): Commit => ({ assemblyId: c.assemblyId, round: c.round, validatorId: c.validatorId, commitment: c.commitment })),
          reveals: reveals.filter((v) => v.round === r.round).map((v) => v.reveal),
        });
      });
  }

  private async tally(assembly: AssemblyRow): Promise<AssemblyJobResult> {
    const params = paramsOf(assembly);
    const round = assembly.round;
    const records = await this.roundRecords(assembly, round);
    const last = records[records.length - 1]!;
    const outcome = last.tally.outcome;
    const now = this.clock();
    if (outcome.kind === "roll") {
      const snapshot = snapshotFromDocument(assembly.snapshot, assembly.snapshotDigest as Digest);
      const opening = openRound({ assemblyId: assembly.id, round: outcome.nextRound, beacon: assembly.beacon, snapshot, params });
      const endsAt = new Date(now.getTime() + params.reviewSeconds * 1000);
      const moved = await this.store.db.$transaction(async (tx) => {
        const repo = this.repo(tx);
        if (!(await repo.movePhase({ id: assembly.id, round, from: "tally", to: "review", startedAt: now, endsAt, nextRound: outcome.nextRound }))) return false;
        await repo.closeRound(assembly.id, round, last.tally as unknown as Prisma.InputJsonValue, now);
        await this.createRound(repo, assembly.id, opening, now);
        return true;
      });
      if (!moved) return { result: "noop", phase: "tally" };
      await this.scheduler.schedule(
        { action: "advance", assemblyId: assembly.id, round: outcome.nextRound, phase: "review" },
        { jobId: assemblyJobIds.deadline(assembly.id, outcome.nextRound, "review"), delayMs: endsAt.getTime() - now.getTime() },
      );
      await this.refreshProgress(assembly.id);
      this.log("info", `assembly ${assembly.id} rolled to round ${outcome.nextRound} (${opening.seats.length} seats): ${outcome.reason}`);
      return { result: "rolled", round: outcome.nextRound, seats: opening.seats.length, reason: outcome.reason };
    }

    const { record, digest } = buildAssemblyRecord({ assemblyId: assembly.id, params, findings: assembly.findings as unknown as FindingRef[], rounds: records });
    const status = record.outcome.kind === "certify" ? "certified" : record.outcome.kind === "reject" ? "rejected" : "escalated";
    const decided = await this.store.db.$transaction(async (tx) => {
      const repo = this.repo(tx);
      const ok = await repo.decide({
        id: assembly.id,
        round,
        status,
        escalated: status === "escalated",
        record: record as unknown as Prisma.InputJsonValue,
        recordDigest: digest,
        outcome: record.outcome as unknown as Prisma.InputJsonValue,
        at: now,
      });
      if (!ok) return false;
      await repo.closeRound(assembly.id, round, last.tally as unknown as Prisma.InputJsonValue, now);
      await this.settle(tx, assembly, record);
      return true;
    });
    if (!decided) return { result: "noop", phase: "tally" };
    this.log("info", `assembly ${assembly.id} decided ${status} after ${records.length} round(s)`);
    const finished = await this.finish(assembly.id);
    return { ...finished, result: "decided", status, recordDigest: digest, effect: finished.result };
  }

  /** Reputation and stake after the assembly, one event per seat and round (settled against the final verdict). */
  private async settle(tx: Prisma.TransactionClient, assembly: AssemblyRow, record: AssemblyRecord): Promise<void> {
    const params = record.params;
    const validators = new ValidatorRepository(tx);
    const finalVerdict = record.outcome.kind === "escalate" ? null : record.outcome.kind;
    const shares = roundFeeShares(assembly.fee, record.rounds.map((r) => r.tally.seatCount));
    const states = new Map<string, { id: string; stake: bigint; reputationBps: number; standing: ValidatorStanding }>();
    for (const r of record.rounds) {
      for (const b of r.tally.ballots) {
        if (states.has(b.validatorId)) continue;
        const v = await validators.findById(b.validatorId);
        if (v) states.set(v.id, { id: v.id, stake: v.stake, reputationBps: v.reputationBps, standing: v.standing });
      }
    }
    const events: Prisma.ReputationEventCreateManyInput[] = [];
    record.rounds.forEach((r, i) => {
      const settlement = settleRound({ tally: r.tally as RoundTally, finalVerdict, validators: [...states.values()], fee: shares[i] ?? 0n, params });
      for (const e of settlement.entries) {
        const state = states.get(e.validatorId)!;
        state.stake = e.stakeBefore + e.stakeDelta;
        state.reputationBps = e.reputationAfter;
        state.standing = standingAfter(state.standing, e.reputationAfter);
        events.push({
          validatorId: e.validatorId,
          assemblyId: assembly.id,
          round: r.round,
          role: e.role,
          reputationBefore: e.reputationBefore,
          reputationAfter: e.reputationAfter,
          stakeBefore: e.stakeBefore,
          stakeSlashed: e.stakeSlashed,
          reward: e.reward,
          stakeDelta: e.stakeDelta,
        });
      }
    });
    const repo = this.repo(tx);
    if ((await repo.addReputationEvents(events)) !== events.length) throw new ConflictError("assembly_settled", `assembly ${assembly.id} was settled already`);
    for (const state of states.values()) await validators.applySettlement(state.id, { stake: state.stake, reputationBps: state.reputationBps, standing: state.standing });
  }

  // --------------------------------------------------------------- finish

  /** Effects of a decided assembly on its submission; safe to run any number of times. */
  async finish(assemblyId: string): Promise<AssemblyJobResult> {
    const assembly = await this.repo().findById(assemblyId);
    if (!assembly) return { result: "unknown_assembly" };
    const submission = await this.store.repos.submissions.findById(assembly.submissionId);
    if (!submission) return { result: "unknown_submission" };
    await this.refreshProgress(assemblyId);
    if (submission.status !== "in_assembly") return { result: "finished", submissionStatus: submission.status };
    if (assembly.status === "certified") {
      const record = assembly.record as unknown as AssemblyRecord;
      const unsigned = await this.unsigned.unsignedFor(submission);
      try {
        const document = await this.certificates.issue(submission.id, { ...unsigned, assembly: certificateAssembly(record), level: "assembly" }, this.actor);
        await this.ensureAnchorEvent(document.id);
        return { result: "certified", certificateId: document.id };
      } catch (err) {
        if (err instanceof ConflictError && (err.code === "submission_state_changed" || err.code === "illegal_transition")) return { result: "finished" };
        throw err;
      }
    }
    if (assembly.status === "rejected") {
      try {
        await this.submissions.transition(submission.id, "rejected", { actor: this.actor, expectedFrom: "in_assembly", reasonCode: "assembly_rejected", reasonMessage: `the validator assembly rejected the runtime (record ${assembly.recordDigest})` });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
      return { result: "rejected" };
    }
    return { result: assembly.status === "escalated" ? "escalated" : "open" };
  }

  private async ensureAnchorEvent(certificateId: string): Promise<void> {
    await new RecoveryRepository(this.store.db).addOutbox({ topic: ANCHOR_TOPIC, payload: { certificateId }, dedupeKey: anchorDedupeKey(certificateId) });
  }

  // ----------------------------------------------------------------- sweep

  /**
   * Re-schedules deadline jobs of open assemblies whose deadline passed more
   * than `graceMs` ago (Redis lost its delayed job) and finishes decided
   * assemblies whose submission did not move. Job ids are deterministic, so
   * a deadline job that still exists is not duplicated.
   */
  async sweep(graceMs: number): Promise<number> {
    const now = this.clock();
    const overdue = await this.repo().overdue(new Date(now.getTime() - graceMs), 100);
    for (const a of overdue) {
      if (a.phase === "closed") continue;
      const phase = a.phase === "tally" ? "reveal" : a.phase;
      await this.scheduler.schedule({ action: "advance", assemblyId: a.id, round: a.round, phase }, { jobId: `${assemblyJobIds.deadline(a.id, a.round, phase)}-sweep-${Math.floor(now.getTime() / 60_000)}`, delayMs: 0 });
    }
    const decided = await this.store.db.assembly.findMany({
      where: { status: { in: ["certified", "rejected"] }, updatedAt: { lt: new Date(now.getTime() - graceMs) } },
      select: { id: true, submissionId: true },
      take: 100,
    });
    for (const a of decided) {
      const s = await this.store.repos.submissions.findById(a.submissionId);
      if (s?.status === "in_assembly") await this.scheduler.schedule({ action: "finish", assemblyId: a.id }, { jobId: `${assemblyJobIds.finish(a.id)}-${Math.floor(now.getTime() / 60_000)}`, delayMs: 0 });
    }
    return overdue.length;
  }

  // -------------------------------------------------------------- progress

  /** Assembly progress as the submission view shows it (round, phase, seats, commits, reveals). */
  async progressOf(assemblyId: string): Promise<NonNullable<SubmissionProgress["assembly"]> | null> {
    const repo = this.repo();
    const a = await repo.findById(assemblyId);
    if (!a) return null;
    const seats = await repo.seats(a.id, a.round);
    const commits = await repo.commitments(a.id, a.round);
    const reveals = await repo.reveals(a.id, a.round);
    return {
      id: a.id,
      round: a.round,
      phase: a.status === "open" ? a.phase : a.status,
      phaseEndsAt: a.status === "open" ? a.phaseEndsAt.toISOString() : null,
      seats: seats.length,
      committed: commits.length,
      revealed: reveals.length,
      escalated: a.escalated,
    };
  }

  async refreshProgress(assemblyId: string): Promise<void> {
    const progress = await this.progressOf(assemblyId);
    if (!progress) return;
    const a = await this.repo().findById(assemblyId);
    const row = await this.store.db.submission.findUnique({ where: { id: a!.submissionId }, select: { progress: true } });
    const merged: SubmissionProgress = { ...readProgress(row?.progress), assemblyRound: progress.round, assembly: progress };
    await this.store.repos.submissions.setProgress(a!.submissionId, merged as unknown as Prisma.InputJsonValue);
  }

  // ------------------------------------------------------------- operators

  async get(id: string) {
    const a = await this.repo().findById(id);
    if (!a) throw new NotFoundError("assembly_not_found", `no assembly ${id}`);
    return a;
  }

  async list(filter: { escalated?: boolean }, limit = 100) {
    return this.repo().list(filter, limit);
  }

  /**
   * An operator's decision on an escalated assembly. Reject rejects the
   * submission; certify issues an audit-only certificate (the assembly did not
   * certify, so its record cannot go into a certificate as a certify tally) —
   * which the certificate schema refuses over a critical finding.
   */
  async resolve(id: string, input: { decision: "certify" | "reject"; reason: string; actor: string }): Promise<{ status: string; certificateId: string | null }> {
    const a = await this.get(id);
    if (!a.escalated || a.status !== "escalated") throw new ConflictError("assembly_not_escalated", `assembly ${id} is ${a.status}, not escalated`);
    const submission = await this.store.repos.submissions.findById(a.submissionId);
    if (!submission || submission.status !== "in_assembly") throw new ConflictError("submission_state_changed", "the submission is no longer in assembly");
    let certificateId: string | null = null;
    if (input.decision === "certify") {
      const unsigned = await this.unsigned.unsignedFor(submission);
      const document = await this.certificates.issue(submission.id, unsigned, input.actor);
      certificateId = document.id;
      await this.ensureAnchorEvent(document.id);
    } else {
      await this.submissions.transition(submission.id, "rejected", { actor: input.actor, expectedFrom: "in_assembly", reasonCode: "operator_rejected", reasonMessage: input.reason });
    }
    await this.repo().resolveEscalation({ id, resolution: { decision: input.decision, reason: input.reason, actor: input.actor, at: this.clock().toISOString(), certificateId } });
    await this.store.db.auditLogEntry.create({ data: { actor: input.actor, action: "assembly.resolve", target: id, after: { decision: input.decision, reason: input.reason, certificateId } } });
    return { status: input.decision === "certify" ? "certified" : "rejected", certificateId };
  }
}

export function paramsOf(assembly: { params: Prisma.JsonValue }): AssemblyParams {
  return assembly.params as unknown as AssemblyParams;
}

function standingAfter(standing: ValidatorStanding, reputationBps: number): ValidatorStanding {
  if (standing === "suspended") return standing;
  if (standing === "active" && reputationBps < PROBATION_BELOW_BPS) return "probation";
  if (standing === "probation" && reputationBps >= RESTORE_AT_BPS) return "active";
  return standing;
}
