// The worker-side platform services without any BullMQ worker running: racing
// calls of each step have one effect.
import type { Platform } from "@assay/platform";
import { runSandboxAudit } from "../src/audit/sandbox-audit";
import { workerServices, type WorkerServices } from "../src/worker-app";
import { createApiPlatform, createDeveloper, createTestEnv, packedRuntime, type TestEnv } from "./helpers";

jest.setTimeout(120_000);

let env: TestEnv;
let api: Platform;
let services: WorkerServices;
let developerId: string;

beforeAll(async () => {
  env = createTestEnv();
  api = await createApiPlatform(env.config);
  services = workerServices(api, env.config, runSandboxAudit);
  developerId = await createDeveloper(api);
});

afterAll(async () => {
  await api?.close();
  await env?.cleanup();
});

const log = () => undefined;

it("racing audit completions and certificate issuings have one effect each", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  const run = await api.db.auditRun.findFirstOrThrow({ where: { submissionId: created.id } });
  const job = { submissionId: created.id, auditRunId: run.id, suite: run.suiteId, seed: run.seed };

  // Three pipelines at once: all run the sandbox, one records.
  const audits = await Promise.all([1, 2, 3].map(() => services.pipeline.run(job, log)));
  const recorded = audits.filter((a) => a.kind === "completed" && a.recorded);
  expect(recorded).toHaveLength(1);
  expect(audits.every((a) => a.kind === "skipped" || (a.kind === "completed" && a.status === "in_assembly"))).toBe(true);
  expect((await api.submissions.get(created.id)).status).toBe("in_assembly");

  // Three certificate issuings at once: one certificate.
  const issued = await Promise.all([1, 2, 3].map(() => services.issuing.issueForSubmission(created.id)));
  expect(issued.filter((i) => i.issued)).toHaveLength(1);
  const ids = new Set(issued.map((i) => i.certificateId));
  expect(ids.size).toBe(1);
  expect([...ids][0]).toMatch(/^0x[0-9a-f]{64}$/);
  expect(await api.db.certificate.count({ where: { submissionId: created.id } })).toBe(1);
  expect(await api.db.auditReport.count({ where: { auditRun: { submissionId: created.id } } })).toBe(1);
  expect(await api.db.outboxEvent.count({ where: { topic: "anchor" } })).toBe(1);
  expect(await api.db.usageRecord.count({ where: { submissionId: created.id } })).toBe(5); // tokens in/out, CPU, bundle and report storage
  const transitions = await api.db.submissionTransition.findMany({ where: { submissionId: created.id }, orderBy: { createdAt: "asc" } });
  expect(transitions.map((t) => t.toStatus)).toEqual(["received", "auditing", "in_assembly", "certified"]);
});

it("maps quiet submissions to the job that moves them on, with stable job ids", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("passthrough"));
  const first = await services.recovery.jobsForQuietSubmissions(0);
  const mine = first.filter((j) => j.submissionId === created.id);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ name: "audit", status: "received" });
  const event = await api.db.outboxEvent.findFirstOrThrow({ where: { topic: "audit", payload: { path: ["submissionId"], equals: created.id } } });
  expect(mine[0]!.jobId).toBe(event.id);
  // Asking again gives the same job id (no new run, no new event).
  const again = (await services.recovery.jobsForQuietSubmissions(0)).filter((j) => j.submissionId === created.id);
  expect(again).toEqual(mine);
  expect(await api.db.auditRun.count({ where: { submissionId: created.id } })).toBe(1);
  // Nothing is quiet for an hour yet.
  expect((await services.recovery.jobsForQuietSubmissions(3_600_000)).filter((j) => j.submissionId === created.id)).toEqual([]);
  // A job that gave up moves the submission to failed, once.
  expect(await services.recovery.failSubmission(created.id, "audit_job_failed", "test")).toBe(true);
  expect(await services.recovery.failSubmission(created.id, "audit_job_failed", "test")).toBe(false);
  expect((await api.submissions.get(created.id)).outcome).toEqual({ code: "audit_job_failed", message: "test" });
  expect((await services.recovery.jobsForQuietSubmissions(0)).filter((j) => j.submissionId === created.id)).toEqual([]);
});

it("gives a re-run submission whose latest run has its report exactly one fresh run, however many reconcilers ask", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  const run = await api.db.auditRun.findFirstOrThrow({ where: { submissionId: created.id } });
  await services.pipeline.run({ submissionId: created.id, auditRunId: run.id, suite: run.suiteId, seed: run.seed }, log);
  // Its certificate job gave up, then an operator re-ran it.
  expect(await services.recovery.failSubmission(created.id, "certificate_job_failed", "signing unavailable")).toBe(true);
  await api.submissions.transition(created.id, "received", { actor: "operator:test", expectedFrom: "failed" });

  const jobs = await Promise.all([1, 2, 3, 4].map(() => services.recovery.jobFor(created.id, "received")));
  expect(new Set(jobs.map((j) => j?.jobId)).size).toBe(1);
  const runs = await api.db.auditRun.findMany({ where: { submissionId: created.id }, orderBy: { createdAt: "asc" } });
  expect(runs).toHaveLength(2);
  expect(jobs[0]).toMatchObject({ name: "audit", payload: { auditRunId: runs[1]!.id } });
  // And the fresh run audits to a decision as usual.
  const result = await services.pipeline.run(jobs[0]!.payload as never, log);
  expect(result).toMatchObject({ kind: "completed", recorded: true, status: "in_assembly" });
});

it("starts no second audit for a submission a reconciler read as auditing just before its audit completed", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("passthrough"));
  const run = await api.db.auditRun.findFirstOrThrow({ where: { submissionId: created.id } });
  // The reconciler's read: quiet and auditing. Then the audit commits its report and moves on.
  await api.submissions.transition(created.id, "auditing", { actor: "test", expectedFrom: "received" });
  const [stale] = (await services.recovery.jobsForQuietSubmissions(0)).filter((j) => j.submissionId === created.id);
  expect(stale).toMatchObject({ name: "audit", status: "auditing", payload: { auditRunId: run.id } });
  await services.pipeline.run({ submissionId: created.id, auditRunId: run.id, suite: run.suiteId, seed: run.seed }, log);
  expect((await api.submissions.get(created.id)).status).not.toBe("auditing");
  // The reconciler then asks for the job of the status it read: none, and no new run (seen with several worker processes).
  expect(await services.recovery.jobFor(created.id, "auditing")).toBeNull();
  expect(await api.db.auditRun.count({ where: { submissionId: created.id } })).toBe(1);
});
