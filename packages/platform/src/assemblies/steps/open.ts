// Open: freeze the parameters, the audit facts (findings, claims) and the
// eligible snapshot, fix the beacon, draw
// round 1 and store the assembly, its round and its seats in one transaction,
// then schedule the review deadline. No eligible validator yet (a fresh
// install whose agents are still activating): retry with back-off.
import { randomUUID } from "node:crypto";
import type { ClaimRef, FindingRef } from "@assay/assembly";
import { AuditReportSchema } from "@assay/protocol";
import { ConflictError, NotFoundError } from "../../errors";
import { isUniqueViolation } from "../../services/unique-violation";
import { assemblyBeacon, beaconInputsAt } from "../beacon";
import { assemblyJobIds } from "../scheduler";
import { assemblyRepo, secondsAfter, type AssemblyContext, type AssemblyJobResult } from "./context";
import { drawRound } from "./draw";
import { refreshProgress } from "./progress";
import { scheduleDeadline } from "./schedule";
import { takeSnapshot } from "./snapshot";

/** Fee attributed to an assembly (smallest unit) until pricing (SPEC §9) sets one per submission. */
export const DEFAULT_ASSEMBLY_FEE = 1_000_000n;

export async function openAssembly(ctx: AssemblyContext, submissionId: string, attempt: number): Promise<AssemblyJobResult> {
  const repo = assemblyRepo(ctx);
  const existing = await repo.findBySubmission(submissionId);
  if (existing) return { result: "already_open", assemblyId: existing.id };
  const submission = await ctx.store.repos.submissions.findById(submissionId);
  if (!submission) throw new NotFoundError("submission_not_found", `no submission ${submissionId}`);
  if (submission.status !== "in_assembly") return { result: "not_in_assembly", status: submission.status };
  const stored = await ctx.store.repos.audits.latestReportForSubmission(submissionId);
  if (!stored) throw new ConflictError("report_missing", `submission ${submissionId} has no audit report`);
  const report = AuditReportSchema.parse(stored.document);
  const findings: FindingRef[] = report.findings.map((f) => ({ code: f.code, scenario: f.scenario, severity: f.severity }));
  const claims: ClaimRef[] = report.claims.map((c) => ({ srip: c.srip, status: c.status }));

  const params = await ctx.flags.assemblyParams();
  const snapshot = await takeSnapshot(ctx, submission.developerId, params);
  if (snapshot.ids.length === 0) {
    const delayMs = Math.min(60_000, 2_000 * 2 ** Math.min(attempt, 5));
    await ctx.scheduler.schedule({ action: "open", submissionId, attempt: attempt + 1 }, { jobId: assemblyJobIds.openRetry(submissionId, attempt + 1), delayMs });
    return { result: "no_eligible_validators", retryInMs: delayMs };
  }

  const now = ctx.clock();
  const beaconInputs = beaconInputsAt(stored.digest, await repo.latestCertificateId(), now);
  const beacon = assemblyBeacon(beaconInputs);
  const assemblyId = randomUUID();
  const endsAt = secondsAfter(now, params.reviewSeconds);
  let seats: number;
  try {
    seats = await ctx.store.db.$transaction(async (tx) => {
      const txRepo = assemblyRepo(ctx, tx);
      await txRepo.create({
        id: assemblyId,
        submissionId,
        round: 1,
        phase: "review",
        phaseStartedAt: now,
        phaseEndsAt: endsAt,
        params,
        findings,
        claims,
        reportDigest: stored.digest,
        snapshot,
        beacon,
        beaconInputs,
        fee: DEFAULT_ASSEMBLY_FEE,
      });
      const opening = await drawRound(txRepo, { assemblyId, round: 1, beacon, snapshot, params, at: now });
      return opening.seats.length;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { result: "already_open", assemblyId: (await repo.findBySubmission(submissionId))?.id ?? null };
    throw err;
  }
  await scheduleDeadline(ctx, assemblyId, 1, "review", endsAt, now);
  await refreshProgress(ctx, assemblyId);
  ctx.log("info", `assembly ${assemblyId} opened for submission ${submissionId}: ${seats} seats`);
  return { result: "opened", assemblyId, seats };
}
