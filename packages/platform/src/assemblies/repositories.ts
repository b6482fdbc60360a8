// Persistence of validators, assemblies (rounds, seats, commitments, reveals),
// reputation events, flags and the operator audit log. Constructed over a client
// or a transaction client, like the workers' repositories.
import type { AssemblyPhase, AssemblyStatus, Prisma, ValidatorKind, ValidatorStanding } from "../generated/prisma";
import type { DbClient } from "../repositories/types";

export class ValidatorRepository {
  constructor(private readonly db: DbClient) {}

  create(input: { publicKey: string; name: string | null; kind: ValidatorKind; modelFamily: string | null; stake: bigint; reputationBps: number; developerId: string | null }) {
    return this.db.validator.create({ data: input });
  }

  findById(id: string) {
    return this.db.validator.findUnique({ where: { id } });
  }

  findByPublicKey(publicKey: string) {
    return this.db.validator.findUnique({ where: { publicKey } });
  }

  /** Every validator, in id order (the snapshot re-sorts; this keeps reads stable). */
  all() {
    return this.db.validator.findMany({ orderBy: { id: "asc" } });
  }

  list(limit: number) {
    return this.db.validator.findMany({ orderBy: [{ reputationBps: "desc" }, { id: "asc" }], take: limit });
  }

  async applySettlement(id: string, data: { stake: bigint; reputationBps: number; standing: ValidatorStanding }): Promise<void> {
    await this.db.validator.update({ where: { id }, data });
  }

  createChallenge(input: { validatorId: string; nonce: string; expiresAt: Date }) {
    return this.db.validatorChallenge.create({ data: input });
  }

  findChallenge(nonce: string) {
    return this.db.validatorChallenge.findUnique({ where: { nonce } });
  }

  /** Marks a challenge used; false when it was used already (a nonce buys one token). */
  async useChallenge(id: string, at: Date): Promise<boolean> {
    const result = await this.db.validatorChallenge.updateMany({ where: { id, usedAt: null }, data: { usedAt: at } });
    return result.count === 1;
  }

  reputationEvents(validatorId: string, limit: number) {
    return this.db.reputationEvent.findMany({ where: { validatorId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
  }

  seatsOf(validatorId: string, limit: number) {
    return this.db.assemblySeat.findMany({
      where: { validatorId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      include: { assembly: { select: { id: true, submissionId: true, status: true, round: true, phase: true } } },
    });
  }
}

export type AssemblyRow = Prisma.AssemblyGetPayload<object>;

export class AssemblyRepository {
  constructor(private readonly db: DbClient) {}

  create(data: Prisma.AssemblyUncheckedCreateInput) {
    return this.db.assembly.create({ data });
  }

  findById(id: string) {
    return this.db.assembly.findUnique({ where: { id } });
  }

  findBySubmission(submissionId: string) {
    return this.db.assembly.findUnique({ where: { submissionId } });
  }

  list(filter: { status?: AssemblyStatus; escalated?: boolean }, limit: number) {
    return this.db.assembly.findMany({
      where: { ...(filter.status ? { status: filter.status } : {}), ...(filter.escalated !== undefined ? { escalated: filter.escalated } : {}) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
    });
  }

  /**
   * The phase transition as a compare-and-set: only from the expected round and
   * phase of an open assembly. A duplicate or late job finds nothing to update.
   */
  async movePhase(input: { id: string; round: number; from: AssemblyPhase; to: AssemblyPhase; startedAt: Date; endsAt: Date; nextRound?: number }): Promise<boolean> {
    const result = await this.db.assembly.updateMany({
      where: { id: input.id, round: input.round, phase: input.from, status: "open" },
      data: { phase: input.to, phaseStartedAt: input.startedAt, phaseEndsAt: input.endsAt, round: input.nextRound ?? input.round, revision: { increment: 1 } },
    });
    return result.count === 1;
  }

  /** Closes an open assembly in its tally phase with its decision (compare-and-set). */
  async decide(input: { id: string; round: number; status: AssemblyStatus; escalated: boolean; record: Prisma.InputJsonValue; recordDigest: string; outcome: Prisma.InputJsonValue; at: Date }): Promise<boolean> {
    const result = await this.db.assembly.updateMany({
      where: { id: input.id, round: input.round, phase: "tally", status: "open" },
      data: {
        status: input.status,
        escalated: input.escalated,
        phase: "closed",
        phaseEndsAt: input.at,
        record: input.record,
        recordDigest: input.recordDigest,
        outcome: input.outcome,
        revision: { increment: 1 },
      },
    });
    return result.count === 1;
  }

  async resolveEscalation(input: { id: string; resolution: Prisma.InputJsonValue }): Promise<boolean> {
    const result = await this.db.assembly.updateMany({
      where: { id: input.id, status: "escalated", escalated: true },
      data: { status: "resolved", resolution: input.resolution, revision: { increment: 1 } },
    });
    return result.count === 1;
  }

  /** Open assemblies whose phase deadline passed before `before` (a lost delayed job). */
  overdue(before: Date, limit: number) {
    return this.db.assembly.findMany({ where: { status: "open", phaseEndsAt: { lt: before } }, orderBy: { phaseEndsAt: "asc" }, take: limit });
  }

  createRound(data: { assemblyId: string; round: number; seed: string; seatCount: number; openedAt: Date }) {
    return this.db.assemblyRound.create({ data });
  }

  rounds(assemblyId: string) {
    return this.db.assemblyRound.findMany({ where: { assemblyId }, orderBy: { round: "asc" } });
  }

  async closeRound(assemblyId: string, round: number, tally: Prisma.InputJsonValue, at: Date): Promise<void> {
    await this.db.assemblyRound.updateMany({ where: { assemblyId, round, closedAt: null }, data: { tally, closedAt: at } });
  }

  async createSeats(seats: { assemblyId: string; round: number; position: number; validatorId: string; weight: string; family: string | null }[]): Promise<void> {
    await this.db.assemblySeat.createMany({ data: seats });
  }

  seats(assemblyId: string, round?: number) {
    return this.db.assemblySeat.findMany({ where: { assemblyId, ...(round !== undefined ? { round } : {}) }, orderBy: [{ round: "asc" }, { position: "asc" }] });
  }

  seat(assemblyId: string, round: number, validatorId: string) {
    return this.db.assemblySeat.findUnique({ where: { assemblyId_round_validatorId: { assemblyId, round, validatorId } } });
  }

  /** Seats of a validator in the current round of open assemblies. */
  async openSeatsOf(validatorId: string) {
    const seats = await this.db.assemblySeat.findMany({
      where: { validatorId, assembly: { status: "open" } },
      include: { assembly: true },
      orderBy: { createdAt: "asc" },
    });
    return seats.filter((s) => s.round === s.assembly.round);
  }

  addCommitment(data: { assemblyId: string; round: number; validatorId: string; commitment: string }) {
    return this.db.voteCommitment.create({ data });
  }

  commitments(assemblyId: string, round?: number) {
    return this.db.voteCommitment.findMany({ where: { assemblyId, ...(round !== undefined ? { round } : {}) }, orderBy: [{ round: "asc" }, { validatorId: "asc" }] });
  }

  commitment(assemblyId: string, round: number, validatorId: string) {
    return this.db.voteCommitment.findUnique({ where: { assemblyId_round_validatorId: { assemblyId, round, validatorId } } });
  }

  addReveal(data: { assemblyId: string; round: number; validatorId: string; reveal: Prisma.InputJsonValue }) {
    return this.db.voteReveal.create({ data });
  }

  reveals(assemblyId: string, round?: number) {
    return this.db.voteReveal.findMany({ where: { assemblyId, ...(round !== undefined ? { round } : {}) }, orderBy: [{ round: "asc" }, { validatorId: "asc" }] });
  }

  reveal(assemblyId: string, round: number, validatorId: string) {
    return this.db.voteReveal.findUnique({ where: { assemblyId_round_validatorId: { assemblyId, round, validatorId } } });
  }

  /** Records settlement rows; returns how many were new (a replayed settlement adds none). */
  async addReputationEvents(events: Prisma.ReputationEventCreateManyInput[]): Promise<number> {
    const result = await this.db.reputationEvent.createMany({ data: events, skipDuplicates: true });
    return result.count;
  }

  reputationEventsOf(assemblyId: string) {
    return this.db.reputationEvent.findMany({ where: { assemblyId }, orderBy: [{ round: "asc" }, { validatorId: "asc" }] });
  }

  /** Latest certificate of the platform (a public beacon input). */
  latestCertificateId() {
    return this.db.certificate.findFirst({ orderBy: [{ issuedAt: "desc" }, { id: "asc" }], select: { id: true } });
  }

  /** The reason code of the submission's move to in_assembly (the audit's decision on an assembly). */
  async inAssemblyReason(submissionId: string): Promise<string | null> {
    const t = await this.db.submissionTransition.findFirst({ where: { submissionId, toStatus: "in_assembly" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    return t?.reasonCode ?? null;
  }
}

export class FlagRepository {
  constructor(private readonly db: DbClient) {}

  all() {
    return this.db.platformFlag.findMany({ orderBy: { key: "asc" } });
  }

  upsert(key: string, value: Prisma.InputJsonValue, updatedBy: string) {
    return this.db.platformFlag.upsert({ where: { key }, create: { key, value, updatedBy }, update: { value, updatedBy } });
  }

  async remove(key: string): Promise<void> {
    await this.db.platformFlag.deleteMany({ where: { key } });
  }

  log(entry: { actor: string; action: string; target: string; before: Prisma.InputJsonValue | null; after: Prisma.InputJsonValue | null }) {
    return this.db.auditLogEntry.create({
      data: { actor: entry.actor, action: entry.action, target: entry.target, before: entry.before ?? undefined, after: entry.after ?? undefined },
    });
  }

  auditLog(limit: number) {
    return this.db.auditLogEntry.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit });
  }
}
