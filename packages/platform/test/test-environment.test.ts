// The test environment keeps a test's jobs out of the deployment's queues: a platform built from
// its config (no explicit publisher, as the verify bench does) publishes under the environment's own
// prefix, never the default "assay" that a local `npm start` consumes, and cleanup removes those keys.
import { Queue } from "bullmq";
import { createPlatform, createRedisConnection, type Platform } from "../src";
import { createTestEnvironment, deleteKeysUnder, samplePackedRuntime, type TestEnvironment } from "../src/testing";

const DEFAULT_PREFIX = "assay";

let env: TestEnvironment;
let platform: Platform;
let redis: ReturnType<typeof createRedisConnection>;

beforeAll(async () => {
  env = createTestEnvironment();
  platform = await createPlatform(env.config);
  redis = createRedisConnection(env.config.redis.url, { forWorker: true });
});

afterAll(async () => {
  redis.disconnect();
  await platform.close();
  await env.cleanup();
});

async function auditJobsFor(prefix: string, submissionId: string): Promise<number> {
  const queue = new Queue("audit", { connection: redis, prefix });
  try {
    const jobs = await queue.getJobs(["prioritized", "waiting", "delayed", "active", "failed", "completed"]);
    return jobs.filter((job) => job?.data?.submissionId === submissionId).length;
  } finally {
    await queue.close();
  }
}

it("gives each environment a prefix of its own, in the config every platform reads", async () => {
  const other = createTestEnvironment();
  const named = createTestEnvironment({ ASSAY_QUEUE_PREFIX: "assay-caller-named" });
  expect(env.config.queues.prefix).toMatch(/^assay-test-[0-9a-f]{12}$/);
  expect(env.queuePrefix).toBe(env.config.queues.prefix);
  expect(other.config.queues.prefix).not.toBe(env.config.queues.prefix);
  expect(env.config.queues.prefix).not.toBe(DEFAULT_PREFIX);
  // A prefix the caller names is kept as given.
  expect(named.queuePrefix).toBe("assay-caller-named");
  expect(named.config.queues.prefix).toBe("assay-caller-named");
  await Promise.all([other.cleanup(), named.cleanup()]);
});

it("publishes a submission's audit job under the environment's prefix, not the default one", async () => {
  const developer = await platform.developers.create({ email: "prefix@example.com", name: "Prefix" });
  const submission = await platform.submissions.create(developer.id, samplePackedRuntime());
  expect(await auditJobsFor(env.queuePrefix, submission.id)).toBe(1);
  expect(await auditJobsFor(DEFAULT_PREFIX, submission.id)).toBe(0);
});

it("removes every key under its own prefix and none under another", async () => {
  const mine = `${env.queuePrefix}:scratch`;
  const neighbour = `${env.queuePrefix}x:scratch`; // shares the text, not the prefix
  await redis.set(`${mine}:a`, "1");
  await redis.set(`${mine}:b`, "1");
  await redis.set(neighbour, "1");
  try {
    const deleted = await deleteKeysUnder(env.config.redis.url, env.queuePrefix);
    expect(deleted).toBeGreaterThanOrEqual(2); // the two scratch keys, and the audit queue's keys from the test above
    expect(await redis.keys(`${env.queuePrefix}:*`)).toEqual([]);
    expect(await redis.exists(neighbour)).toBe(1);
  } finally {
    await redis.del(neighbour);
  }
});

it("skips Redis, without failing, when it cannot be reached", async () => {
  await expect(deleteKeysUnder("redis://127.0.0.1:1", env.queuePrefix)).resolves.toBe(0);
});
