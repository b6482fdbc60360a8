// Certificates with their status history, and signing keys.
import type { CertificateStatus, Prisma } from "../generated/prisma";
import type { DbClient } from "./types";

export class CertificateRepository {
  constructor(private readonly db: DbClient) {}

  create(input: {
    id: string;
    submissionId: string;
    payload: Prisma.InputJsonValue;
    jws: string;
    kid: string;
    subjectDigest: string;
    issuedAt: Date;
    validUntil: Date;
    supersedesId: string | null;
    /** The status-list index the payload names (v3); omitted: the sequence assigns one. */
    statusListIndex?: number;
    actor: string;
  }) {
    const { actor, ...data } = input;
    return this.db.certificate.create({
      data: { ...data, ...searchColumnsOf(input.payload), status: "active", statusHistory: { create: { fromStatus: null, toStatus: "active", actor } } },
    });
  }

  findById(id: string) {
    return this.db.certificate.findUnique({ where: { id } });
  }

  /** Just what verify needs: cheap, indexed by primary key. */
  findStatus(id: string) {
    return this.db.certificate.findUnique({ where: { id }, select: { status: true, statusReasonCode: true, anchor: true } });
  }

  /**
   * findStatus for many ids in one query (the verify hot path's batched read). Raw SQL with one array
   * parameter, not findMany's `IN (…)`: the query has the same text for every batch size, while
   * Prisma's query compiler compiled each `IN` list afresh — ~10 % of the uncached verify path's
   * CPU under load (docs/decisions/0026). Same rows as findMany (tested).
   */
  async findStatuses(ids: string[]): Promise<Map<string, { status: CertificateStatus; statusReasonCode: string | null; anchor: Prisma.JsonValue | null }>> {
    const rows = await this.db.$queryRaw<{ id: string; status: CertificateStatus; statusReasonCode: string | null; anchor: Prisma.JsonValue | null }[]>`
      SELECT id, status::text AS status, status_reason_code AS "statusReasonCode", anchor
      FROM certificates WHERE id = ANY(${ids}::text[])`;
    return new Map(rows.map(({ id, ...row }) => [id, row]));
  }

  latestForSubmission(submissionId: string) {
    return this.db.certificate.findFirst({ where: { submissionId }, orderBy: [{ issuedAt: "desc" }, { createdAt: "desc" }] });
  }

  /** Ids of certificates still active or suspended whose validUntil is before `cutoff`, earliest first. */
  async dueForExpiry(cutoff: Date, limit: number): Promise<string[]> {
    const rows = await this.db.certificate.findMany({
      where: { status: { in: ["active", "suspended"] }, validUntil: { lt: cutoff } },
      orderBy: [{ validUntil: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  history(certificateId: string) {
    return this.db.certificateStatusChange.findMany({ where: { certificateId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  /** Compare-and-set of the status plus its history row; false when the status moved meanwhile. */
  async changeStatus(input: { id: string; from: CertificateStatus; to: CertificateStatus; reasonCode: string | null; actor: string }): Promise<boolean> {
    const result = await this.db.certificate.updateMany({
      where: { id: input.id, status: input.from },
      data: { status: input.to, statusReasonCode: input.reasonCode },
    });
    if (result.count !== 1) return false;
    await this.db.certificateStatusChange.create({
      data: { certificateId: input.id, fromStatus: input.from, toStatus: input.to, reasonCode: input.reasonCode, actor: input.actor },
    });
    return true;
  }
}

export class SigningKeyRepository {
  constructor(private readonly db: DbClient) {}

  findActive() {
    return this.db.signingKey.findFirst({ where: { status: "active" }, orderBy: { createdAt: "desc" } });
  }

  listAll() {
    return this.db.signingKey.findMany({ orderBy: [{ createdAt: "asc" }, { kid: "asc" }] });
  }

  create(input: { kid: string; algorithm: string; publicJwk: Prisma.InputJsonValue; privateJwkEncrypted: string }) {
    return this.db.signingKey.create({ data: { ...input, status: "active" } });
  }

  async retireAllActive(at: Date): Promise<number> {
    const result = await this.db.signingKey.updateMany({ where: { status: "active" }, data: { status: "retired", retiredAt: at } });
    return result.count;
  }

  /** Serialises key generation/rotation across processes for the transaction. */
  async lockKeyring(): Promise<void> {
    await this.db.$executeRaw`SELECT pg_advisory_xact_lock(7340031)`;
  }
}

/**
 * The registry's search columns, copied from the signed payload (decision 0017):
 * whoever creates a certificate row gets them, from the bytes that were signed.
 */
function searchColumnsOf(payload: Prisma.InputJsonValue) {
  const p = payload as { subject?: { name?: unknown; version?: unknown }; audit?: { suite?: { id?: unknown; version?: unknown } }; claims?: unknown };
  const text = (v: unknown, field: string) => {
    if (typeof v !== "string") throw new Error(`certificate payload without ${field}`);
    return v;
  };
  return {
    runtimeName: text(p.subject?.name, "subject.name"),
    runtimeVersion: text(p.subject?.version, "subject.version"),
    suiteId: text(p.audit?.suite?.id, "audit.suite.id"),
    suiteVersion: text(p.audit?.suite?.version, "audit.suite.version"),
    claims: Array.isArray(p.claims) ? p.claims.map((c) => text(c, "claims[]")) : [],
  };
}
