// The public registry's reads (issue 12 item 5, docs/decisions/0017): search over
// certificates by the search columns copied from their payloads, keyset-paginated
// newest first; renewals of a certificate; its flags counted by state; the noted
// findings of an audit report by digest. One SQL statement each.
import { Prisma } from "../generated/prisma";
import type { DbClient } from "./types";

export type RegistryStatusFilter = "certified" | "expired" | "suspended" | "revoked";

export type RegistrySearchFilter = {
  /** Substring of the runtime name, case-insensitive; matched literally (LIKE wildcards escaped). */
  name?: string;
  claim?: string;
  status?: RegistryStatusFilter;
  suiteId?: string;
  suiteVersion?: string;
  issuedFrom?: Date;
  issuedBefore?: Date;
  /** Keyset: certificates ordered after this one (issued_at DESC, id DESC). */
  after?: { issuedAt: Date; id: string };
  /** The instant that decides "past validUntil" (the status rule). */
  now: Date;
  limit: number;
};

export type RegistryRow = {
  id: string;
  runtimeName: string;
  runtimeVersion: string;
  suiteId: string;
  suiteVersion: string;
  claims: string[];
  status: "active" | "suspended" | "revoked" | "expired";
  statusReasonCode: string | null;
  level: string;
  issuedAt: Date;
  validUntil: Date;
  supersedesId: string | null;
};

/** `%`, `_` and the escape character itself are literal in a registry name search. */
export function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export class RegistryRepository {
  constructor(private readonly db: DbClient) {}

  async search(filter: RegistrySearchFilter): Promise<RegistryRow[]> {
    const where: Prisma.Sql[] = [];
    if (filter.name !== undefined) where.push(Prisma.sql`runtime_name ILIKE ${`%${likeEscaped(filter.name)}%`} ESCAPE '\\'`);
    if (filter.claim !== undefined) where.push(Prisma.sql`claims @> ARRAY[${filter.claim}]::text[]`);
    if (filter.suiteId !== undefined) where.push(Prisma.sql`suite_id = ${filter.suiteId}`);
    if (filter.suiteVersion !== undefined) where.push(Prisma.sql`suite_version = ${filter.suiteVersion}`);
    if (filter.issuedFrom !== undefined) where.push(Prisma.sql`issued_at >= ${filter.issuedFrom}`);
    if (filter.issuedBefore !== undefined) where.push(Prisma.sql`issued_at < ${filter.issuedBefore}`);
    if (filter.after !== undefined) where.push(Prisma.sql`(issued_at, id) < (${filter.after.issuedAt}, ${filter.after.id})`);
    // The registry status rule (registryStatusOf in @assay/protocol), as SQL.
    const now = filter.now;
    switch (filter.status) {
      case "certified":
        where.push(Prisma.sql`status = 'active' AND valid_until > ${now}`);
        break;
      case "suspended":
        where.push(Prisma.sql`status = 'suspended' AND valid_until > ${now}`);
        break;
      case "expired":
        where.push(Prisma.sql`(status = 'expired' OR (status IN ('active', 'suspended') AND valid_until <= ${now}))`);
        break;
      case "revoked":
        where.push(Prisma.sql`status = 'revoked'`);
        break;
      case undefined:
        break;
    }
    const condition = where.length > 0 ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty;
    return this.db.$queryRaw<RegistryRow[]>`
      SELECT id, runtime_name AS "runtimeName", runtime_version AS "runtimeVersion", suite_id AS "suiteId",
             suite_version AS "suiteVersion", COALESCE(claims, '{}') AS claims, status::text AS status,
             status_reason_code AS "statusReasonCode", payload->>'level' AS level, issued_at AS "issuedAt",
             valid_until AS "validUntil", supersedes_id AS "supersedesId"
      FROM certificates
      ${condition}
      ORDER BY issued_at DESC, id DESC
      LIMIT ${filter.limit}`;
  }

  /** Ids of the certificates that renew `id` (their supersedes), newest first. */
  async supersededBy(id: string): Promise<string[]> {
    const rows = await this.db.certificate.findMany({
      where: { supersedesId: id },
      orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
      select: { id: true },
      take: 100,
    });
    return rows.map((r) => r.id);
  }

  /** A certificate's public flags counted by state, and the most recently decided one. */
  async flagSummary(certificateId: string) {
    const [counts, latest] = await Promise.all([
      this.db.certificateFlag.groupBy({ by: ["status"], where: { certificateId }, _count: { _all: true } }),
      this.db.certificateFlag.findFirst({
        where: { certificateId, status: { not: "open" } },
        orderBy: [{ resolvedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "desc" }],
        select: { status: true, outcome: true, resolvedAt: true },
      }),
    ]);
    const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
    return {
      open: count("open"),
      dismissed: count("dismissed"),
      suspended: count("suspended"),
      reauditOrdered: count("reaudit_ordered"),
      latest: latest ? { status: latest.status as string, outcome: latest.outcome, resolvedAt: latest.resolvedAt } : null,
    };
  }

  /** The findings (code, severity) of the stored audit report with this digest; null when there is none. */
  async reportFindings(reportDigest: string): Promise<{ code: string; severity: string }[] | null> {
    const report = await this.db.auditReport.findFirst({
      where: { digest: reportDigest },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { findings: { select: { code: true, severity: true }, orderBy: { ordinal: "asc" } } },
    });
    return report ? report.findings.map((f) => ({ code: f.code, severity: f.severity as string })) : null;
  }
}
