// Public flags on certificates (issue 12 item 2).
import type { CertificateFlagStatus } from "../generated/prisma";
import type { DbClient } from "./types";

export class CertificateFlagRepository {
  constructor(private readonly db: DbClient) {}

  /** Serialises one source's submissions for the rest of the transaction (the per-source cap is a count then an insert). */
  async lockSource(sourceKey: string): Promise<void> {
    await this.db.$executeRaw`SELECT pg_advisory_xact_lock(7340042, hashtext(${sourceKey}))`;
  }

  countOpenBySource(sourceKey: string): Promise<number> {
    return this.db.certificateFlag.count({ where: { sourceKey, status: "open" } });
  }

  create(input: { certificateId: string; category: string; text: string; sourceKey: string }) {
    return this.db.certificateFlag.create({ data: input, select: { id: true, status: true } });
  }

  findById(id: string) {
    return this.db.certificateFlag.findUnique({ where: { id } });
  }

  list(status: CertificateFlagStatus, limit: number) {
    return this.db.certificateFlag.findMany({ where: { status }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit });
  }

  forCertificate(certificateId: string, limit: number) {
    return this.db.certificateFlag.findMany({ where: { certificateId }, orderBy: [{ createdAt: "desc" }, { id: "asc" }], take: limit });
  }

  countOpenForCertificate(certificateId: string): Promise<number> {
    return this.db.certificateFlag.count({ where: { certificateId, status: "open" } });
  }

  /** Compare-and-set from open; false when someone resolved it first. */
  async resolve(id: string, input: { status: CertificateFlagStatus; outcome: string; resolvedBy: string; at: Date }): Promise<boolean> {
    const result = await this.db.certificateFlag.updateMany({
      where: { id, status: "open" },
      data: { status: input.status, outcome: input.outcome, resolvedBy: input.resolvedBy, resolvedAt: input.at },
    });
    return result.count === 1;
  }
}
