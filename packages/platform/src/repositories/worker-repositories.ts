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

  /**
   * Records an effect once per dedupe key and returns the stored event. Why not
   * upsert: Prisma's upsert is a read then an insert, so two processes racing on
   * one key fail with a unique violation; INSERT ... ON CONFLICT DO NOTHING does not.
   */
  async addOutbox(input: { topic: string; payload: Prisma.InputJsonValue; dedupeKey: string }) {
    await this.db.outboxEvent.createMany({ data: [input], skipDuplicates: true });
    return this.db.outboxEvent.findUniqueOrThrow({ where: { dedupeKey: input.dedupeKey } });
  }

  /**
   * A fresh audit run and its outbox event for a submission whose latest run
   * cannot be used (it has its report), serialised per submission so that two
   * reconcilers create one run. Returns the run to audit (new, or the one another
   * process just created).
   */
  async freshAuditRun(input: { submissionId: string; suiteId: string; seed: number; dedupeKeyOf: (runId: string) => string }) {
    if (!("$transaction" in this.db)) throw new Error("freshAuditRun needs a client that can open a transaction");
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`audit-run:${input.submissionId}`}))`;
      const latest = await tx.auditRun.findFirst({
        where: { submissionId: input.submissionId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        include: { report: { select: { id: true } } },
      });
      let run: { id: string; suiteId: string; seed: number } | null = latest && !latest.report ? latest : null;
      if (!run) {
        // A new run only for a submission that is (still) waiting for one: the caller's
        // status may be stale — a reconciler that read `auditing` just before the audit
        // committed its report and moved on must not start a second audit (issue 13).
        const submission = await tx.submission.findUnique({ where: { id: input.submissionId }, select: { status: true } });
        if (submission?.status !== "received") return null;
        run = await tx.auditRun.create({ data: { submissionId: input.submissionId, suiteId: input.suiteId, seed: input.seed } });
      }
      const payload = { submissionId: input.submissionId, auditRunId: run.id, suite: run.suiteId, seed: run.seed };
      await tx.outboxEvent.createMany({ data: [{ topic: "audit", payload, dedupeKey: input.dedupeKeyOf(run.id) }], skipDuplicates: true });
      const event = await tx.outboxEvent.findUniqueOrThrow({ where: { dedupeKey: input.dedupeKeyOf(run.id) } });
      return { run, eventId: event.id };
    });
  }
}
