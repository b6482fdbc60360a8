// The expiry sweep (issue 12 item 1) with a controllable clock and two worker
// apps on one database and one queue prefix: one repeatable schedule however
// many workers; a certificate valid until T is untouched at T + 999 ms and
// expired at T + 1 s, exactly once (one status change, one transparency-log
// entry, one on-chain mirror event), whichever worker's sweep gets there.
import { Queue } from "bullmq";
import { CertificateExpiryService, createPlatform, createRedisConnection, samplePackedRuntime, sampleUnsignedCertificate, BullJobPublisher, type Platform } from "@assay/platform";
import { parseLogLeaf } from "@assay/protocol";
import { defaultHandlers, startWorkerApp, type WorkerApp, type WorkerAppOptions } from "../src/worker-app";
import { EXPIRY_SCHEDULER_ID } from "../src/jobs/expiry-handler";
import { createTestEnv, waitFor, type TestEnv } from "./helpers";

jest.setTimeout(120_000);

let env: TestEnv;
let api: Platform;
let workers: WorkerApp[] = [];
let now = new Date("2026-03-01T10:00:00.250Z");
const clock = () => now;

beforeAll(async () => {
  env = createTestEnv({ ASSAY_EXPIRY_INTERVAL_MS: "200", ASSAY_CERTIFICATE_VALIDITY_DAYS: "1" });
  api = await createPlatform(env.config.app, { publisher: new BullJobPublisher(env.config.app.redis.url, env.config.worker.queuePrefix), clock });
  // The test moves its submissions by hand: the audit job that intake enqueues must
  // not race it (a real audit would move the same submission concurrently).
  const handlers: WorkerAppOptions["handlers"] = (services) => ({
    ...defaultHandlers(services),
    audit: { name: "audit", handle: async () => ({ result: "not_audited_in_this_test" }) },
  });
  workers = await Promise.all([1, 2].map(() => startWorkerApp(env.config, { log: () => undefined, reconcile: false, chainLoops: false, clock, handlers })));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await api.close();
  await env.cleanup();
});

let n = 0;
async function certify(): Promise<string> {
  const developer = await api.developers.create({ email: `exp-${++n}@example.com`, name: "E" });
  const sub = await api.submissions.create(developer.id, samplePackedRuntime({ entrySource: `export const e = ${n};` }));
  await api.submissions.transition(sub.id, "auditing", { actor: "t" });
  await api.submissions.transition(sub.id, "in_assembly", { actor: "t" });
  return (await api.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "t")).id;
}

async function expiredRows(ids: string[]) {
  return api.db.certificateStatusChange.findMany({ where: { certificateId: { in: ids }, toStatus: "expired" } });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it("one schedule for two workers; expires at validUntil exactly once, logged and mirrored", async () => {
  const ids = [await certify(), await certify(), await certify()];
  await api.certificates.changeStatus(ids[1]!, "suspended", { reasonCode: "under_review", actor: "operator:t" });
  const validUntil = (await api.db.certificate.findUniqueOrThrow({ where: { id: ids[0]! } })).validUntil;
  expect(validUntil.toISOString()).toBe("2026-03-02T10:00:00.000Z");
  expect(CertificateExpiryService.expiresAt(validUntil).toISOString()).toBe("2026-03-02T10:00:01.000Z");

  const redis = createRedisConnection(env.config.app.redis.url, { forWorker: true });
  const queue = new Queue("expiry", { connection: redis, prefix: env.config.worker.queuePrefix });
  try {
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual([EXPIRY_SCHEDULER_ID]);

    // The last valid second: several sweeps run, nothing changes.
    now = new Date(validUntil.getTime() + 999);
    const completedBefore = await queue.getCompletedCount();
    await waitFor(async () => (await queue.getCompletedCount()) >= completedBefore + 3, "three sweeps", 30_000);
    expect(await expiredRows(ids)).toEqual([]);

    now = new Date(validUntil.getTime() + 1_000);
    await waitFor(async () => (await expiredRows(ids)).length === 3, "all three expired", 30_000);
    const settled = await queue.getCompletedCount();
    await waitFor(async () => (await queue.getCompletedCount()) >= settled + 4, "four more sweeps", 30_000);

    const rows = await expiredRows(ids);
    expect(rows.map((r) => r.certificateId).sort()).toEqual([...ids].sort());
    expect(rows.every((r) => r.actor === "system:expiry")).toBe(true);
    expect(rows.find((r) => r.certificateId === ids[1])?.fromStatus).toBe("suspended");
    for (const id of ids) {
      expect((await api.certificates.lookup(id)).status.state).toBe("expired");
      const entries = (await api.transparencyLog.inclusion(id)).entries.map((e) => parseLogLeaf(e.leaf)!);
      expect(entries.filter((e) => e.kind === "status" && e.to === "expired")).toHaveLength(1);
      const mirror = await api.db.outboxEvent.findMany({ where: { dedupeKey: `anchor-revoke:${id}` } });
      expect(mirror.map((m) => m.payload)).toEqual([{ certificateId: id, reason: "expired" }]);
    }
    // Sweeps ran in both workers (the repeatable job is shared, not duplicated).
    expect((await queue.getJobSchedulers()).length).toBe(1);
  } finally {
    await queue.close();
    redis.disconnect();
  }
});

it("two sweeps racing on the same due certificates expire each once", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push(await certify());
  const validUntil = (await api.db.certificate.findUniqueOrThrow({ where: { id: ids[0]! } })).validUntil;
  // Both workers' sweeps at the same instant (the scheduled sweeps keep running too: a third racer).
  now = new Date(validUntil.getTime() + 5_000);
  const [a, b] = await Promise.all(workers.map((w) => w.services.expiry.sweep()));
  await sleep(500); // let any scheduled sweep in flight finish
  const rows = await expiredRows(ids);
  expect(rows).toHaveLength(4);
  expect(new Set(rows.map((r) => r.certificateId)).size).toBe(4);
  const mine = [...a!.expired, ...b!.expired].filter((id) => ids.includes(id));
  expect(new Set(mine).size).toBe(mine.length); // never both
});
