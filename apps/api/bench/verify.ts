// Bench: POST /v1/public/verify against a bare node:http server that returns the
// same response bytes, at fixed concurrency, in the same run. Each server runs
// in its own child process; autocannon (the load generator) runs here, so no
// server shares an event loop with the client. Writes bench-results/verify.json.
//
//   npm run bench -w @assay/api      (env: BENCH_CONNECTIONS, BENCH_SECONDS)
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import autocannon from "autocannon";
import { createTestEnvironment, loadConfig, samplePackedRuntime, sampleUnsignedCertificate } from "@assay/platform";
import { createApp } from "../src/app";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
/** Rounds alternate API and bare so background load on the machine hits both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WARMUP_SECONDS = 3;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 20;

type Role = { kind: "api"; databaseUrl: string; artifactDir: string } | { kind: "bare"; contentType: string; bodyBase64: string };

async function serve(role: Role): Promise<void> {
  if (role.kind === "bare") {
    const body = Buffer.from(role.bodyBase64, "base64");
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": role.contentType, "content-length": body.length });
        res.end(body);
      });
    });
    server.listen(0, "127.0.0.1", () => console.log(`PORT ${(server.address() as AddressInfo).port}`));
    return;
  }
  // The rate limiter stays on (its cost is part of the figure) with a limit the bench cannot reach.
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: role.databaseUrl,
    ASSAY_ARTIFACT_DIR: role.artifactDir,
    ASSAY_PUBLIC_RATE_LIMIT: "1000000000",
    ASSAY_LOG_LEVEL: "error",
  });
  const { app } = await createApp(config);
  // Exit cleanly on SIGINT so a --cpu-prof profile gets written.
  process.on("SIGINT", () => process.exit(0));
  await app.listen(0, "127.0.0.1");
  console.log(`PORT ${(app.getHttpServer().address() as AddressInfo).port}`);
}

function startServer(role: Role): Promise<{ child: ChildProcess; url: string }> {
  const tsx = join(require.resolve("tsx/package.json"), "..", "dist", "cli.mjs");
  // BENCH_CPU_PROF=<dir>: write a V8 CPU profile of the API server process there.
  // (tsx runs the script in a child process, hence NODE_OPTIONS.)
  const profile = role.kind === "api" && process.env.BENCH_CPU_PROF ? `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROF}` : "";
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} ${profile}`.trim() };
  const child = spawn(process.execPath, [tsx, __filename, "--serve", JSON.stringify(role)], { stdio: ["ignore", "pipe", "inherit"], env });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const port = /PORT (\d+)/.exec(out)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}` });
    });
    child.on("exit", (code) => reject(new Error(`${role.kind} server exited with ${code}`)));
  });
}

type Figures = {
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  /** The worst round's p99: what the pass criterion uses. */
  p99MsWorstRound: number;
  maxMs: number;
  requests: number;
  non2xx: number;
  errors: number;
};

async function load(url: string, body: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/v1/public/verify`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    connections: CONNECTIONS,
    duration: seconds,
  });
}

/** Throughput over all rounds; latency percentiles as the median of the rounds' percentiles, plus the worst round's p99. */
function summarise(rounds: autocannon.Result[]): Figures & { rounds: { requestsPerSecond: number; p99Ms: number }[] } {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const requests = rounds.reduce((n, r) => n + r.requests.total, 0);
  const seconds = rounds.reduce((n, r) => n + r.duration, 0);
  return {
    requestsPerSecond: Math.round(requests / seconds),
    p50Ms: median(rounds.map((r) => r.latency.p50)),
    p90Ms: median(rounds.map((r) => r.latency.p90)),
    p99Ms: median(rounds.map((r) => r.latency.p99)),
    p99MsWorstRound: Math.max(...rounds.map((r) => r.latency.p99)),
    maxMs: Math.max(...rounds.map((r) => r.latency.max)),
    requests,
    non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    rounds: rounds.map((r) => ({ requestsPerSecond: Math.round(r.requests.total / r.duration), p99Ms: r.latency.p99 })),
  };
}

async function main(): Promise<void> {
  const env = createTestEnvironment({ ASSAY_LOG_LEVEL: "error" });
  const children: ChildProcess[] = [];
  try {
    // Seed: a database with one issued certificate.
    const seeded = await createApp(env.config);
    const dev = await seeded.platform.developers.create({ email: "bench@example.com", name: "Bench" });
    const sub = await seeded.platform.submissions.create(dev.id, samplePackedRuntime());
    await seeded.platform.submissions.transition(sub.id, "auditing", { actor: "bench" });
    await seeded.platform.submissions.transition(sub.id, "in_assembly", { actor: "bench" });
    const document = await seeded.platform.certificates.issue(
      sub.id,
      sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }),
      "bench",
    );
    await seeded.close();
    const body = JSON.stringify(document);

    const api = await startServer({ kind: "api", databaseUrl: env.config.database.url, artifactDir: env.config.artifacts.dir });
    children.push(api.child);
    const probe = await fetch(`${api.url}/v1/public/verify`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const responseBytes = Buffer.from(await probe.arrayBuffer());
    const verdict = JSON.parse(responseBytes.toString("utf8")) as { valid: boolean };
    if (probe.status !== 200 || !verdict.valid) throw new Error(`verify probe failed: ${probe.status} ${responseBytes}`);
    const bare = await startServer({ kind: "bare", contentType: probe.headers.get("content-type") ?? "application/json", bodyBase64: responseBytes.toString("base64") });
    children.push(bare.child);

    await load(api.url, body, WARMUP_SECONDS);
    await load(bare.url, body, WARMUP_SECONDS);
    const apiRounds: autocannon.Result[] = [];
    const bareRounds: autocannon.Result[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      apiRounds.push(await load(api.url, body, SECONDS / ROUNDS));
      bareRounds.push(await load(bare.url, body, SECONDS / ROUNDS));
    }
    const apiFigures = summarise(apiRounds);
    const bareFigures = summarise(bareRounds);
    const ratio = Math.round((apiFigures.requestsPerSecond / bareFigures.requestsPerSecond) * 1000) / 1000;
    const result = {
      benchmark: "POST /v1/public/verify vs bare node:http returning the same bytes",
      date: new Date().toISOString(),
      node: process.version,
      cpus: (await import("node:os")).cpus().length,
      connections: CONNECTIONS,
      durationSeconds: SECONDS,
      rounds: ROUNDS,
      loadAverageAtEnd: (await import("node:os")).loadavg()[0],
      responseBytes: responseBytes.length,
      requestBytes: Buffer.byteLength(body),
      api: apiFigures,
      bare: bareFigures,
      throughputRatio: ratio,
      targets: { throughputRatioAtLeast: TARGET_RATIO, p99MsBelow: TARGET_P99_MS },
      pass: ratio >= TARGET_RATIO && apiFigures.p99MsWorstRound < TARGET_P99_MS && apiFigures.non2xx === 0 && apiFigures.errors === 0,
    };
    const outDir = join(__dirname, "..", "bench-results");
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "verify.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    for (const child of children) child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 1_000));
    await env.cleanup();
  }
}

const serveIndex = process.argv.indexOf("--serve");
if (serveIndex !== -1) {
  serve(JSON.parse(process.argv[serveIndex + 1]!) as Role).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
