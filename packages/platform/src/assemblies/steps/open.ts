// Open: freeze the parameters, the audit facts (findings, claims) and the
// eligible snapshot, commit to the platform's beacon share and store the
// assembly in phase `beacon` (no seats yet), then schedule the window's close
// (steps/beacon.ts: the beacon, the draw of round 1, review). No eligible
// validator yet (a fresh install whose agents are still activating): retry
// with back-off.
import { randomUUID } from "node:crypto";
import type { ClaimRef, FindingRef } from "@assay/assembly";
import { AuditReportSchema } from "@assay/protocol";
import { ConflictError, NotFoundError } from "../../errors";
import { isUniqueViolation } from "../../services/unique-violation";
import { assemblyJobIds } from "../scheduler";
import { beaconOpening, scheduleBeaconClose } from "./beacon";
import { assemblyRepo, type AssemblyContext, type AssemblyJobResult } from "./context";
import { refreshProgress } from "./progress";
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
  const beacon = await beaconOpening(ctx, { reportDigest: stored.digest, params, now });
  const assemblyId = randomUUID();
  try {
    await repo.create({ id: assemblyId, submissionId, round: 1, phaseStartedAt: now, params, findings, claims, reportDigest: stored.digest, snapshot, ...beacon, fee: DEFAULT_ASSEMBLY_FEE });
  } catch (err) {
    if (isUniqueViolation(err)) return { result: "already_open", assemblyId: (await repo.findBySubmission(submissionId))?.id ?? null };
    throw err;
  }
  await scheduleBeaconClose(ctx, assemblyId, beacon.phaseEndsAt, now);
  await refreshProgress(ctx, assemblyId);
  ctx.log("info", `assembly ${assemblyId} opened for submission ${submissionId}: beacon window until ${beacon.phaseEndsAt.toISOString()} (commitment ${beacon.beaconCommitment})`);
  return { result: "opened", assemblyId, phase: "beacon", commitment: beacon.beaconCommitment };
}
