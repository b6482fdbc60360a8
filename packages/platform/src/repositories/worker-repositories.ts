// Queries only the workers need: audit runs with their report, stuck
// submissions for the reconciler, and pending outbox events of given topics.
import type { Prisma, SubmissionStatus } from "../generated/prisma";
import type { DbClient } from "./types";

export class AuditRunRepository {
  constructor(private readonly db: DbClient) {}

  findRun(id: string) {
    return this.db.auditRun.findUnique({ where: { id }, include: { report: { select: { id: true, digest: true, verdict: true } } } });
  }

  findReportOfRun(auditRunId: string) {
    return this.db.auditReport.findUnique({ where: { auditRunId } });
  }

  /** Marks a run running unless it already finished (a redelivered job must not reopen it). */
  async markRunning(id: string, at: Date): Promise<void> {
    await this.db.auditRun.updateMany({ where: { id, status: { in: ["queued", "running", "failed"] } }, data: { status: "running", startedAt: at, error: null } });
  }

  async markFailed(id: string, error: string, at: Date): Promise<void> {
    await this.db.auditRun.updateMany({ where: { id, status: { not: "completed" } }, data: { status: "failed", error: error.slice(0, 2000), finishedAt: at } });
  }
}

export type StuckSubmission = { id: string; status: SubmissionStatus; updatedAt: Date };

export class RecoveryRepository {
  constructor(private readonly db: DbClient) {}

  /** Submissions in a working state whose row has not changed since `before`, oldest first. */
  stuckSince(statuses: SubmissionStatus[], before: Date, limit: number): Promise<StuckSubmission[]> {
    return this.db.submission.findMany({
      where: { status: { in: statuses }, updatedAt: { lt: before } },
      select: { id: true, status: true, updatedAt: true },
      orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
      take: limit,
    });
  }

  pendingOutbox(topics: string[], now: Date, limit: number) {
    return this.db.outboxEvent.findMany({
      where: { status: "pending", topic: { in: topics }, availableAt: { lte: now } },
      orderBy: [{ availableAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true },
    });
  }

  findOutboxByKey(dedupeKey: string) {
    return this.db.outboxEvent.findUnique({ where: { dedupeKey } });
  }

  addOutbox(input: { topic: string; payload: Prisma.InputJsonValue; dedupeKey: string }) {
    return this.db.outboxEvent.upsert({ where: { dedupeKey: input.dedupeKey }, create: input, update: {} });
  }
}
