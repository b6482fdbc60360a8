// Test support: a fresh PostgreSQL database and Redis prefix per test file, an
// "API side" platform that creates submissions like the developer API does,
// reference runtimes packed as submission bodies, and waiting for a status.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MANIFEST_FILE } from "@assay/protocol";
import {
  BullJobPublisher,
  createPlatform,
  dropDatabase,
  JOB_NAMES,
  type Platform,
  type SubmissionStatus,
  type SubmitRuntimeBody,
} from "@assay/platform";
import { loadWorkerConfig, type WorkerConfig } from "../src/config";
import { WORKER_NODE_FLAGS } from "../src/node-flags";

export const REPO_ROOT = join(__dirname, "..", "..", "..");
export const WORKER_DIR = join(__dirname, "..");

export type TestEnv = { env: Record<string, string>; config: WorkerConfig; cleanup(): Promise<void> };

export function createTestEnv(overrides: Record<string, string> = {}): TestEnv {
  const suffix = randomBytes(6).toString("hex");
  const artifactDir = mkdtempSync(join(tmpdir(), "assay-worker-artifacts-"));
  const env: Record<string, string> = {
    NODE_ENV: "test",
    DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/assay_worker_test_${suffix}`,
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    ASSAY_ARTIFACT_DIR: artifactDir,
    ASSAY_LOG_LEVEL: "silent",
    ASSAY_QUEUE_PREFIX: `assay-worker-test-${suffix}`,
    ASSAY_WORKER_CONCURRENCY: "2",
    ASSAY_WORKER_LOCK_MS: "2000",
    ASSAY_WORKER_STALLED_INTERVAL_MS: "1000",
    ASSAY_RECONCILE_INTERVAL_MS: "500",
    ASSAY_RECONCILE_QUIET_MS: "2000",
    // Audit-only certification unless a test asks for assemblies.
    ASSAY_ASSEMBLY_REQUIRED: "false",
    // Suites that are not about money run unpriced, as in the platform's test environment (docs/money.md).
    ASSAY_BILLING_ENFORCED: "false",
    ...overrides,
  };
  const config = loadWorkerConfig(env);
  return {
    env,
    config,
    async cleanup() {
      await obliterateQueues(config);
      await dropDatabase(config.app.database);
      rmSync(artifactDir, { recursive: true, force: true });
    },
  };
}

/** Deletes every queue of the test's prefix (also simulates losing Redis's data). */
export async function obliterateQueues(config: WorkerConfig): Promise<void> {
  const publisher = new BullJobPublisher(config.app.redis.url, config.worker.queuePrefix);
  try {
    for (const name of JOB_NAMES) await publisher.queue(name).obliterate({ force: true });
  } finally {
    await publisher.close();
  }
}

/** The platform as the API process has it: creates submissions and enqueues through the outbox. */
export function createApiPlatform(config: WorkerConfig): Promise<Platform> {
  return createPlatform(config.app, { publisher: new BullJobPublisher(config.app.redis.url, config.worker.queuePrefix) });
}

export function packedRuntime(name: string): SubmitRuntimeBody {
  const dir = join(REPO_ROOT, "examples", "runtimes", name);
  const manifestText = readFileSync(join(dir, MANIFEST_FILE), "utf8");
  const manifest = JSON.parse(manifestText) as { entry: string };
  return {
    manifest,
    files: [
      { path: MANIFEST_FILE, contentBase64: Buffer.from(manifestText).toString("base64") },
      { path: manifest.entry, contentBase64: readFileSync(join(dir, manifest.entry)).toString("base64") },
    ],
  };
}

let developerCount = 0;
export async function createDeveloper(platform: Platform): Promise<string> {
  developerCount += 1;
  const dev = await platform.developers.create({ email: `dev${developerCount}-${randomBytes(3).toString("hex")}@example.test`, name: "Test Developer" });
  return dev.id;
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function waitForStatus(platform: Platform, id: string, statuses: SubmissionStatus[], timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const view = await platform.submissions.get(id);
      return statuses.includes(view.status) ? view : null;
    },
    `submission ${id} to reach ${statuses.join("|")}`,
    timeoutMs,
  );
}

const spawnedWorkers = new Set<ChildProcess>();

// A test that fails before stopping its worker process must not leave it
// running: its open pipes would keep jest from exiting. Registered once per
// test file that imports these helpers.
afterAll(() => {
  for (const child of spawnedWorkers) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** A worker process (`src/main.ts` under tsx), as the launcher starts it. */
export function spawnWorker(env: Record<string, string>): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, "--import", "tsx", join(WORKER_DIR, "src", "main.ts")], {
    cwd: WORKER_DIR,
    env: { ...process.env, ...env, ASSAY_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout?.on("data", (d: Buffer) => child.output.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => child.output.push(d.toString()));
  spawnedWorkers.add(child);
  return child;
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}
