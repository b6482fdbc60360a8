// A certificate's assembly as the public plane serves it (docs/decisions/0031):
// the record the certificate's `assembly.recordDigest` names, verbatim, with one
// row per seat (pseudonymous validator id, weight, status, verdicts per claim
// after reveal) derived from it by @assay/protocol's assemblySeatsOf, the commit
// and reveal times, and the deciding round's tally. Read-only.
import { assemblySeatsOf, assemblyTallyOf, digestOf, type PublicAssemblyRecord } from "@assay/protocol";
import { NotFoundError } from "../errors";
import type { PublicAssemblyRepository } from "../repositories/public-assembly-repository";

export class PublicAssemblyService {
  constructor(private readonly repo: PublicAssemblyRepository) {}

  async recordOf(certificateId: string): Promise<PublicAssemblyRecord> {
    const id = certificateId.toLowerCase();
    const certificate = await this.repo.certificate(id);
    if (!certificate) throw new NotFoundError("certificate_not_found", `no certificate ${certificateId}`);
    const recordDigest = (certificate.payload as { assembly?: { recordDigest?: unknown } | null }).assembly?.recordDigest;
    if (typeof recordDigest !== "string") {
      throw new NotFoundError("assembly_not_found", "this certificate was issued on the audit alone (level audit-only): no assembly sat");
    }
    const found = await this.repo.finishedWithDigest(certificate.submissionId, recordDigest);
    // Why the digest check: the certificate commits to one record; anything else is not its record.
    if (!found || digestOf(found.record) !== recordDigest) {
      throw new NotFoundError("assembly_not_found", "this server holds no assembly record with the digest the certificate names");
    }
    const at = (list: { round: number; validatorId: string; at: Date }[]) => new Map(list.map((e) => [`${e.round}|${e.validatorId}`, e.at.toISOString()]));
    const committed = at(found.commits);
    const revealed = at(found.reveals);
    const seats = assemblySeatsOf(found.record).map((s) => ({
      ...s,
      committedAt: committed.get(`${s.round}|${s.validatorId}`) ?? null,
      revealedAt: revealed.get(`${s.round}|${s.validatorId}`) ?? null,
    }));
    return {
      certificateId: certificate.id,
      assemblyId: found.id,
      recordDigest,
      record: found.record as Record<string, unknown>,
      seats,
      tally: assemblyTallyOf(found.record),
    };
  }
}
