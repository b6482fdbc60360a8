// Crashes and Redis loss: a worker process SIGKILLed mid-audit, and queues
// obliterated (Redis lost its data) with or without a crash. In every case the
// submission finishes exactly once: one audit report, one certificate, one
// pass through each transition.
import type { Platform } from "@assay/platform";
import { startWorkerApp } from "../src/worker-app";
import {
  createApiPlatform,
  createDeveloper,
  createTestEnv,
  exited,
  obliterateQueues,
  packedRuntime,
  spawnWorker,
  waitFor,
  waitForStatus,
  type TestEnv,
} from "./helpers";

jest.setTimeout(300_000);

let env: TestEnv;
let api: Platform;
let developerId: string;

beforeAll(async () => {
  env = createTestEnv();
  api = await createApiPlatform(env.config);
  developerId = await createDeveloper(api);
});

afterAll(async () => {
  await api?.close();
  await env?.cleanup();
});

async function expectFinishedOnce(submissionId: string) {
  const db = api.db;
  expect(await db.auditReport.count({ where: { auditRun: { submissionId } } })).toBe(1);
  expect(await db.certificate.count({ where: { submissionId } })).toBe(1);
  expect(await db.usageRecord.count({ where: { submissionId } })).toBe(5); // tokens in/out, CPU, bundle and report storage
  const transitions = await db.submissionTransition.findMany({ where: { submissionId }, orderBy: { createdAt: "asc" } });
  expect(transitions.map((t) => `${t.fromStatus ?? "-"}>${t.toStatus}`)).toEqual(["->received", "received>auditing", "auditing>in_assembly", "in_assembly>certified"]);
}

async function startedWorker() {
  const child = spawnWorker(env.env);
  await waitFor(async () => child.output.join("").includes("worker started") || child.exitCode !== null, "the worker process to start", 120_000);
  expect(child.exitCode).toBeNull();
  return child;
}

/** Waits until the audit is running (auditing, some turns done), then SIGKILLs the worker. */
async function killMidAudit(child: ReturnType<typeof spawnWorker>, submissionId: string) {
  await waitFor(async () => {
    const view = await api.submissions.get(submissionId);
    return view.status === "auditing" && (view.progress.turnsCompleted ?? 0) > 50;
  }, "the audit to be under way", 60_000, 20);
  child.kill("SIGKILL");
  await exited(child);
  const after = await api.submissions.get(submissionId);
  // The decision is taken only after the whole audit: still auditing means the kill landed mid-audit.
  expect(after.status).toBe("auditing");
  expect(after.progress.turnsCompleted).toBeLessThan(900);
}

it("finishes a submission exactly once when the worker process is SIGKILLed mid-audit", async () => {
  const first = await startedWorker();
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  await killMidAudit(first, created.id);
  const second = await startedWorker();
  try {
    const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 90_000);
    expect(done.status).toBe("certified");
    await expectFinishedOnce(created.id);
  } finally {
    second.kill("SIGTERM");
    await exited(second);
  }
  // SIGTERM is a graceful stop.
  expect(second.exitCode).toBe(0);
});

it("re-enqueues, through the reconciler, a job Redis lost together with the worker running it", async () => {
  const first = await startedWorker();
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  await killMidAudit(first, created.id);
  await obliterateQueues(env.config);
  const second = await startedWorker();
  try {
    const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 90_000);
    expect(done.status).toBe("certified");
    expect(second.output.join("")).toMatch(/re-enqueueing a lost job/);
    await expectFinishedOnce(created.id);
  } finally {
    second.kill("SIGTERM");
    await exited(second);
  }
});

it("re-enqueues a job lost from Redis before any worker took it (in-process worker)", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  expect(await api.db.outboxEvent.count({ where: { topic: "audit", status: "dispatched", payload: { path: ["submissionId"], equals: created.id } } })).toBe(1);
  await obliterateQueues(env.config);
  const logs: string[] = [];
  const worker = await startWorkerApp(env.config, { log: (_level, message) => logs.push(message) });
  try {
    const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 60_000);
    expect(done.status).toBe("certified");
    expect(logs).toContain("re-enqueueing a lost job");
    await expectFinishedOnce(created.id);
    // Once finished, the reconciler leaves it alone.
    const report = await worker.reconciler.runOnce();
    expect(report).toMatchObject({ enqueued: 0, retried: 0, replaced: 0 });
  } finally {
    await worker.close();
  }
});
