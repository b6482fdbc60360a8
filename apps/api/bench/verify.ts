// Bench: POST /v1/public/verify against a bare node:http server that returns the
// same response bytes, at fixed concurrency, in the same run. Each server runs
// in its own child process; autocannon (the load generator) runs here, so no
// server shares an event loop with the client. Writes bench-results/verify.json.
//
// Three scenarios (issue 13, docs/decisions/0026), each with its own same-run bare baseline:
//  - cached: one certificate, the same bytes every request (the in-process caches answer);
//  - corpus-cached: a corpus of BENCH_CORPUS (1,000) distinct certificates cycled, caches on;
//  - uncached: the same corpus with ASSAY_VERIFY_CACHE=false — every request parses and
//    validates the body, reads the certificate's status and anchor from PostgreSQL and
//    checks the Ed25519 signature (the JWKS stays in memory, as in any deployment).
// The corpus is issued through the platform's real services into a fresh bench database:
// submissions (intake), transitions, CertificateService.issue (v3 payload with an assembly
// block, signed with the active key, transparency-log entry, status-list index) — not 1,000
// audits — then anchored in batches of 256 (AnchorRepository.createBatch + confirm with real
// Merkle trees and proofs); the chain is off in the bench (a chain read per request would
// measure the Hardhat node), so the batches carry a synthetic transaction hash and block.
//
//   npm run bench -w @assay/api      (env: BENCH_CONNECTIONS, BENCH_SECONDS, BENCH_ROUNDS, BENCH_CORPUS, BENCH_ONLY=uncached)
import { createPublicKey, randomBytes, verify as verifySignature } from "node:crypto";
import { buildCertificateBatch } from "@assay/chain";
import type { CertificateDocument } from "@assay/protocol";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { AnchorRepository, createTestEnvironment, loadConfig, samplePackedRuntime, sampleUnsignedCertificate, type Platform } from "@assay/platform";
import { createApp } from "../src/app";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
/** Rounds alternate API and bare so background load on the machine hits both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WARMUP_SECONDS = 3;
const CORPUS = Number(process.env.BENCH_CORPUS ?? 1_000);
const TARGET_RATIO = 0.5;
const TARGET_UNCACHED_RATIO = 0.3;
const TARGET_P99_MS = 20;
const ANCHOR_BATCH = 256;
/** BENCH_ONLY=uncached: only the uncached scenario (and the Ed25519 ceiling), for iterating on that path. */
const ONLY_UNCACHED = process.env.BENCH_ONLY === "uncached";

type Role = { kind: "api"; databaseUrl: string; artifactDir: string; verifyCache: boolean } | { kind: "bare"; contentType: string; bodyBase64: string };

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
    ASSAY_VERIFY_CACHE: String(role.verifyCache),
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

/** Load with one body (every request the same bytes) or a corpus (autocannon cycles through the bodies on each connection). */
async function load(url: string, bodies: string[], seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/v1/public/verify`,
    method: "POST",
    headers: { "content-type": "application/json" },
    ...(bodies.length === 1 ? { body: bodies[0] } : { requests: bodies.map((body) => ({ method: "POST" as const, path: "/v1/public/verify", headers: { "content-type": "application/json" }, body })) }),
    connections: CONNECTIONS,
    duration: seconds,
  });
}

/**
 * The ceiling the uncached path cannot beat on this machine, measured in the same run: Ed25519
 * checks of the corpus's own signatures per second in one process, with nothing else (node:crypto
 * with the key imported once — what the API does per request, minus HTTP, JSON, schema, canonical
 * form, SHA-256 and the status read). Divided by the bare server's rate, it bounds the uncached ratio.
 */
async function signatureCeiling(apiUrl: string, documents: CertificateDocument[], seconds: number): Promise<{ checksPerSecond: number; microsecondsPerCheck: number; checks: number }> {
  const jwks = (await (await fetch(`${apiUrl}/.well-known/jwks.json`)).json()) as { keys: ({ kid: string } & Record<string, unknown>)[] };
  const keys = new Map(jwks.keys.map((k) => [k.kid, createPublicKey({ key: k, format: "jwk" })]));
  const inputs = documents.map((d) => {
    const [header, payload, signature] = d.jws.split(".") as [string, string, string];
    const kid = (JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { kid: string }).kid;
    return { key: keys.get(kid)!, data: Buffer.from(`${header}.${payload}`, "ascii"), signature: Buffer.from(signature, "base64url") };
  });
  let checks = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (let i = 0; i < 100; i++, checks++) {
      const input = inputs[checks % inputs.length]!;
      if (!verifySignature(null, input.data, input.key, input.signature)) throw new Error("a corpus signature did not verify");
    }
  }
  const elapsed = (performance.now() - t0) / 1000;
  return { checksPerSecond: Math.round(checks / elapsed), microsecondsPerCheck: Math.round((elapsed / checks) * 1e7) / 10, checks };
}

/** The corpus: CORPUS certificates issued through the platform's services, anchored in batches with real Merkle proofs. */
async function issueCorpus(platform: Platform, developerId: string, count: number): Promise<CertificateDocument[]> {
  const documents: CertificateDocument[] = [];
  const issueOne = async () => {
    const sub = await platform.submissions.create(developerId, samplePackedRuntime({ entrySource: `export const v = "${randomBytes(8).toString("hex")}";\n` }));
    await platform.submissions.transition(sub.id, "auditing", { actor: "bench" });
    await platform.submissions.transition(sub.id, "in_assembly", { actor: "bench" });
    documents.push(await platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "bench"));
  };
  // A few at a time: intake and issuance are independent per submission.
  for (let i = 0; i < count; i += 8) await Promise.all(Array.from({ length: Math.min(8, count - i) }, issueOne));
  const anchors = new AnchorRepository(platform.db);
  for (let i = 0; i < documents.length; i += ANCHOR_BATCH) {
    const ids = documents.slice(i, i + ANCHOR_BATCH).map((d) => d.id);
    const tree = buildCertificateBatch(ids);
    const batch = await anchors.createBatch({ root: tree.root, chainId: 31337, registry: `0x${"5".repeat(40)}`, tree: tree.dump() as object, members: ids.map((id) => ({ certificateId: id, proof: tree.proofOf(id as `0x${string}`) })), eventIds: [], at: new Date() });
    await anchors.confirm(batch.id, { txHash: `0x${randomBytes(32).toString("hex")}`, blockNumber: BigInt(100 + i / ANCHOR_BATCH) }, new Date());
  }
  // The documents as a verifier holds them: with their anchor (root, proof, tx, block).
  return Promise.all(documents.map(async (d) => (await platform.certificates.lookup(d.id)).document));
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

type ScenarioFigures = {
  scenario: string;
  what: string;
  distinctDocuments: number;
  responseBytes: number;
  api: ReturnType<typeof summarise>;
  bare: ReturnType<typeof summarise>;
  throughputRatio: number;
  p99Ratio: number;
};

/** Rounds alternate API and bare so background load on the machine hits both alike. */
async function measure(scenario: string, what: string, apiUrl: string, bodies: string[], children: ChildProcess[]): Promise<ScenarioFigures> {
  const probe = await fetch(`${apiUrl}/v1/public/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: bodies[0] });
  const responseBytes = Buffer.from(await probe.arrayBuffer());
  const verdict = JSON.parse(responseBytes.toString("utf8")) as { valid: boolean; checks: { name: string; ok: boolean; detail: string }[] };
  if (probe.status !== 200 || !verdict.valid) throw new Error(`verify probe failed: ${probe.status} ${responseBytes}`);
  const bare = await startServer({ kind: "bare", contentType: probe.headers.get("content-type") ?? "application/json", bodyBase64: responseBytes.toString("base64") });
  children.push(bare.child);
  await load(apiUrl, bodies, WARMUP_SECONDS);
  await load(bare.url, bodies, WARMUP_SECONDS);
  const apiRounds: autocannon.Result[] = [];
  const bareRounds: autocannon.Result[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    apiRounds.push(await load(apiUrl, bodies, SECONDS / ROUNDS));
    bareRounds.push(await load(bare.url, bodies, SECONDS / ROUNDS));
  }
  bare.child.kill("SIGINT");
  const api = summarise(apiRounds);
  const bareFigures = summarise(bareRounds);
  return {
    scenario,
    what,
    distinctDocuments: bodies.length,
    responseBytes: responseBytes.length,
    api,
    bare: bareFigures,
    throughputRatio: Math.round((api.requestsPerSecond / bareFigures.requestsPerSecond) * 1000) / 1000,
    p99Ratio: Math.round((api.p99Ms / Math.max(1, bareFigures.p99Ms)) * 100) / 100,
  };
}

async function main(): Promise<void> {
  const env = createTestEnvironment({ ASSAY_LOG_LEVEL: "error" });
  const children: ChildProcess[] = [];
  const os = await import("node:os");
  try {
    // Seed: a database with the corpus of issued, anchored certificates.
    const t0 = performance.now();
    const seeded = await createApp(env.config);
    const dev = await seeded.platform.developers.create({ email: "bench@example.com", name: "Bench" });
    const corpus = await issueCorpus(seeded.platform, dev.id, CORPUS);
    await seeded.close();
    const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
    const bodies = corpus.map((d) => JSON.stringify(d));
    const loadAverageAtStart = os.loadavg()[0];

    let cached: ScenarioFigures | null = null;
    let corpusCached: ScenarioFigures | null = null;
    if (!ONLY_UNCACHED) {
      const cachedApi = await startServer({ kind: "api", databaseUrl: env.config.database.url, artifactDir: env.config.artifacts.dir, verifyCache: true });
      children.push(cachedApi.child);
      cached = await measure("cached", "one certificate, the same request bytes every time, caches on", cachedApi.url, bodies.slice(0, 1), children);
      corpusCached = await measure("corpus-cached", `${bodies.length} distinct certificates cycled on each connection, caches on`, cachedApi.url, bodies, children);
      cachedApi.child.kill("SIGINT");
    }
    const uncachedApi = await startServer({ kind: "api", databaseUrl: env.config.database.url, artifactDir: env.config.artifacts.dir, verifyCache: false });
    children.push(uncachedApi.child);
    const uncached = await measure("uncached", `${bodies.length} distinct certificates, ASSAY_VERIFY_CACHE=false: parse + zod + status/anchor read from PostgreSQL + Ed25519 check per request`, uncachedApi.url, bodies, children);
    const ceiling = await signatureCeiling(uncachedApi.url, corpus, 3);

    const ok = (f: ScenarioFigures) => f.api.non2xx === 0 && f.api.errors === 0;
    const result = {
      benchmark: "POST /v1/public/verify vs bare node:http returning the same bytes, same run, per scenario",
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      connections: CONNECTIONS,
      durationSeconds: SECONDS,
      rounds: ROUNDS,
      corpus: { certificates: bodies.length, anchorBatches: Math.ceil(bodies.length / ANCHOR_BATCH), seedSeconds, how: "intake + CertificateService.issue (signed v3, assembly block, log entry) + AnchorRepository.createBatch/confirm (real Merkle proofs, synthetic tx; chain off)" },
      loadAverage: { atStart: loadAverageAtStart, atEnd: os.loadavg()[0] },
      scenarios: [cached, corpusCached, uncached].filter((f) => f !== null),
      // Ed25519 checks alone, one process, same run: ÷ the uncached scenario's bare rate bounds what any uncached verifier could reach.
      signatureCeiling: { ...ceiling, overUncachedBare: Math.round((ceiling.checksPerSecond / uncached.bare.requestsPerSecond) * 1000) / 1000 },
      targets: {
        cached: { throughputRatioAtLeast: TARGET_RATIO, p99MsBelow: TARGET_P99_MS },
        uncached: { throughputRatioAtLeast: TARGET_UNCACHED_RATIO, p99MsBelow: TARGET_P99_MS },
      },
      pass: {
        cached: cached === null ? null : ok(cached) && cached.throughputRatio >= TARGET_RATIO && cached.api.p99MsWorstRound < TARGET_P99_MS,
        uncached: ok(uncached) && uncached.throughputRatio >= TARGET_UNCACHED_RATIO && uncached.api.p99MsWorstRound < TARGET_P99_MS,
      },
    };
    const outDir = join(__dirname, "..", "bench-results");
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "verify.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGINT");
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
