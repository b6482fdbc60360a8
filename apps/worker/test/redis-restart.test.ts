// A real Redis stop/restart: a private redis-server (never the shared one) is
// SIGKILLed while a worker process is mid-audit, and a new, empty one is
// started on the same port — every queue, job and lock is gone. The worker
// reconnects, and the reconciler re-enqueues the lost job from the database:
// the submission still ends certified exactly once (one report, one certificate).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import type { Platform } from "@assay/platform";
import { Redis } from "ioredis";
import { createApiPlatform, createDeveloper, createTestEnv, exited, packedRuntime, spawnWorker, waitFor, waitForStatus, type TestEnv } from "./helpers";

// Worst case of the waits below (start 120 s, audits under way 120 s, Redis 30 s, the three ends 240 s) plus slack.
jest.setTimeout(600_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const redisChildren = new Set<ChildProcess>();

/** A private, memory-only redis-server on `port`; resolves once it answers PING. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  redisChildren.add(child);
  const probe = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${child.exitCode}`);
        try {
          if (probe.status !== "ready") await probe.connect();
          return (await probe.ping()) === "PONG";
        } catch {
          probe.disconnect();
          return false;
        }
      },
      `redis-server on port ${port} to answer`,
      30_000,
      100,
    );
  } finally {
    probe.disconnect();
  }
  return child;
}

/** The server's run id (a new random one per redis-server process) and how many keys it holds. */
async function serverState(port: number): Promise<{ runId: string; keys: number }> {
  const client = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
  try {
    const info = await client.info("server");
    const runId = /run_id:([0-9a-f]+)/.exec(info)?.[1];
    if (!runId) throw new Error("redis INFO has no run_id");
    return { runId, keys: await client.dbsize() };
  } finally {
    client.disconnect();
  }
}

let port: number;
let env: TestEnv;
let api: Platform;
let developerId: string;

beforeAll(async () => {
  port = await freePort();
  await startRedis(port);
  env = createTestEnv({ REDIS_URL: `redis://127.0.0.1:${port}` });
  api = await createApiPlatform(env.config);
  developerId = await createDeveloper(api);
});

afterAll(async () => {
  await api?.close().catch(() => undefined);
  // Queue obliteration needs a Redis; the private one may be gone, so only the database is dropped here.
  await env?.cleanup().catch(() => undefined);
  for (const child of redisChildren) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await Promise.all([...redisChildren].map((c) => exited(c)));
});

async function expectFinishedOnce(submissionId: string) {
  expect(await api.db.auditReport.count({ where: { auditRun: { submissionId } } })).toBe(1);
  expect(await api.db.certificate.count({ where: { submissionId } })).toBe(1);
  const transitions = await api.db.submissionTransition.findMany({ where: { submissionId }, orderBy: { createdAt: "asc" } });
  expect(transitions.map((t) => `${t.fromStatus ?? "-"}>${t.toStatus}`)).toEqual(["->received", "received>auditing", "auditing>in_assembly", "in_assembly>certified"]);
}

it("finishes every submission exactly once when Redis is killed mid-audit and restarted empty", async () => {
  const worker = spawnWorker(env.env);
  const workerOutput = () => worker.output.join("");
  try {
    await waitFor(async () => workerOutput().includes("worker started") || worker.exitCode !== null, "the worker process to start", 120_000);
    expect(worker.exitCode).toBeNull();
    // Concurrency 2 (test env): two audits run, the third job waits in Redis.
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await api.submissions.create(developerId, packedRuntime("reference"))).id);
    await waitFor(
      async () => {
        const views = await Promise.all(ids.map((id) => api.submissions.get(id)));
        const running = views.filter((v) => v.status === "auditing" && (v.progress.turnsCompleted ?? 0) > 50);
        return running.length === 2 && views.some((v) => v.status === "received");
      },
      "two audits under way and one waiting in the queue",
      120_000,
      20,
    );
    const [first] = [...redisChildren];
    const before = await serverState(port);
    expect(before.keys).toBeGreaterThan(0);
    first!.kill("SIGKILL");
    await exited(first!);
    const atKill = await Promise.all(ids.map((id) => api.submissions.get(id)));
    expect(atKill.map((v) => v.status).sort()).toEqual(["auditing", "auditing", "received"]);
    // A fresh server on the same port, without persistence: every queue, job and lock is gone. (Its key
    // count is no proof: the worker reconnects within milliseconds and writes its own keys again.)
    await startRedis(port);
    expect((await serverState(port)).runId).not.toBe(before.runId);

    // One deadline for all three, inside jest's timeout, so that a stall fails with the worker's output.
    const deadline = Date.now() + 240_000;
    for (const id of ids) {
      const done = await waitForStatus(api, id, ["certified", "rejected", "failed"], Math.max(1_000, deadline - Date.now())).catch((e: Error) => {
        throw new Error(`${e.message}\nworker output:\n${workerOutput().slice(-4000)}`);
      });
      expect(done.status).toBe("certified");
    }
    // The same process lived through the outage, and the waiting job (lost with
    // Redis, never started) came back only through the reconciler.
    expect(worker.exitCode).toBeNull();
    expect(workerOutput()).toMatch(/re-enqueueing a lost job/);
    for (const id of ids) await expectFinishedOnce(id);
  } finally {
    worker.kill("SIGTERM");
    await exited(worker);
  }
});
