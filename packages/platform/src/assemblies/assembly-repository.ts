// Persistence of assemblies, their rounds, seats, commitments, reveals and
// settlement rows. Every JSON column is parsed with its schema (columns.ts)
// when read and written from a typed value (jsonColumn); the hot reads leave
// out the two large columns (snapshot, record), which have their own reads.
// Constructed over a client or a transaction client.
import { snapshotFromDocument, type AssemblyParams, type AssemblyRecord, type ClaimRef, type EligibleSnapshot, type FindingRef, type RoundTally, type Seat } from "@assay/assembly";
import type { Digest } from "@assay/protocol";
import type { AssemblyPhase, AssemblyStatus, Prisma } from "../generated/prisma";
import type { DbClient } from "../repositories/types";
import { UsageRepository } from "../repositories/effect-repositories";
import { parseBeaconInputs, type BeaconColumn } from "./beacon";
import {
  jsonColumn,
  parseAuditFacts,
  parseStoredParams,
  ResolutionSchema,
  StoredOutcomeSchema,
  StoredRecordSchema,
  StoredTallySchema,
  type Resolution,
  type StoredOutcome,
  type StoredRecord,
} from "./columns";

const LARGE_COLUMNS = { snapshot: true, record: true } as const;
type StateRow = Prisma.AssemblyGetPayload<{ omit: typeof LARGE_COLUMNS }>;

/** An assembly as the lifecycle steps read it: every JSON column parsed, without snapshot and record. */
export type AssemblyState = Omit<StateRow, "params" | "findings" | "beaconInputs" | "outcome" | "resolution"> & {
  params: AssemblyParams;
  findings: FindingRef[];
  /** The audit report's claims and their status (stored with the findings). */
  claims: ClaimRef[];
  beaconInputs: BeaconColumn;
  outcome: StoredOutcome | null;
  resolution: Resolution | null;
};

/** The whole assembly (operators): the state plus the snapshot document and the record. */
export type AssemblyDetail = AssemblyState & { snapshot: EligibleSnapshot["document"]; record: StoredRecord | null };

export function assemblyState(row: StateRow): AssemblyState {
  return {
    ...row,
    params: parseStoredParams(row.params),
    ...parseAuditFacts(row.findings),
    beaconInputs: parseBeaconInputs(row.beaconInputs),
    outcome: row.outcome === null ? null : StoredOutcomeSchema.parse(row.outcome),
    resolution: row.resolution === null ? null : ResolutionSchema.parse(row.resolution),
  };
}

export type NewAssembly = {
  id: string;
  submissionId: string;
  round: number;
  phase: AssemblyPhase;
  phaseStartedAt: Date;
  phaseEndsAt: Date;
  params: AssemblyParams;
  findings: readonly FindingRef[];
  claims: readonly ClaimRef[];
  reportDigest: string;
  snapshot: EligibleSnapshot;
  beacon: string | null;
  /** The platform's secret beacon share and its published commitment (docs/decisions/0009). */
  beaconSecret: string | null;
  beaconCommitment: string | null;
  beaconInputs: BeaconColumn;
  fee: bigint;
};

export type SeatRow = Prisma.AssemblySeatGetPayload<object>;

export class AssemblyRepository {
  constructor(private readonly db: DbClient) {}

  async create(input: NewAssembly): Promise<void> {
    await this.db.assembly.create({
      data: {
        id: input.id,
        submissionId: input.submissionId,
        round: input.round,
        phase: input.phase,
        phaseStartedAt: input.phaseStartedAt,
        phaseEndsAt: input.phaseEndsAt,
        params: jsonColumn(input.params),
        findings: jsonColumn({ findings: input.findings, claims: input.claims }),
        reportDigest: input.reportDigest,
        snapshot: jsonColumn(input.snapshot.document),
        snapshotDigest: input.snapshot.digest,
        beacon: input.beacon,
        beaconSecret: input.beaconSecret,
        beaconCommitment: input.beaconCommitment,
        beaconInputs: jsonColumn(input.beaconInputs),
        fee: input.fee,
      },
    });
  }

  async findById(id: string): Promise<AssemblyState | null> {
    const row = await this.db.assembly.findUnique({ where: { id }, omit: LARGE_COLUMNS });
    return row && assemblyState(row);
  }

  async findBySubmission(submissionId: string): Promise<AssemblyState | null> {
    const row = await this.db.assembly.findUnique({ where: { submissionId }, omit: LARGE_COLUMNS });
    return row && assemblyState(row);
  }

  async detail(id: string): Promise<AssemblyDetail | null> {
    const row = await this.db.assembly.findUnique({ where: { id } });
    if (!row) return null;
    const { snapshot, record, ...rest } = row;
    return {
      ...assemblyState(rest),
      snapshot: snapshotFromDocument(snapshot, row.snapshotDigest as Digest).document,
      record: record === null ? null : StoredRecordSchema.parse(record),
    };
  }

  /** The eligible snapshot frozen at open, checked against its stored digest. */
  async snapshotOf(id: string): Promise<EligibleSnapshot | null> {
    const row = await this.db.assembly.findUnique({ where: { id }, select: { snapshot: true, snapshotDigest: true } });
    return row && snapshotFromDocument(row.snapshot, row.snapshotDigest as Digest);
  }

  /** Newest first; `before`: the keyset of the previous page's last row (decision 0032). */
  async list(filter: { status?: AssemblyStatus; escalated?: boolean; before?: { at: Date; id: string } }, limit: number): Promise<AssemblyState[]> {
    const rows = await this.db.assembly.findMany({
      where: {
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.escalated !== undefined ? { escalated: filter.escalated } : {}),
        ...(filter.before ? { OR: [{ createdAt: { lt: filter.before.at } }, { createdAt: filter.before.at, id: { lt: filter.before.id } }] } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
      omit: LARGE_COLUMNS,
    });
    return rows.map(assemblyState);
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
  async decide(input: { id: string; round: number; status: AssemblyStatus; record: AssemblyRecord; recordDigest: string; at: Date }): Promise<boolean> {
    const result = await this.db.assembly.updateMany({
      where: { id: input.id, round: input.round, phase: "tally", status: "open" },
      data: {
        status: input.status,
        escalated: input.status === "escalated",
        phase: "closed",
        phaseEndsAt: input.at,
        record: jsonColumn(input.record),
        recordDigest: input.recordDigest,
        outcome: jsonColumn(input.record.outcome),
        revision: { increment: 1 },
      },
    });
    return result.count === 1;
  }

  async resolveEscalation(id: string, resolution: Resolution): Promise<boolean> {
    const result = await this.db.assembly.updateMany({
      where: { id, status: "escalated", escalated: true },
      data: { status: "resolved", resolution: jsonColumn(ResolutionSchema.parse(resolution)), revision: { increment: 1 } },
    });
    return result.count === 1;
  }

  /** Open assemblies whose phase deadline passed before `before` (a lost delayed job). */
  async overdue(before: Date, limit: number): Promise<AssemblyState[]> {
    const rows = await this.db.assembly.findMany({ where: { status: "open", phaseEndsAt: { lt: before } }, orderBy: { phaseEndsAt: "asc" }, take: limit, omit: LARGE_COLUMNS });
    return rows.map(assemblyState);
  }

  /** Open assemblies in a voting phase whose deadline is still ahead (the sweep's early-close check). */
  async openVotingNotDue(now: Date, limit: number): Promise<AssemblyState[]> {
    const rows = await this.db.assembly.findMany({
      where: { status: "open", phase: { in: ["review", "commit", "reveal"] }, phaseEndsAt: { gte: now } },
      orderBy: { phaseEndsAt: "asc" },
      take: limit,
      omit: LARGE_COLUMNS,
    });
    return rows.map(assemblyState);
  }

  /** Certified or rejected assemblies last changed before `before` (their submission may not have moved). */
  decidedBefore(before: Date, limit: number): Promise<{ id: string; submissionId: string }[]> {
    return this.db.assembly.findMany({
      where: { status: { in: ["certified", "rejected"] }, updatedAt: { lt: before } },
      select: { id: true, submissionId: true },
      orderBy: { updatedAt: "asc" },
      take: limit,
    });
  }

  async createRound(data: { assemblyId: string; round: number; seed: string; seatCount: number; openedAt: Date }): Promise<void> {
    await this.db.assemblyRound.create({ data });
  }

  async rounds(assemblyId: string) {
    const rows = await this.db.assemblyRound.findMany({ where: { assemblyId }, orderBy: { round: "asc" } });
    return rows.map((r) => ({ ...r, tally: r.tally === null ? null : StoredTallySchema.parse(r.tally) }));
  }

  async closeRound(assemblyId: string, round: number, tally: RoundTally, at: Date): Promise<void> {
    await this.db.assemblyRound.updateMany({ where: { assemblyId, round, closedAt: null }, data: { tally: jsonColumn(tally), closedAt: at } });
  }

  /** Creates a round's seats and meters them (usage assembly_seats, same transaction when `db` is one). */
  async createSeats(assemblyId: string, round: number, seats: readonly Seat[], firstPosition = 0): Promise<void> {
    await this.db.assemblySeat.createMany({
      data: seats.map((s, i) => ({ assemblyId, round, position: firstPosition + i, validatorId: s.validatorId, weight: s.weight, family: s.family })),
    });
    await new UsageRepository(this.db).recordSeats(assemblyId, round, seats.map((_s, i) => firstPosition + i));
  }

  seats(assemblyId: string, round?: number): Promise<SeatRow[]> {
    return this.db.assemblySeat.findMany({ where: { assemblyId, ...(round !== undefined ? { round } : {}) }, orderBy: [{ round: "asc" }, { position: "asc" }] });
  }

  seat(assemblyId: string, round: number, validatorId: string): Promise<SeatRow | null> {
    return this.db.assemblySeat.findUnique({ where: { assemblyId_round_validatorId: { assemblyId, round, validatorId } } });
  }

  /** Seats of a validator in the current round of open assemblies, with their assembly. */
  async openSeatsOf(validatorId: string): Promise<(SeatRow & { assembly: AssemblyState })[]> {
    const seats = await this.db.assemblySeat.findMany({
      where: { validatorId, assembly: { status: "open" } },
      include: { assembly: { omit: LARGE_COLUMNS } },
      orderBy: { createdAt: "asc" },
    });
    return seats.filter((s) => s.round === s.assembly.round).map((s) => ({ ...s, assembly: assemblyState(s.assembly) }));
  }

  async addCommitment(data: { assemblyId: string; round: number; validatorId: string; commitment: string }): Promise<void> {
    await this.db.voteCommitment.create({ data });
  }

  commitments(assemblyId: string, round?: number) {
    return this.db.voteCommitment.findMany({ where: { assemblyId, ...(round !== undefined ? { round } : {}) }, orderBy: [{ round: "asc" }, { validatorId: "asc" }] });
  }

  commitment(assemblyId: string, round: number, validatorId: string) {
    return this.db.voteCommitment.findUnique({ where: { assemblyId_round_validatorId: { assemblyId, round, validatorId } } });
  }

  /** A reveal that opened its commitment (checked before; stored as received). */
  async addReveal(data: { assemblyId: string; round: number; validatorId: string; reveal: unknown }): Promise<void> {
    await this.db.voteReveal.create({ data: { ...data, reveal: jsonColumn(data.reveal) } });
  }

  /**
   * Reveals as received. Their column is left unparsed on purpose: the tally
   * is their parser (isReveal, held equal to RevealSchema by a property test),
   * and a malformed reveal must count as void for its seat, not fail the round.
   */
  async reveals(assemblyId: string, round?: number): Promise<{ round: number; validatorId: string; reveal: unknown }[]> {
    return this.db.voteReveal.findMany({
      where: { assemblyId, ...(round !== undefined ? { round } : {}) },
      orderBy: [{ round: "asc" }, { validatorId: "asc" }],
      select: { round: true, validatorId: true, reveal: true },
    });
  }

  async hasReveal(assemblyId: string, round: number, validatorId: string): Promise<boolean> {
    return (await this.db.voteReveal.count({ where: { assemblyId, round, validatorId } })) > 0;
  }

  /** Records settlement rows; returns how many were new (a replayed settlement adds none). */
  async addReputationEvents(events: ReputationEventInput[]): Promise<number> {
    const result = await this.db.reputationEvent.createMany({ data: events, skipDuplicates: true });
    return result.count;
  }

  reputationEventsOf(assemblyId: string) {
    return this.db.reputationEvent.findMany({ where: { assemblyId }, orderBy: [{ round: "asc" }, { validatorId: "asc" }] });
  }

  /** Latest certificate of the platform (a public beacon input). */
  async latestCertificateId(): Promise<string | null> {
    const row = await this.db.certificate.findFirst({ orderBy: [{ issuedAt: "desc" }, { id: "asc" }], select: { id: true } });
    return row?.id ?? null;
  }

  /** The reason code of the submission's move to in_assembly (the audit's decision on an assembly). */
  async inAssemblyReason(submissionId: string): Promise<string | null> {
    const t = await this.db.submissionTransition.findFirst({ where: { submissionId, toStatus: "in_assembly" }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    return t?.reasonCode ?? null;
  }
}

/** One reputation change as settlement records it (unique per assembly, round and validator). */
export type ReputationEventInput = Prisma.ReputationEventCreateManyInput;
