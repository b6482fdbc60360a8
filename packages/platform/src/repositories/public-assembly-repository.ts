// The public plane's read of a certificate's assembly (docs/decisions/0031): the
// certificate's submission and payload, the finished assembly of that submission
// (its stored record and digest), and when each seat committed and revealed.
import type { DbClient } from "./types";

export type PublicAssemblyRow = {
  id: string;
  record: unknown;
  recordDigest: string | null;
  commits: { round: number; validatorId: string; at: Date }[];
  reveals: { round: number; validatorId: string; at: Date }[];
};

export class PublicAssemblyRepository {
  constructor(private readonly db: DbClient) {}

  /** The certificate's submission and signed payload; null when the id names none. */
  certificate(id: string): Promise<{ id: string; submissionId: string; payload: unknown } | null> {
    return this.db.certificate.findUnique({ where: { id }, select: { id: true, submissionId: true, payload: true } });
  }

  /** The submission's assembly when it has a finished record with this digest (one query for the row, one each for the times). */
  async finishedWithDigest(submissionId: string, recordDigest: string): Promise<PublicAssemblyRow | null> {
    const row = await this.db.assembly.findFirst({ where: { submissionId, recordDigest }, select: { id: true, record: true, recordDigest: true } });
    if (!row || row.record === null) return null;
    const [commits, reveals] = await Promise.all([
      this.db.voteCommitment.findMany({ where: { assemblyId: row.id }, select: { round: true, validatorId: true, createdAt: true } }),
      this.db.voteReveal.findMany({ where: { assemblyId: row.id }, select: { round: true, validatorId: true, createdAt: true } }),
    ]);
    return {
      id: row.id,
      record: row.record,
      recordDigest: row.recordDigest,
      commits: commits.map((c) => ({ round: c.round, validatorId: c.validatorId, at: c.createdAt })),
      reveals: reveals.map((r) => ({ round: r.round, validatorId: r.validatorId, at: r.createdAt })),
    };
  }
}
