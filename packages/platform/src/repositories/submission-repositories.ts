// Runtimes, artifacts, submissions (and their transition history), audit runs,
// reports and findings.
import type { AuditRunStatus, FindingSeverity, Prisma, SubmissionStatus } from "../generated/prisma";
import type { DbClient } from "./types";

export class RuntimeRepository {
  constructor(private readonly db: DbClient) {}

  // Insert-or-read as INSERT … ON CONFLICT DO NOTHING then a read: concurrent intakes of the
  // same runtime (a developer's burst) both succeed. Prisma's upsert with an empty update is a
  // read then an insert, and the loser's unique violation aborted its whole intake transaction
  // (found by the intake bench, docs/decisions/0026).
  async upsertRuntime(developerId: string, name: string) {
    await this.db.runtime.createMany({ data: [{ developerId, name }], skipDuplicates: true });
    return this.db.runtime.findUniqueOrThrow({ where: { developerId_name: { developerId, name } } });
  }

  async upsertVersion(input: { runtimeId: string; version: string; subjectDigest: string; manifest: Prisma.InputJsonValue; artifactSha256: string }) {
    await this.db.runtimeVersion.createMany({ data: [input], skipDuplicates: true });
    return this.db.runtimeVersion.findUniqueOrThrow({
      where: { runtimeId_version_subjectDigest: { runtimeId: input.runtimeId, version: input.version, subjectDigest: input.subjectDigest } },
    });
  }

  findVersion(id: string) {
    return this.db.runtimeVersion.findUnique({ where: { id } });
  }
}

export class ArtifactRepository {
  constructor(private readonly db: DbClient) {}

  /** Insert-or-read, safe under concurrent intakes of the same bytes (see RuntimeRepository.upsertRuntime). */
  async upsert(input: { sha256: string; sizeBytes: number; mediaType: string }) {
    await this.db.artifact.createMany({ data: [input], skipDuplicates: true });
    return this.db.artifact.findUniqueOrThrow({ where: { sha256: input.sha256 } });
  }

  findBySha256(sha256: string) {
    return this.db.artifact.findUnique({ where: { sha256 } });
  }
}

const submissionInclude = {
  runtimeVersion: { include: { runtime: true } },
  certificates: { select: { id: true, status: true, issuedAt: true }, orderBy: { issuedAt: "desc" } },
} satisfies Prisma.SubmissionInclude;

export type SubmissionRecord = Prisma.SubmissionGetPayload<{ include: typeof submissionInclude }>;

export type SubmissionListFilter = {
  developerId?: string;
  status?: SubmissionStatus;
  /** Keyset pagination: submissions created before this one. */
  before?: { createdAt: Date; id: string };
  limit: number;
};

export class SubmissionRepository {
  constructor(private readonly db: DbClient) {}

  create(input: { developerId: string; runtimeVersionId: string; suite: string; seed: number; progress: Prisma.InputJsonValue }) {
    return this.db.submission.create({ data: { ...input, status: "received" }, include: submissionInclude });
  }

  /** The developer's choice: whether the public certificate lookup carries the audit report. */
  async setReportPublic(id: string, value: boolean): Promise<void> {
    await this.db.submission.update({ where: { id }, data: { reportPublic: value } });
  }

  findById(id: string): Promise<SubmissionRecord | null> {
    return this.db.submission.findUnique({ where: { id }, include: submissionInclude });
  }

  list(filter: SubmissionListFilter): Promise<SubmissionRecord[]> {
    const where: Prisma.SubmissionWhereInput = {
      ...(filter.developerId ? { developerId: filter.developerId } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.before
        ? {
            OR: [
              { createdAt: { lt: filter.before.createdAt } },
              { createdAt: filter.before.createdAt, id: { lt: filter.before.id } },
            ],
          }
        : {}),
    };
    return this.db.submission.findMany({
      where,
      include: submissionInclude,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: filter.limit,
    });
  }

  /**
   * Compare-and-set of the status: succeeds only if the submission is still in
   * `from` at `revision` (no lost updates between concurrent workers).
   */
  async compareAndSetStatus(input: {
    id: string;
    from: SubmissionStatus;
    revision: number;
    to: SubmissionStatus;
    outcomeCode?: string | null;
    outcomeMessage?: string | null;
  }): Promise<boolean> {
    const result = await this.db.submission.updateMany({
      where: { id: input.id, status: input.from, revision: input.revision },
      data: {
        status: input.to,
        revision: { increment: 1 },
        ...(input.outcomeCode !== undefined ? { outcomeCode: input.outcomeCode } : {}),
        ...(input.outcomeMessage !== undefined ? { outcomeMessage: input.outcomeMessage } : {}),
      },
    });
    return result.count === 1;
  }

  addTransition(input: { submissionId: string; fromStatus: SubmissionStatus | null; toStatus: SubmissionStatus; reasonCode?: string | null; actor: string }) {
    return this.db.submissionTransition.create({ data: input });
  }

  transitions(submissionId: string) {
    return this.db.submissionTransition.findMany({ where: { submissionId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  async setProgress(id: string, progress: Prisma.InputJsonValue): Promise<boolean> {
    const result = await this.db.submission.updateMany({ where: { id }, data: { progress } });
    return result.count === 1;
  }

  /** Progress written only while the submission is in `status`: a late writer cannot overwrite what a later step wrote. */
  async setProgressWhile(id: string, status: SubmissionStatus, progress: Prisma.InputJsonValue): Promise<boolean> {
    const result = await this.db.submission.updateMany({ where: { id, status }, data: { progress } });
    return result.count === 1;
  }
}

export class AuditRepository {
  constructor(private readonly db: DbClient) {}

  createRun(input: { submissionId: string; suiteId: string; seed: number }) {
    return this.db.auditRun.create({ data: input });
  }

  updateRun(
    id: string,
    data: { status?: AuditRunStatus; suiteVersion?: string; engineVersion?: string; error?: string | null; startedAt?: Date; finishedAt?: Date },
  ) {
    return this.db.auditRun.update({ where: { id }, data });
  }

  latestRun(submissionId: string) {
    return this.db.auditRun.findFirst({ where: { submissionId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  }

  /**
   * Fair share (docs/decisions/0026): how many audit runs of the same developer
   * are still queued or running and were recorded before this one. Null when
   * the run does not exist.
   */
  async developerBacklogAhead(auditRunId: string): Promise<number | null> {
    const run = await this.db.auditRun.findUnique({ where: { id: auditRunId }, select: { createdAt: true, submission: { select: { developerId: true } } } });
    if (!run) return null;
    return this.db.auditRun.count({
      where: { status: { in: ["queued", "running"] }, createdAt: { lt: run.createdAt }, submission: { developerId: run.submission.developerId } },
    });
  }

  saveReport(input: {
    auditRunId: string;
    digest: string;
    verdict: string;
    document: Prisma.InputJsonValue;
    findings: { code: string; severity: FindingSeverity; scenario: string; turn: number | null; message: string; evidence: Prisma.InputJsonValue }[];
  }) {
    return this.db.auditReport.create({
      data: {
        auditRunId: input.auditRunId,
        digest: input.digest,
        verdict: input.verdict,
        document: input.document,
        findings: { create: input.findings.map((f, ordinal) => ({ ...f, ordinal })) },
      },
    });
  }

  /** The report with this digest from this submission's audits, only when the developer made the report public. */
  async publicReport(submissionId: string, digest: string): Promise<unknown> {
    const row = await this.db.auditReport.findFirst({
      where: { digest, auditRun: { submissionId, submission: { reportPublic: true } } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { document: true },
    });
    return row ? row.document : null;
  }

  latestReportForSubmission(submissionId: string) {
    return this.db.auditReport.findFirst({
      where: { auditRun: { submissionId } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      include: { auditRun: true },
    });
  }
}
