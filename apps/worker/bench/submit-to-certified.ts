// `npm run bench:e2e -w @assay/worker [-- --out file]` (also `npm run bench`; tsx runs with the API's tsconfig because the API's decorators need it): wall time from the
// developer API's submit (POST /v1/developer/submissions with an API key) to
// the submission reading `certified` through the same API, for the reference
// runtime, audit-only (assembly not required) and with the demo validator
// agents (5 honest, 3 seats, 1 s phases that close early). The API (createApp, listening
// on an ephemeral port) and one worker (startWorkerApp, default settings: one
// audit at a time, the audit in its sandbox child) run in this process over a
// fresh PostgreSQL database and a private queue prefix on the configured Redis.
// Same-run baseline: the bare auditArtifact of the same artifact, suite and
// seed (child isolation, as the worker runs it) — the ratio is what the
// platform (HTTP, storage, queues, report, certificate signing) adds.
// Median of ROUNDS each. Writes JSON (default bench-results/submit-to-certified.json).
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { auditArtifact } from "@assay/audit";
import { BullJobPublisher, dropDatabase, JOB_NAMES, type SubmitRuntimeBody } from "@assay/platform";
import { MANIFEST_FILE, type AuditReport, type Manifest } from "@assay/protocol";
// The API app itself (not a workspace dependency of the worker: the bench only).
import { createApp, type ApiApp } from "../../api/src/app";
// The demo validator agents (apps/validators), in this process.
import { ValidatorRunner } from "../../validators/src/agent-runner";
import { parseMix } from "../../validators/src/profiles";
import { loadWorkerConfig } from "../src/config";
import { startWorkerApp } from "../src/worker-app";

const ROUNDS = 3;
const RUNTIME = "reference";
const REPO_ROOT = join(__dirname, "..", "..", "..");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function packedRuntime(name: string): { body: SubmitRuntimeBody; manifest: Manifest; bundleSource: string } {
  const dir = join(REPO_ROOT, "examples", "runtimes", name);
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

type Scenario = {
  name: string;
  env: Record<string, string>;
  /** Once the API listens: flags, validator agents. Returns how to stop what it started. */
  prepare?(api: ApiApp, url: string): Promise<() => void>;
};

type ScenarioResult = { scenario: string; e2eMs: number[]; auditMs: number[] };

/** One scenario: fresh database, private queue prefix, API + worker in this process, ROUNDS submissions. */
async function runScenario(scenario: Scenario): Promise<ScenarioResult> {
  const suffix = randomBytes(6).toString("hex");
  const artifactDir = mkdtempSync(join(tmpdir(), "assay-bench-artifacts-"));
  const baseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/assay";
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: baseUrl.replace(/\/[^/?]+(\?|$)/, `/assay_bench_e2e_${suffix}$1`),
    ASSAY_ARTIFACT_DIR: artifactDir,
    ASSAY_LOG_LEVEL: "silent",
    ASSAY_QUEUE_PREFIX: `assay-bench-e2e-${suffix}`,
    ...scenario.env,
  };
  const config = loadWorkerConfig(env);
  const api = await createApp(config.app, { publisher: new BullJobPublisher(config.app.redis.url, config.worker.queuePrefix) });
  await api.app.listen(0, "127.0.0.1");
  const url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  const worker = await startWorkerApp(config, { log: () => undefined });
  let stopPrepared: (() => void) | undefined;
  const runtime = packedRuntime(RUNTIME);
  const e2eMs: number[] = [];
  const auditMs: number[] = [];
  try {
    stopPrepared = await scenario.prepare?.(api, url);
    const developer = await api.platform.developers.create({ email: `bench-${suffix}@example.test`, name: "Bench" });
    const { key } = await api.platform.apiKeys.create(developer.id, "bench");
    const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      const t0 = performance.now();
      const { id } = await call<{ id: string }>("POST", "/v1/developer/submissions", runtime.body);
      for (;;) {
        const { status } = await call<{ status: string }>("GET", `/v1/developer/submissions/${id}`);
        if (status === "certified") break;
        if (status === "rejected" || status === "failed" || status === "escalated") throw new Error(`${scenario.name}: submission ${id} ended ${status}`);
        if (performance.now() - t0 > 300_000) throw new Error(`${scenario.name}: submission ${id} not certified after 300 s (status ${status})`);
        await new Promise((r) => setTimeout(r, 20));
      }
      e2eMs.push(performance.now() - t0);
      // Baseline: the same artifact, suite and seed through the bare audit entry point.
      const { report } = await call<{ report: AuditReport }>("GET", `/v1/developer/submissions/${id}/report`);
      const t1 = performance.now();
      await auditArtifact({
        manifest: runtime.manifest,
        bundleSource: runtime.bundleSource,
        subjectDigest: report.subject.digest as `0x${string}`,
        suite: report.suite.id,
        seed: report.seed,
        isolation: "child",
      });
      auditMs.push(performance.now() - t1);
    }
  } finally {
    stopPrepared?.();
    await worker.close();
    const publisher = new BullJobPublisher(config.app.redis.url, config.worker.queuePrefix);
    for (const name of JOB_NAMES) await publisher.queue(name).obliterate({ force: true }).catch(() => undefined);
    await publisher.close();
    await api.close();
    await dropDatabase(config.app.database);
    rmSync(artifactDir, { recursive: true, force: true });
  }
  return { scenario: scenario.name, e2eMs, auditMs };
}

const SCENARIOS: Scenario[] = [
  { name: "audit-only", env: { ASSAY_ASSEMBLY_REQUIRED: "false" } },
  {
    name: "with-demo-validators",
    env: { ASSAY_ASSEMBLY_REQUIRED: "true" },
    // Five honest demo agents (apps/validators, over HTTP like any client), three seats, one-second phases.
    async prepare(api, url) {
      await api.platform.flags.update(
        { "assembly.seatCount": 3, "assembly.maxRounds": 2, "assembly.reviewSeconds": 1, "assembly.commitSeconds": 1, "assembly.revealSeconds": 1 },
        "bench",
      );
      const runner = new ValidatorRunner({ baseUrl: url, profiles: parseMix("honest:5"), pollMs: 100 });
      await runner.activateAll();
      runner.start();
      return () => runner.stop();
    },
  },
];

async function main(): Promise<void> {
  const outArg = process.argv.indexOf("--out");
  const out = outArg > 0 ? process.argv[outArg + 1]! : join(__dirname, "..", "bench-results", "submit-to-certified.json");
  const results = [];
  for (const scenario of SCENARIOS) {
    const run = await runScenario(scenario);
    const e2eMedian = median(run.e2eMs);
    const auditMedian = median(run.auditMs);
    results.push({
      scenario: run.scenario,
      submitToCertifiedMs: { median: Math.round(e2eMedian), runs: run.e2eMs.map(Math.round) },
      baselineAuditArtifactMs: { median: Math.round(auditMedian), runs: run.auditMs.map(Math.round) },
      ratio: Number((e2eMedian / auditMedian).toFixed(2)),
      platformOverheadMs: Math.round(e2eMedian - auditMedian),
    });
  }
  const document = {
    bench: "submit-to-certified",
    what: "POST /v1/developer/submissions → GET /v1/developer/submissions/:id reads certified (polled every 20 ms), reference runtime; API (createApp) and one worker (default settings) in one process. audit-only: ASSAY_ASSEMBLY_REQUIRED=false. with-demo-validators: assembly required, 5 honest demo agents (apps/validators ValidatorRunner, HTTP, 100 ms poll), 3 seats, review/commit/reveal 1 s each (phases close early once every seat has acted, so the assembly adds well under 3 s)",
    baseline: "bare auditArtifact of the same artifact, suite and seed, child isolation, same run",
    setup: "local PostgreSQL (fresh database per scenario), local Redis (private queue prefix)",
    at: new Date().toISOString(),
    rounds: ROUNDS,
    results,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(document)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
