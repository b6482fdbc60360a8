// `npm run bench:intake -w @assay/worker [-- --out file]` (also part of `npm run bench`):
// intake under backlog and certified throughput per worker process count (issue 13,
// docs/decisions/0026). Everything runs as separate processes, as `npm start` runs
// them: the API (apps/api src/main.ts) and N worker processes (src/main.ts), over a
// fresh PostgreSQL database and a private queue prefix on the configured Redis.
//
// 1. Intake: BENCH_INTAKE (default 1,000) POST /v1/developer/submissions of the
//    reference runtime, from 4 developers (API keys) round-robin, as fast as the API
//    accepts them (autocannon, BENCH_INTAKE_CONNECTIONS = 16, a fixed amount):
//    requests/s and latency percentiles; then the drain with 2 worker processes: time
//    from the first POST and from the last answer until every submission is terminal.
//    Drained = audit-only certification (ASSAY_ASSEMBLY_REQUIRED=false): each
//    submission is audited in its sandbox child (suite core) and its certificate
//    signed and stored; no assembly. Then: nothing lost (every 2xx is a submission row;
//    every row terminal), nothing audited twice (one audit run and one report per
//    submission), and RSS of the API and worker processes at start vs end (bound:
//    MEMORY_BOUND_MIB growth per process).
// 2. Throughput: BENCH_THROUGHPUT (default 8) submissions certified with 1, 2 and 4
//    worker processes (fresh database each), per minute; same-run baseline: the bare
//    auditArtifact of the same artifact (child isolation) — k processes can at most
//    reach min(k, cores) × 60 / auditSeconds per minute.
// Absolute figures depend on the machine's load; the JSON records the load average.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { auditArtifact } from "@assay/audit";
import { BullJobPublisher, createPlatform, dropDatabase, JOB_NAMES, loadConfig, type Platform, type SubmitRuntimeBody } from "@assay/platform";
import { MANIFEST_FILE, type Manifest } from "@assay/protocol";
import { WORKER_NODE_FLAGS } from "../src/node-flags";

const INTAKE = Number(process.env.BENCH_INTAKE ?? 1_000);
const INTAKE_CONNECTIONS = Number(process.env.BENCH_INTAKE_CONNECTIONS ?? 16);
const THROUGHPUT = Number(process.env.BENCH_THROUGHPUT ?? 8);
/** "none" skips the throughput runs. */
const WORKER_COUNTS = (process.env.BENCH_WORKER_COUNTS ?? "1,2,4").split(",").map(Number).filter((k) => Number.isInteger(k) && k > 0);
const DEVELOPERS = 4;
const MEMORY_BOUND_MIB = 150;
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_TIMEOUT_MS ?? 3 * 3600_000);
const REPO_ROOT = join(__dirname, "..", "..", "..");
const TERMINAL = ["certified", "rejected", "failed"];

function packedReference(): { body: SubmitRuntimeBody; manifest: Manifest; bundleSource: string } {
  const dir = join(REPO_ROOT, "examples", "runtimes", "reference");
  const manifestText = readFileSync(join(dir, MANIFEST_FILE), "utf8");
  const manifest = JSON.parse(manifestText) as Manifest;
  const bundleSource = readFileSync(join(dir, manifest.entry), "utf8");
  return {
    manifest,
    bundleSource,
    body: {
      manifest: manifest as SubmitRuntimeBody["manifest"],
      files: [
        { path: MANIFEST_FILE, contentBase64: Buffer.from(manifestText).toString("base64") },
        { path: manifest.entry, contentBase64: Buffer.from(bundleSource).toString("base64") },
      ],
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

type Proc = ChildProcess & { output: string[] };

/** The worker processes' Node flags, as `npm start` runs them, + BENCH_WORKER_EXEC_ARGV (experiments on their memory); recorded in the JSON. */
const WORKER_EXEC_ARGV = [...WORKER_NODE_FLAGS, ...(process.env.BENCH_WORKER_EXEC_ARGV ?? "").split(/\s+/).filter(Boolean)];
/** When set, each worker process's output is appended to worker-<pid>.log in this directory. */
const WORKER_LOG_DIR = process.env.BENCH_WORKER_LOG_DIR ?? "";

function start(workspace: "api" | "worker", env: Record<string, string>, ready: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, [...(workspace === "worker" ? WORKER_EXEC_ARGV : []), "--import", "tsx", "src/main.ts"], {
    cwd: join(REPO_ROOT, "apps", workspace),
    env: { ...process.env, ...env, ASSAY_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  }) as Proc;
  child.output = [];
  const logFile = workspace === "worker" && WORKER_LOG_DIR ? join(WORKER_LOG_DIR, `worker-${child.pid}.log`) : null;
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      if (logFile) appendFileSync(logFile, d);
      child.output.push(d.toString());
      if (child.output.length > 200) child.output.splice(0, 100);
      if (ready.test(child.output.join(""))) resolve(child);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${workspace} exited with ${code}: ${child.output.join("").slice(-2000)}`)));
  });
}

async function stop(children: Proc[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once("exit", () => resolve());
          c.kill("SIGTERM");
          setTimeout(() => c.kill("SIGKILL"), 20_000).unref();
        }),
    ),
  );
}

/** Resident set size of a process, MiB (Linux /proc). */
function rssMiB(pid: number | undefined): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

type Stack = { env: Record<string, string>; platform: Platform; cleanup(): Promise<void> };

/** A fresh database and queue prefix; `platform` is the bench's own view (developers, keys, counting). */
async function freshStack(): Promise<Stack> {
  const suffix = randomBytes(6).toString("hex");
  const artifactDir = mkdtempSync(join(tmpdir(), "assay-bench-intake-"));
  const baseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/assay";
  const env: Record<string, string> = {
    NODE_ENV: "test",
    DATABASE_URL: baseUrl.replace(/\/[^/?]+(\?|$)/, `/assay_bench_intake_${suffix}$1`),
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    ASSAY_ARTIFACT_DIR: artifactDir,
    ASSAY_QUEUE_PREFIX: `assay-bench-intake-${suffix}`,
    // What is drained: audit-only certification (no assembly), unpriced.
    ASSAY_ASSEMBLY_REQUIRED: "false",
    ASSAY_BILLING_ENFORCED: "false",
    ASSAY_CHAIN_ENABLED: "false",
    // The intake must not be throttled by the developer plane's limits.
    ASSAY_PUBLIC_RATE_LIMIT: "1000000000",
  };
  const config = loadConfig(env);
  const platform = await createPlatform(config, { publisher: new BullJobPublisher(config.redis.url, config.queues.prefix) });
  return {
    env,
    platform,
    async cleanup() {
      await platform.close();
      const publisher = new BullJobPublisher(config.redis.url, config.queues.prefix);
      for (const name of JOB_NAMES) await publisher.queue(name).obliterate({ force: true }).catch(() => undefined);
      await publisher.close();
      await dropDatabase(config.database);
      rmSync(artifactDir, { recursive: true, force: true });
    },
  };
}

async function waitTerminal(platform: Platform, expected: number, timeoutMs: number, onPoll?: (terminal: number) => void): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const terminal = await platform.db.submission.count({ where: { status: { in: TERMINAL as never } } });
    onPoll?.(terminal);
    if (terminal >= expected) return performance.now();
    if (performance.now() - t0 > timeoutMs) throw new Error(`only ${terminal}/${expected} submissions terminal after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function intakePhase(runtime: SubmitRuntimeBody) {
  const stack = await freshStack();
  const children: Proc[] = [];
  try {
    const keys: string[] = [];
    for (let i = 0; i < DEVELOPERS; i++) {
      const dev = await stack.platform.developers.create({ email: `bench-intake-${i}-${randomBytes(3).toString("hex")}@example.test`, name: `Bench ${i}` });
      keys.push((await stack.platform.apiKeys.create(dev.id, "bench")).key);
    }
    const port = await freePort();
    const api = await start("api", { ...stack.env, ASSAY_API_PORT: String(port) }, /listening on/);
    children.push(api);
    const workers = await Promise.all([0, 1].map(() => start("worker", stack.env, /worker started/)));
    children.push(...workers);
    const url = `http://127.0.0.1:${port}`;
    const body = JSON.stringify(runtime);
    const memoryStart = { api: rssMiB(api.pid), workers: workers.map((w) => rssMiB(w.pid)) };

    const t0 = performance.now();
    const result = await autocannon({
      url,
      connections: Math.min(INTAKE_CONNECTIONS, INTAKE),
      amount: INTAKE,
      timeout: 120,
      requests: keys.map((key) => ({ method: "POST" as const, path: "/v1/developer/submissions", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body })),
    });
    const intakeEnd = performance.now();
    const accepted = result["2xx"];
    const rows = await stack.platform.db.submission.count();
    // RSS along the drain, every 100 submissions done: a leak grows with the count, a heap settling plateaus.
    const memoryAlongDrain: { terminal: number; api: number | null; workers: (number | null)[] }[] = [];
    // And the highest RSS any poll saw (every 250 ms): the swing of a heap between collections, not only where it ended.
    const peak = { api: memoryStart.api ?? 0, workers: memoryStart.workers.map((m) => m ?? 0) };
    const drainedAt = await waitTerminal(stack.platform, rows, DRAIN_TIMEOUT_MS, (terminal) => {
      peak.api = Math.max(peak.api, rssMiB(api.pid) ?? 0);
      peak.workers = peak.workers.map((m, i) => Math.max(m, rssMiB(workers[i]!.pid) ?? 0));
      const last = memoryAlongDrain.at(-1)?.terminal ?? -100;
      if (terminal >= last + 100) memoryAlongDrain.push({ terminal, api: rssMiB(api.pid), workers: workers.map((w) => rssMiB(w.pid)) });
    });
    // Let the last jobs' bookkeeping (completed-job records, outbox) settle before reading memory.
    await new Promise((r) => setTimeout(r, 2_000));
    const memoryEnd = { api: rssMiB(api.pid), workers: workers.map((w) => rssMiB(w.pid)) };

    const byStatus = await stack.platform.db.submission.groupBy({ by: ["status"], _count: true });
    const runsPerSubmission = await stack.platform.db.auditRun.groupBy({ by: ["submissionId"], _count: true });
    const reports = await stack.platform.db.auditReport.count();
    const certificates = await stack.platform.db.certificate.count();
    const growth = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((b - a) * 10) / 10);
    const growths = [growth(memoryStart.api, memoryEnd.api), ...memoryStart.workers.map((m, i) => growth(m, memoryEnd.workers[i]!))];
    return {
      submissions: INTAKE,
      developers: DEVELOPERS,
      connections: INTAKE_CONNECTIONS,
      requestBytes: Buffer.byteLength(body),
      intake: {
        seconds: Math.round((intakeEnd - t0) / 100) / 10,
        requestsPerSecond: Math.round((result.requests.total / ((intakeEnd - t0) / 1000)) * 10) / 10,
        latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
        accepted,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
      },
      drain: {
        workers: 2,
        what: "audit-only certification (ASSAY_ASSEMBLY_REQUIRED=false): sandbox audit (suite core) + signed certificate per submission",
        secondsFromFirstPost: Math.round((drainedAt - t0) / 100) / 10,
        secondsAfterIntake: Math.round((drainedAt - intakeEnd) / 100) / 10,
        certifiedPerMinute: Math.round((rows / ((drainedAt - t0) / 60_000)) * 10) / 10,
      },
      integrity: {
        rows,
        lost: accepted - rows,
        byStatus: Object.fromEntries(byStatus.map((g) => [g.status, g._count])),
        auditedTwice: runsPerSubmission.filter((g) => g._count > 1).length,
        withoutAuditRun: rows - runsPerSubmission.length,
        reports,
        certificates,
      },
      memoryMiB: { start: memoryStart, alongDrain: memoryAlongDrain, peakAlongDrain: peak, end: memoryEnd, growth: growths, boundPerProcess: MEMORY_BOUND_MIB, withinBound: growths.every((g) => g !== null && g <= MEMORY_BOUND_MIB) },
    };
  } finally {
    await stop(children);
    await stack.cleanup();
  }
}

async function throughputRun(workerCount: number, runtime: SubmitRuntimeBody) {
  const stack = await freshStack();
  const children: Proc[] = [];
  try {
    const dev = await stack.platform.developers.create({ email: `bench-tp-${randomBytes(3).toString("hex")}@example.test`, name: "Bench" });
    children.push(...(await Promise.all(Array.from({ length: workerCount }, () => start("worker", stack.env, /worker started/)))));
    const t0 = performance.now();
    for (let i = 0; i < THROUGHPUT; i++) await stack.platform.submissions.create(dev.id, runtime);
    const done = await waitTerminal(stack.platform, THROUGHPUT, DRAIN_TIMEOUT_MS);
    const certified = await stack.platform.db.submission.count({ where: { status: "certified" } });
    return { workerProcesses: workerCount, submissions: THROUGHPUT, certified, seconds: Math.round((done - t0) / 100) / 10, certifiedPerMinute: Math.round((certified / ((done - t0) / 60_000)) * 10) / 10 };
  } finally {
    await stop(children);
    await stack.cleanup();
  }
}

async function main(): Promise<void> {
  const outArg = process.argv.indexOf("--out");
  const out = outArg > 0 ? process.argv[outArg + 1]! : join(__dirname, "..", "bench-results", "intake-backlog.json");
  const runtime = packedReference();
  const loadAtStart = loadavg()[0];
  // Same-run baseline: the bare audit of the same artifact, as a worker runs it (child process).
  const baselineMs: number[] = [];
  for (let i = 0; i < Number(process.env.BENCH_BASELINE_RUNS ?? 2); i++) {
    const t = performance.now();
    await auditArtifact({ manifest: runtime.manifest, bundleSource: runtime.bundleSource, subjectDigest: `0x${"a".repeat(64)}`, suite: "core", seed: 1, isolation: "child" });
    baselineMs.push(performance.now() - t);
  }
  const auditSeconds = Math.min(...baselineMs) / 1000;
  const intake = INTAKE > 0 ? await intakePhase(runtime.body) : null;
  const throughput = [];
  for (const k of WORKER_COUNTS) {
    const run = await throughputRun(k, runtime.body);
    const ceiling = (Math.min(k, cpus().length) * 60) / auditSeconds;
    throughput.push({ ...run, ceilingPerMinute: Math.round(ceiling * 10) / 10, ofCeiling: Math.round((run.certifiedPerMinute / ceiling) * 100) / 100 });
  }
  const one = throughput.find((t) => t.workerProcesses === 1);
  const document = {
    bench: "intake-backlog",
    what: "intake of BENCH_INTAKE submissions (POST /v1/developer/submissions, 4 developers, autocannon) into an API process with 2 worker processes draining; then certified submissions per minute with 1, 2 and 4 worker processes",
    baseline: "bare auditArtifact of the reference runtime (suite core, child isolation) in this process, same run: best of BENCH_BASELINE_RUNS (2)",
    setup: "API and workers as separate processes (src/main.ts under tsx), local PostgreSQL (fresh database per phase), local Redis (private queue prefix); audit-only certification",
    workerExecArgv: WORKER_EXEC_ARGV,
    at: new Date().toISOString(),
    cpus: cpus().length,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] },
    baselineAuditSeconds: { best: Math.round(auditSeconds * 10) / 10, runs: baselineMs.map((m) => Math.round(m / 100) / 10) },
    intake,
    throughput: throughput.map((t) => ({ ...t, speedupOverOne: one ? Math.round((t.certifiedPerMinute / one.certifiedPerMinute) * 100) / 100 : null })),
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
