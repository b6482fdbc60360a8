// The statusList job (decision 0022) with two worker apps on one database and
// one queue prefix: one repeatable schedule however many workers; a suspension
// is in the list after the next run; runs with nothing changed publish nothing
// (one publication per change, whichever worker runs the job).
import { Queue } from "bullmq";
import { BullJobPublisher, createPlatform, createRedisConnection, NODE_GZIP, samplePackedRuntime, sampleUnsignedCertificate, type Platform } from "@assay/platform";
import { setIndexesOf, verifyStatusList } from "@assay/protocol";
import { defaultHandlers, startWorkerApp, type WorkerApp, type WorkerAppOptions } from "../src/worker-app";
import { STATUS_LIST_SCHEDULER_ID } from "../src/jobs/status-list-handler";
import { createTestEnv, waitFor, type TestEnv } from "./helpers";

jest.setTimeout(120_000);

let env: TestEnv;
let api: Platform;
let workers: WorkerApp[] = [];

beforeAll(async () => {
  env = createTestEnv({ ASSAY_STATUS_LIST_INTERVAL_MS: "300" });
  api = await createPlatform(env.config.app, { publisher: new BullJobPublisher(env.config.app.redis.url, env.config.worker.queuePrefix) });
  const handlers: WorkerAppOptions["handlers"] = (services) => ({
    ...defaultHandlers(services),
    audit: { name: "audit", handle: async () => ({ result: "not_audited_in_this_test" }) },
  });
  workers = await Promise.all([1, 2].map(() => startWorkerApp(env.config, { log: () => undefined, reconcile: false, chainLoops: false, expirySchedule: false, handlers })));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await api.close();
  await env.cleanup();
});

async function certify(n: number): Promise<{ id: string; index: number }> {
  const developer = await api.developers.create({ email: `sl-${n}@example.com`, name: "S" });
  const sub = await api.submissions.create(developer.id, samplePackedRuntime({ entrySource: `export const sl = ${n};` }));
  await api.submissions.transition(sub.id, "auditing", { actor: "t" });
  await api.submissions.transition(sub.id, "in_assembly", { actor: "t" });
  const doc = await api.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "t");
  return { id: doc.id, index: (doc.payload as { credentialStatus: { index: number } }).credentialStatus.index };
}

const publications = () => api.db.statusListPublication.findMany({ orderBy: { sequence: "asc" } });

it("one schedule for two workers; a suspension is published once, by whichever worker runs next", async () => {
  const redis = createRedisConnection(env.config.app.redis.url, { forWorker: true });
  const queue = new Queue("status-list", { connection: redis, prefix: env.config.worker.queuePrefix });
  try {
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual([STATUS_LIST_SCHEDULER_ID]);
    const a = await certify(1);
    const b = await certify(2);
    await waitFor(async () => ((await publications()).length >= 1 ? true : null), "the first publication", 30_000);
    await api.certificates.changeStatus(b.id, "suspended", { reasonCode: "under_review", actor: "operator:t" });
    await waitFor(async () => ((await publications()).some((p) => p.setCount === 1) ? true : null), "the suspension published", 30_000);
    // Several more runs with nothing changed: no new publication.
    const settled = await queue.getCompletedCount();
    await waitFor(async () => ((await queue.getCompletedCount()) >= settled + 4 ? true : null), "four more runs", 30_000);
    const rows = await publications();
    // The first (empty) list, then the suspension: issuing certificates sets no bit, unchanged runs publish nothing.
    expect(rows.map((r) => [r.sequence, r.setCount])).toEqual([
      [1, 0],
      [2, 1],
    ]);
    const latest = rows.at(-1)!;
    const verified = await verifyStatusList(latest.jws, { jwks: (await api.signingKeys.jwks()) as never, issuer: env.config.app.certificates.issuerId, now: new Date(), gzip: NODE_GZIP });
    if (!verified.ok) throw new Error(verified.reason);
    expect(setIndexesOf(verified.bits)).toEqual([b.index]);
    expect(setIndexesOf(verified.bits)).not.toContain(a.index);
  } finally {
    await queue.close();
    redis.disconnect();
  }
});
