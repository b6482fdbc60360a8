// Test support shared by the platform's and the apps' tests: a fresh, migrated
// PostgreSQL database per test file (dropped afterwards), artifacts in a
// temporary directory, and queues under a unique Redis prefix.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { loadConfig, withDatabase, type AppConfig, type Env } from "../config/config";
import { dropDatabase } from "../db/database";

export type TestEnvironment = { config: AppConfig; queuePrefix: string; cleanup(): Promise<void> };

export function createTestEnvironment(env: Env = {}): TestEnvironment {
  const suffix = randomBytes(6).toString("hex");
  const artifactDir = mkdtempSync(join(tmpdir(), "assay-artifacts-"));
  // Why in the config and not only returned: a platform built from this config without an explicit
  // publisher publishes under config.queues.prefix, and the default ("assay") is the namespace a
  // local `npm start` consumes. Tests and benches published thousands of jobs there, which the
  // demo's workers then failed ("no submission") and Redis kept.
  const ownPrefix = `assay-test-${suffix}`;
  const base = loadConfig({
    ASSAY_QUEUE_PREFIX: ownPrefix,
    NODE_ENV: "test",
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    ASSAY_ARTIFACT_DIR: artifactDir,
    ASSAY_LOG_LEVEL: "silent",
    // Suites exercise the audit-only path unless they ask for assemblies (ASSAY_ASSEMBLY_REQUIRED: "true").
    ASSAY_ASSEMBLY_REQUIRED: "false",
    // Suites that are not about money run unpriced; money tests set ASSAY_BILLING_ENFORCED: "true" (docs/money.md).
    ASSAY_BILLING_ENFORCED: "false",
    ...env,
  });
  const config = withDatabase(base, `assay_test_${suffix}`);
  return {
    config,
    queuePrefix: config.queues.prefix,
    async cleanup() {
      await dropDatabase(config.database);
      rmSync(artifactDir, { recursive: true, force: true });
      // A prefix the caller named may be shared; only this environment's own is removed.
      if (config.queues.prefix === ownPrefix) await deleteKeysUnder(config.redis.url, ownPrefix);
    },
  };
}

/**
 * Removes every Redis key of a queue prefix (BullMQ keys are `<prefix>:<queue>:...`). Best effort:
 * a test that took Redis down must still clean up its database, so an unreachable Redis is skipped.
 */
export async function deleteKeysUnder(redisUrl: string, prefix: string): Promise<number> {
  // One attempt, bounded by our own unref'd timer; a short disconnect timeout, because ioredis's
  // (2 s, not unref'd) outlives a refused connection and would hold the test process open.
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 0, disconnectTimeout: 100, retryStrategy: () => null });
  redis.on("error", () => undefined);
  let deleted = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      setTimeout(() => reject(new Error("redis connect timeout")), 2_000).unref();
      redis.connect().then(resolve, reject);
    });
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== "0");
  } catch {
    // Redis unreachable: nothing to remove from it now.
  } finally {
    redis.disconnect();
  }
  return deleted;
}
