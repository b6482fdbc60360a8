// Certificate renewals (docs/decisions/0020): which certificates are due, the
// renewal rows (unique per certificate and target version; at most one in
// flight per certificate — both enforced by the database), the developer's
// auto-renew opt-in, and the supersedes chain.
import { Prisma, type CertificateStatus, type RenewalStatus } from "../generated/prisma";
import type { DbClient } from "./types";

export type RenewalTarget = { suite: string; version: string };
/** What started a re-audit: the sweep (expiry window, new versions) or an operator's flag decision. */
export type RenewalTrigger = "expiry" | "versions" | "flag";

export type DueRenewal = {
  certificateId: string;
  developerId: string;
  submissionId: string;
  runtimeVersionId: string;
  suite: string;
  seed: number;
  validUntil: Date;
  /** The suite version the certificate was audited under (payload.audit.suite.version). */
  certifiedVersion: string | null;
  autoRenew: boolean;
};

export type RenewalRow = Prisma.CertificateRenewalGetPayload<object>;

/** Reasons of a failed renewal that never started its re-audit: a later sweep tries again. */
export const RETRIED_FAILURES = ["insufficient_credits", "renewal_start_failed"] as const;

/** A row that a later sweep may take up again: declined (no opt-in then), not paid for, or not started. */
const REARMABLE = Prisma.sql`(r.status = 'declined' OR (r.status = 'failed' AND r.reason_code IN (${Prisma.join([...RETRIED_FAILURES])})))`;

type CertificateToRenewRow = { certificate_id: string; developer_id: string; submission_id: string; runtime_version_id: string; suite: string; seed: number; valid_until: Date; certified_version: string | null };

function certificateToRenew(r: CertificateToRenewRow): Omit<DueRenewal, "autoRenew"> {
  return {
    certificateId: r.certificate_id,
    developerId: r.developer_id,
    submissionId: r.submission_id,
    runtimeVersionId: r.runtime_version_id,
    suite: r.suite,
    seed: r.seed,
    validUntil: r.valid_until,
    certifiedVersion: r.certified_version,
  };
}

export class RenewalRepository {
  constructor(private readonly db: DbClient) {}

  /**
   * Active, not yet superseded certificates of runnable suites that are due:
   * valid until no later than `windowEnd`, or audited under another version
   * than the suite's current one — and with no renewal row for the current
   * target version (unless that row may be taken up again and the developer now
   * opted in), and none in flight. Earliest expiry first.
   */
  async due(windowEnd: Date, targets: readonly RenewalTarget[], limit: number): Promise<DueRenewal[]> {
    if (targets.length === 0) return [];
    const values = Prisma.join(targets.map((t) => Prisma.sql`(${t.suite}, ${t.version})`));
    const rows = await this.db.$queryRaw<(CertificateToRenewRow & { auto_renew: boolean })[]>`
      SELECT c.id AS certificate_id, s.developer_id::text AS developer_id, s.id::text AS submission_id, s.runtime_version_id::text AS runtime_version_id,
             s.suite, s.seed, c.valid_until, c.payload #>> '{audit,suite,version}' AS certified_version, d.auto_renew
      FROM certificates c
      JOIN submissions s ON s.id = c.submission_id
      JOIN developers d ON d.id = s.developer_id
      JOIN (VALUES ${values}) AS t(suite, version) ON t.suite = s.suite
      WHERE c.status = 'active'
        AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.supersedes_id = c.id)
        AND (c.valid_until <= ${windowEnd} OR (c.payload #>> '{audit,suite,version}') IS DISTINCT FROM t.version)
        AND NOT EXISTS (
          SELECT 1 FROM certificate_renewals r
          WHERE r.certificate_id = c.id AND r.target_version = t.suite || '@' || t.version AND NOT (${REARMABLE} AND d.auto_renew))
        AND NOT EXISTS (SELECT 1 FROM certificate_renewals r WHERE r.certificate_id = c.id AND r.status = 'auditing')
      ORDER BY c.valid_until ASC, c.id ASC
      LIMIT ${limit}`;
    return rows.map((r) => ({ ...certificateToRenew(r), autoRenew: r.auto_renew }));
  }

  find(certificateId: string, targetVersion: string) {
    return this.db.certificateRenewal.findUnique({ where: { certificateId_targetVersion: { certificateId, targetVersion } } });
  }

  findBySubmission(submissionId: string) {
    return this.db.certificateRenewal.findUnique({ where: { submissionId } });
  }

  /**
   * Records an attempt that does not re-audit (declined, or failed before
   * starting): a new row, or the update of a row that may be taken up again.
   * False when another sweep holds the (certificate, target) row.
   */
  async record(input: {
    certificateId: string;
    developerId: string;
    trigger: RenewalTrigger;
    targetVersion: string;
    status: Extract<RenewalStatus, "declined" | "failed">;
    reasonCode: string;
    reasonMessage: string;
  }): Promise<boolean> {
    const updated = await this.db.$executeRaw`
      UPDATE certificate_renewals r SET status = ${input.status}::renewal_status, trigger = ${input.trigger}, reason_code = ${input.reasonCode},
             reason_message = ${input.reasonMessage}, updated_at = now()
      WHERE r.certificate_id = ${input.certificateId} AND r.target_version = ${input.targetVersion} AND ${REARMABLE}`;
    if (updated === 1) return true;
    const existing = await this.find(input.certificateId, input.targetVersion);
    if (existing) return false;
    const created = await this.db.$executeRaw`
      INSERT INTO certificate_renewals (id, certificate_id, developer_id, trigger, target_version, status, reason_code, reason_message, updated_at)
      VALUES (gen_random_uuid(), ${input.certificateId}, ${input.developerId}::uuid, ${input.trigger}, ${input.targetVersion}, ${input.status}::renewal_status,
              ${input.reasonCode}, ${input.reasonMessage}, now())
      ON CONFLICT (certificate_id, target_version) DO NOTHING`;
    return created === 1;
  }

  /**
   * Starts the re-audit (inside the transaction that creates its submission):
   * takes up a row that may be taken up again, or creates one. A concurrent
   * start fails on the unique indexes, rolling the whole intake back.
   */
  async start(input: { certificateId: string; developerId: string; trigger: RenewalTrigger; targetVersion: string; submissionId: string }): Promise<void> {
    const updated = await this.db.$executeRaw`
      UPDATE certificate_renewals r SET status = 'auditing', trigger = ${input.trigger}, submission_id = ${input.submissionId}::uuid,
             reason_code = NULL, reason_message = NULL, updated_at = now()
      WHERE r.certificate_id = ${input.certificateId} AND r.target_version = ${input.targetVersion} AND ${REARMABLE}`;
    if (updated === 1) return;
    await this.db.certificateRenewal.create({
      data: { certificateId: input.certificateId, developerId: input.developerId, trigger: input.trigger, targetVersion: input.targetVersion, status: "auditing", submissionId: input.submissionId },
    });
  }

  /**
   * An active, not yet superseded certificate with what re-auditing it needs
   * (an operator's re-audit order); null otherwise.
   */
  async reauditable(certificateId: string): Promise<Omit<DueRenewal, "autoRenew"> | null> {
    const rows = await this.db.$queryRaw<CertificateToRenewRow[]>`
      SELECT c.id AS certificate_id, s.developer_id::text AS developer_id, s.id::text AS submission_id, s.runtime_version_id::text AS runtime_version_id,
             s.suite, s.seed, c.valid_until, c.payload #>> '{audit,suite,version}' AS certified_version
      FROM certificates c JOIN submissions s ON s.id = c.submission_id
      WHERE c.id = ${certificateId} AND c.status = 'active' AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.supersedes_id = c.id)`;
    return rows[0] ? certificateToRenew(rows[0]) : null;
  }

  /** The re-audit ended (in the transaction of its final transition); false when it was not in flight. */
  async finish(submissionId: string, outcome: { status: "renewed"; newCertificateId: string } | { status: "failed"; reasonCode: string; reasonMessage: string | null }): Promise<boolean> {
    const result = await this.db.certificateRenewal.updateMany({
      where: { submissionId, status: "auditing" },
      data:
        outcome.status === "renewed"
          ? { status: "renewed", newCertificateId: outcome.newCertificateId, reasonCode: null, reasonMessage: null }
          : { status: "failed", reasonCode: outcome.reasonCode, reasonMessage: outcome.reasonMessage },
    });
    return result.count === 1;
  }

  listForDeveloper(developerId: string, filter: { certificateId?: string; limit: number }) {
    return this.db.certificateRenewal.findMany({
      where: { developerId, ...(filter.certificateId ? { certificateId: filter.certificateId } : {}) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: filter.limit,
    });
  }

  listForCertificates(certificateIds: string[]) {
    return this.db.certificateRenewal.findMany({ where: { certificateId: { in: certificateIds } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  }

  async autoRenewOf(developerId: string): Promise<boolean | null> {
    const row = await this.db.developer.findUnique({ where: { id: developerId }, select: { autoRenew: true } });
    return row ? row.autoRenew : null;
  }

  async setAutoRenew(developerId: string, enabled: boolean): Promise<boolean> {
    const result = await this.db.developer.updateMany({ where: { id: developerId }, data: { autoRenew: enabled } });
    return result.count === 1;
  }

  /** The certificate that supersedes `id`, if any (unique). */
  successorOf(id: string) {
    return this.db.certificate.findUnique({ where: { supersedesId: id }, select: CHAIN_SELECT });
  }

  chainLink(id: string) {
    return this.db.certificate.findUnique({ where: { id }, select: CHAIN_SELECT });
  }
}

const CHAIN_SELECT = { id: true, status: true, statusReasonCode: true, issuedAt: true, validUntil: true, supersedesId: true, submissionId: true } as const;
export type ChainLinkRow = { id: string; status: CertificateStatus; statusReasonCode: string | null; issuedAt: Date; validUntil: Date; supersedesId: string | null; submissionId: string };
