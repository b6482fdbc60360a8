// `npm run bench -w @assay/protocol` → bench-results/status-list.json
// Status-list generation for 10^6 certificates (docs/decisions/0022), in memory:
// from each certificate's (index, status) to the signed list — the withdrawn
// indexes, the bitstring, its GZIP (node:zlib, default level 6, as the platform's
// publisher) and multibase base64url, the JCS payload and its EdDSA JWS —
// median of 7 runs at three withdrawal rates. Same-run baseline: GZIP alone of
// an equally sized buffer (the same bitstring bytes), i.e. the floor any
// compressed bitmap pays; the ratio is generation / baseline. Also the
// verifier's side: verify the JWS, inflate, read one bit.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { bitstringOf, buildStatusList, checkStatusList, generateSigningKey, publicJwks, signStatusList, statusListSize, type Gzip } from "../src";

const CERTIFICATES = 1_000_000;
const RATES = [0.001, 0.01, 0.1];
const RUNS = 7;
const gzip: Gzip = { gzip: (b) => gzipSync(b), gunzip: (b, max) => gunzipSync(b, { maxOutputLength: max }) };
const round3 = (x: number) => Math.round(x * 1_000) / 1_000;
const median = (xs: number[]) => round3([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);

// mulberry32: a seeded generator with 32-bit state (Math.imul keeps it exact).
let seed = 0x5eed;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

type Status = 0 | 1 | 2 | 3; // active, suspended, revoked, expired
const ISSUER = "assay-bench";
const LIST = `${ISSUER}/status-list/1`;

async function main(): Promise<void> {
  const key = await generateSigningKey();
  const signer = { privateKey: key.privateJwk, kid: key.kid };
  const jwks = publicJwks([key]) as { keys: Record<string, unknown>[] };
  const results: Record<string, unknown>[] = [];
  for (const rate of RATES) {
    // The certificates as the publisher reads them: index i has status statuses[i].
    const statuses = new Uint8Array(CERTIFICATES) as Uint8Array & Status[];
    for (let i = 0; i < CERTIFICATES; i++) statuses[i] = random() < rate ? (random() < 0.5 ? 1 : 2) : random() < 0.05 ? 3 : 0;
    const generateMs: number[] = [];
    const baselineMs: number[] = [];
    const phases = { scanMs: [] as number[], buildMs: [] as number[], signMs: [] as number[] };
    let jws = "";
    let compressedBytes = 0;
    for (let run = 0; run < RUNS + 1; run++) {
      const t0 = performance.now();
      const withdrawn: number[] = [];
      for (let i = 0; i < CERTIFICATES; i++) if (statuses[i] === 1 || statuses[i] === 2) withdrawn.push(i);
      const scanned = performance.now();
      const { payload } = await buildStatusList(
        { id: LIST, issuer: ISSUER, sequence: run + 1, publishedAt: new Date("2026-12-02T08:00:00Z"), validUntil: new Date("2026-12-03T08:00:00Z"), highestIndex: CERTIFICATES - 1, withdrawn },
        gzip,
      );
      const built = performance.now();
      jws = await signStatusList(payload, signer);
      const generate = performance.now() - t0;
      if (run > 0) {
        phases.scanMs.push(scanned - t0);
        phases.buildMs.push(built - scanned);
        phases.signMs.push(performance.now() - built);
      }
      // Baseline: GZIP alone of an equally sized buffer holding the same bits.
      const same = bitstringOf(statusListSize(CERTIFICATES - 1), withdrawn);
      const t1 = performance.now();
      compressedBytes = gzipSync(same).length;
      const baseline = performance.now() - t1;
      if (run > 0) {
        generateMs.push(generate);
        baselineMs.push(baseline);
      }
    }
    const verifyMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      const result = await checkStatusList({ document: fakeV3(Math.floor(random() * CERTIFICATES), key.kid), list: jws, jwks, issuer: ISSUER, now: new Date("2026-12-02T09:00:00Z"), gzip });
      verifyMs.push(performance.now() - t0);
      if (result.withdrawn === null) throw new Error(result.check.detail);
    }
    const row = {
      certificates: CERTIFICATES,
      withdrawnRate: rate,
      listBits: statusListSize(CERTIFICATES - 1),
      generateMedianMs: median(generateMs),
      baselineGzipMedianMs: median(baselineMs),
      ratio: round3(median(generateMs) / median(baselineMs)),
      phasesMedianMs: { scanStatuses: median(phases.scanMs), bitstringGzipBase64: median(phases.buildMs), jcsAndSign: median(phases.signMs) },
      gzipBytes: compressedBytes,
      jwsBytes: jws.length,
      verifierCheckMedianMs: median(verifyMs),
    };
    results.push(row);
    console.log(JSON.stringify(row));
  }
  const out = resolve(__dirname, "..", "bench-results", "status-list.json");
  mkdirSync(resolve(out, ".."), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        machine: { cpus: cpus().length, loadavg: loadavg().map(round3) },
        what: "in memory: (index, status) of 10^6 certificates → withdrawn indexes → bitstring → gzip (node:zlib, default level 6) → base64url → JCS payload → EdDSA JWS; baseline: gzip alone of the same-sized bitstring; median of 7 runs",
        results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${out}`);
}

function fakeV3(index: number, kid: string): unknown {
  const hex = (c: string) => `0x${c.repeat(64)}`;
  return {
    payload: {
      format: "assay.certificate/v3",
      subject: { name: "bench", version: "1.0.0", digest: hex("a") },
      claims: ["SRIP-03"],
      claimsNotGranted: [],
      audit: { suite: { id: "core", version: "1" }, seed: 1, engine: { name: "e", version: "1" }, metrics: [], findingsDigest: hex("b"), reportDigest: hex("c"), criticalFindings: 0 },
      assembly: null,
      verdict: "certified",
      level: "audit-only",
      issuedAt: "2026-01-01T00:00:00Z",
      validUntil: "2027-01-01T00:00:00Z",
      supersedes: null,
      issuer: { id: ISSUER, kid },
      credentialStatus: { list: LIST, index },
    },
  };
}

void main();
