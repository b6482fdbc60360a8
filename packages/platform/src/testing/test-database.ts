// Test support shared by the platform's and the apps' tests: a fresh, migrated
// PostgreSQL database per test file (dropped afterwards), artifacts in a
// temporary directory, and queues under a unique Redis prefix.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, withDatabase, type AppConfig, type Env } from "../config/config";
import { dropDatabase } from "../db/database";

export type TestEnvironment = { config: AppConfig; queuePrefix: string; cleanup(): Promise<void> };

export function createTestEnvironment(env: Env = {}): TestEnvironment {
  const suffix = randomBytes(6).toString("hex");
  const artifactDir = mkdtempSync(join(tmpdir(), "assay-artifacts-"));
  const base = loadConfig({
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
    queuePrefix: `assay-test-${suffix}`,
    async cleanup() {
      await dropDatabase(config.database);
      rmSync(artifactDir, { recursive: true, force: true });
    },
  };
}
