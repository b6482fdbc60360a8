// `npm run soak` (root): a long-running load check, not a CI test (issue 14 §6).
// Starts the platform the way `npm start` does (the launcher, demo validators
// included; the web build is left out unless --web), then for a configurable
// duration submits the reference runtime at a steady rate while calling the
// public routes, and every sample interval records: the resident memory (RSS)
// of the API's and the worker's long-lived processes (and, beside, of the
// worker's audit children), the BullMQ queue depths, the submissions
// in flight, and the p50/p99 latency of the public routes in that interval.
// Writes <out>/soak-<date>.json and .svg and prints whether memory is flat.
//
// Flat memory (stated in the JSON and printed): the samples are cut in thirds;
// the first is warm-up. For each service's long-lived processes, the least-squares slope of RSS
// over the last two thirds is below FLAT_SLOPE_MIB_PER_HOUR (1 MiB a minute),
// and the mean of the last third is at most FLAT_FINAL_RATIO × the mean of the
// middle third. A leak of a submission's worth of state per submission
// shows as both; GC saw-teeth (±tens of MiB between one-minute samples) move
// neither much. Too short a run (under 6 samples) cannot be judged: not flat.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { dropDatabase, JOBS, type JobName } from "@assay/platform";
import { loadLauncherConfig } from "./config";
import { packRuntimeDirectory } from "./demo";
import { launch } from "./launch";
import { platformServices } from "./services";

export const FLAT_SLOPE_MIB_PER_HOUR = 60;
export const FLAT_FINAL_RATIO = 1.1;

export type SoakOptions = {
  durationMs: number;
  sampleMs: number;
  /** Submissions per minute (steady: one every 60/rate seconds). */
  submissionsPerMinute: number;
  /** Public requests per second, spread over the public routes. */
  publicPerSecond: number;
  outDir: string;
  web: boolean;
  write: (line: string) => void;
};

export type Sample = {
  atSeconds: number;
  /** Long-lived processes of each service (judged). */
  rssMiB: Record<string, number>;
  /** The worker's audit children at the sample (one per running audit; reported, not judged). */
  auditChildrenRssMiB?: number;
  queues: Record<string, { waiting: number; active: number; delayed: number; failed: number }>;
  queueDepth: number;
  inFlight: number;
  submitted: number;
  terminal: Record<string, number>;
  publicRequests: number;
  /** 5xx, 429 and network failures of the public requests in the interval. */
  publicErrors: number;
  latencyMs: { p50: number; p99: number; max: number };
  latencyByRoute: Record<string, { n: number; p99: number }>;
  loadAverage: number;
};

export type SoakResult = {
  format: "assay.soak/v1";
  startedAt: string;
  finishedAt: string;
  options: Omit<SoakOptions, "write" | "outDir">;
  machine: { cpus: number; note: string };
  criterion: string;
  samples: Sample[];
  verdict: Record<string, { slopeMiBPerHour: number; middleMeanMiB: number; lastMeanMiB: number; flat: boolean }>;
  flat: boolean;
};

const TERMINAL = new Set(["certified", "rejected", "failed"]);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * RSS (MiB) of the live processes of a process group (the supervisor starts each
 * service as a group leader), split in two: the service's long-lived processes,
 * whose memory the flat-memory verdict judges, and its audit children — one
 * fresh process per audit (SPEC §4), gone when the audit ends, so whether an
 * audit happens to be running at a sample moves the group by 100–300 MiB and
 * says nothing about a leak. Those are reported beside, not judged.
 */
export function groupRssMiB(pgid: number): { longLived: number; auditChildren: number } {
  let kib = 0;
  let childKib = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) !== pgid || state === "Z") continue;
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"));
      if (!match) continue;
      if (isAuditChild(readFileSync(`/proc/${entry}/cmdline`, "utf8"))) childKib += Number(match[1]);
      else kib += Number(match[1]);
    } catch {
      // exited meanwhile
    }
  }
  return { longLived: Math.round((kib / 1024) * 10) / 10, auditChildren: Math.round((childKib / 1024) * 10) / 10 };
}

/** An audit child's command line (NUL-separated): node … packages/audit/…/process/child.(ts|js), or its prebuilt bundle audit-child-<hash>.js. */
export function isAuditChild(cmdline: string): boolean {
  return cmdline.split("\0").some((arg) => /[\\/]process[\\/]child\.(ts|js)$/.test(arg) || /[\\/]audit-child-[0-9a-f]+\.js$/.test(arg));
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Least-squares slope of y over x. */
export function slope(points: { x: number; y: number }[]): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export function memoryVerdict(samples: Sample[]): SoakResult["verdict"] {
  const names = Object.keys(samples[0]?.rssMiB ?? {});
  const third = Math.floor(samples.length / 3);
  const rest = samples.slice(third);
  const middle = samples.slice(third, 2 * third);
  const last = samples.slice(2 * third);
  const verdict: SoakResult["verdict"] = {};
  for (const name of names) {
    const points = rest.map((s) => ({ x: s.atSeconds / 3600, y: s.rssMiB[name]! }));
    const slopeMiBPerHour = Math.round(slope(points) * 10) / 10;
    const mean = (xs: Sample[]) => Math.round((xs.reduce((sum, s) => sum + s.rssMiB[name]!, 0) / Math.max(1, xs.length)) * 10) / 10;
    const middleMeanMiB = mean(middle);
    const lastMeanMiB = mean(last);
    verdict[name] = {
      slopeMiBPerHour,
      middleMeanMiB,
      lastMeanMiB,
      flat: samples.length >= 6 && slopeMiBPerHour < FLAT_SLOPE_MIB_PER_HOUR && lastMeanMiB <= middleMeanMiB * FLAT_FINAL_RATIO,
    };
  }
  return verdict;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const say = (line: string) => options.write(`soak | ${line}`);
  const suffix = randomBytes(4).toString("hex");
  const stateDir = mkdtempSync(join(tmpdir(), "assay-soak-"));
  const logFile = join(stateDir, "platform.log");
  const logLines: string[] = [];
  const env: Record<string, string> = {
    ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => typeof e[1] === "string")),
    NODE_ENV: "development",
    DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/assay_soak_${suffix}`,
    ASSAY_API_PORT: String(await freePort()),
    ASSAY_WEB_PORT: String(await freePort()),
    ASSAY_CHAIN_PORT: String(await freePort()),
    ASSAY_STATE_DIR: stateDir,
    ASSAY_ARTIFACT_DIR: join(stateDir, "artifacts"),
    ASSAY_QUEUE_PREFIX: `assay-soak-${suffix}`,
    ASSAY_EMBEDDED_POSTGRES: "false",
  };
  const config = loadLauncherConfig(env);
  say(`starting the platform (state ${stateDir}, database ${config.app.database.database}, API ${config.apiUrl})`);
  const services = platformServices(config).filter((s) => options.web || s.name !== "web");
  const launched = await launch(config, {
    services,
    write: (line) => {
      logLines.push(line);
      if (logLines.length > 20_000) logLines.splice(0, 10_000);
    },
  }).catch((error: unknown) => {
    say(`the platform did not start; its last log lines:\n${logLines.slice(-40).join("\n")}`);
    throw error;
  });
  say(`running: ${launched.started.join(", ")}`);
  const apiKey = launched.demo.developer.apiKey;
  const api = config.apiUrl;
  const headers = { "content-type": "application/json", authorization: `Bearer ${apiKey}` };
  const bundle = JSON.stringify(packRuntimeDirectory(join(config.app.repoRoot, "examples", "runtimes", "reference")));
  const queues = (Object.keys(JOBS) as JobName[]).map((name) => new Queue(JOBS[name].queue, { connection: { url: config.app.redis.url }, prefix: config.app.queues.prefix }));
  for (const q of queues) q.on("error", () => undefined);

  const inFlight = new Map<string, string>();
  const terminal: Record<string, number> = {};
  let submitted = 0;
  let submitErrors = 0;
  let certificateId: string | null = null;
  let certificateDoc: unknown = null;
  let latencies: { route: string; ms: number }[] = [];
  let publicErrors = 0;
  const samples: Sample[] = [];
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const deadline = started + options.durationMs;
  let stopping = false;

  const timed = async (route: string, run: () => Promise<Response>) => {
    const t0 = performance.now();
    try {
      const response = await run();
      await response.arrayBuffer();
      latencies.push({ route, ms: performance.now() - t0 });
      // Expected 4xx (no certificate yet: 404; verify before one exists: 400) are not errors; 5xx and 429 are.
      if (response.status >= 500 || response.status === 429) publicErrors += 1;
    } catch {
      publicErrors += 1;
      latencies.push({ route, ms: performance.now() - t0 });
    }
  };
  const publicCalls: [string, () => Promise<Response>][] = [
    ["GET /v1/public/health", () => fetch(`${api}/v1/public/health`)],
    ["GET /.well-known/jwks.json", () => fetch(`${api}/.well-known/jwks.json`)],
    ["GET /v1/public/registry/certificates", () => fetch(`${api}/v1/public/registry/certificates?limit=20`)],
    ["GET /v1/public/log/checkpoint", () => fetch(`${api}/v1/public/log/checkpoint`)],
    ["GET /v1/public/certificates/{id}", () => fetch(`${api}/v1/public/certificates/${certificateId ?? `0x${"0".repeat(64)}`}`)],
    [
      "POST /v1/public/verify",
      () => fetch(`${api}/v1/public/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(certificateDoc ?? {}) }),
    ],
  ];

  const submitLoop = (async () => {
    const every = 60_000 / options.submissionsPerMinute;
    let next = Date.now();
    while (!stopping && Date.now() < deadline) {
      try {
        const response = await fetch(`${api}/v1/developer/submissions`, { method: "POST", headers, body: bundle });
        const body = (await response.json()) as { id?: string; status?: string };
        if (response.ok && body.id) {
          submitted += 1;
          inFlight.set(body.id, body.status ?? "queued");
        } else submitErrors += 1;
      } catch {
        submitErrors += 1;
      }
      next += every;
      await sleep(Math.max(0, next - Date.now()));
    }
  })();

  const pollLoop = (async () => {
    while (!stopping && Date.now() < deadline) {
      for (const id of [...inFlight.keys()]) {
        try {
          const response = await fetch(`${api}/v1/developer/submissions/${id}`, { headers });
          if (!response.ok) continue;
          const body = (await response.json()) as { status: string; certificateId?: string | null };
          if (TERMINAL.has(body.status)) {
            inFlight.delete(id);
            terminal[body.status] = (terminal[body.status] ?? 0) + 1;
            if (body.certificateId && !certificateId) {
              certificateId = body.certificateId;
              const doc = (await (await fetch(`${api}/v1/public/certificates/${certificateId}`)).json()) as { id: string; payload: unknown; jws: string };
              certificateDoc = { id: doc.id, payload: doc.payload, jws: doc.jws };
            }
          } else inFlight.set(id, body.status);
        } catch {
          // the next round asks again
        }
      }
      await sleep(5_000);
    }
  })();

  const publicLoop = (async () => {
    const every = 1000 / options.publicPerSecond;
    let i = 0;
    let next = Date.now();
    while (!stopping && Date.now() < deadline) {
      const [route, run] = publicCalls[i++ % publicCalls.length]!;
      void timed(route, run);
      next += every;
      await sleep(Math.max(0, next - Date.now()));
    }
  })();

  const sample = async (): Promise<Sample> => {
    const rssMiB: Record<string, number> = {};
    let auditChildrenRssMiB = 0;
    for (const name of ["api", "worker"]) {
      const rss = launched.pids[name] ? groupRssMiB(launched.pids[name]!) : { longLived: 0, auditChildren: 0 };
      rssMiB[name] = rss.longLived;
      auditChildrenRssMiB += rss.auditChildren;
    }
    const queueCounts: Sample["queues"] = {};
    for (const q of queues) {
      const c = await q.getJobCounts("waiting", "active", "delayed", "failed", "prioritized").catch(() => ({}) as Record<string, number>);
      queueCounts[q.name] = { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
    }
    const window = latencies;
    latencies = [];
    const byRoute: Sample["latencyByRoute"] = {};
    for (const route of new Set(window.map((l) => l.route))) {
      const ms = window.filter((l) => l.route === route).map((l) => l.ms);
      byRoute[route] = { n: ms.length, p99: round(percentile(ms, 99)) };
    }
    const all = window.map((l) => l.ms);
    const errors = publicErrors;
    publicErrors = 0;
    return {
      atSeconds: Math.round((Date.now() - started) / 1000),
      rssMiB,
      auditChildrenRssMiB,
      queues: queueCounts,
      queueDepth: Object.values(queueCounts).reduce((s, c) => s + c.waiting + c.active + c.delayed, 0),
      inFlight: inFlight.size,
      submitted,
      terminal: { ...terminal },
      publicRequests: window.length,
      publicErrors: errors,
      latencyMs: { p50: round(percentile(all, 50)), p99: round(percentile(all, 99)), max: round(Math.max(0, ...all)) },
      latencyByRoute: byRoute,
      loadAverage: Math.round(loadavg()[0]! * 100) / 100,
    };
  };

  try {
    samples.push({ ...(await sample()), publicRequests: 0 });
    while (Date.now() < deadline) {
      await sleep(Math.min(options.sampleMs, Math.max(0, deadline - Date.now())));
      const s = await sample();
      samples.push(s);
      say(
        `t=${s.atSeconds}s rss api=${s.rssMiB.api} MiB worker=${s.rssMiB.worker} MiB audit-children=${s.auditChildrenRssMiB ?? 0} MiB queue=${s.queueDepth} inFlight=${s.inFlight} submitted=${s.submitted} ` +
          `done=${JSON.stringify(s.terminal)} public n=${s.publicRequests} p99=${s.latencyMs.p99} ms errors=${s.publicErrors} load=${s.loadAverage}`,
      );
    }
  } finally {
    stopping = true;
    await Promise.allSettled([submitLoop, pollLoop, publicLoop]);
    for (const q of queues) await q.close().catch(() => undefined);
    await launched.stop();
    writeFileSync(logFile, logLines.join("\n"));
  }
  const unexpected = logLines.filter((l) => /exited unexpectedly/.test(l));
  if (unexpected.length) say(`WARNING: ${unexpected.join("; ")}`);
  if (submitErrors) say(`${submitErrors} submission request(s) failed`);

  const verdict = memoryVerdict(samples);
  const result: SoakResult = {
    format: "assay.soak/v1",
    startedAt,
    finishedAt: new Date().toISOString(),
    options: { durationMs: options.durationMs, sampleMs: options.sampleMs, submissionsPerMinute: options.submissionsPerMinute, publicPerSecond: options.publicPerSecond, web: options.web },
    machine: {
      cpus: cpus().length,
      note: "shared development machine: other jobs ran at the same time (see loadAverage per sample), so latency is noisy; memory is what this run judges",
    },
    criterion:
      `memory is flat when, with the first third of the samples as warm-up, each service's long-lived processes' RSS (audit children excluded: one fresh process per audit) has a least-squares slope over the rest below ` +
      `${FLAT_SLOPE_MIB_PER_HOUR} MiB/hour and the mean of the last third is at most ${FLAT_FINAL_RATIO}× the mean of the middle third (at least 6 samples)`,
    samples,
    verdict,
    flat: Object.values(verdict).every((v) => v.flat),
  };
  mkdirSync(options.outDir, { recursive: true });
  const stem = `soak-${startedAt.slice(0, 10)}-${Math.round(options.durationMs / 60_000)}min`;
  writeFileSync(join(options.outDir, `${stem}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(options.outDir, `${stem}.svg`), soakSvg(result));
  say(`wrote ${join(options.outDir, `${stem}.json`)} and .svg`);
  for (const [name, v] of Object.entries(verdict)) {
    say(`${name}: RSS slope ${v.slopeMiBPerHour} MiB/h after warm-up, mean of the middle third ${v.middleMeanMiB} MiB, of the last third ${v.lastMeanMiB} MiB → ${v.flat ? "flat" : "NOT flat"}`);
  }
  say(`memory ${result.flat ? "is flat" : "is NOT flat"} (${result.criterion})`);
  await dropDatabase(config.app.database).catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
  return result;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Two stacked panels: RSS of each process group (MiB), and public p99 latency (ms) with the queue depth. */
export function soakSvg(result: SoakResult): string {
  const W = 760;
  const H = 570;
  const left = 64;
  const right = 64;
  const panel = { h: 170, gap: 110, top: 86 };
  const xs = result.samples.map((s) => s.atSeconds / 60);
  const xMax = Math.max(1, ...xs);
  const x = (m: number) => left + (m / xMax) * (W - left - right);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${left}" y="22" font-size="14" font-weight="bold">${esc(`Assay soak ${result.startedAt.slice(0, 16)}Z, ${Math.round(result.options.durationMs / 60_000)} min: memory ${result.flat ? "flat" : "NOT flat"}`)}</text>`,
    `<text x="${left}" y="38" fill="#555">${esc(`${result.options.submissionsPerMinute} submissions/min, ${result.options.publicPerSecond} public req/s; shared ${result.machine.cpus}-core machine (latency noisy)`)}</text>`,
  ];
  const series = (values: number[], yOf: (v: number) => number, color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${values.map((v, i) => `${x(xs[i]!).toFixed(1)},${yOf(v).toFixed(1)}`).join(" ")}"/>`;
  const axes = (top: number, yMax: number, label: string, side: "left" | "right", color = "#333") => {
    const yOf = (v: number) => top + panel.h - (v / yMax) * panel.h;
    const ax = side === "left" ? left : W - right;
    out.push(`<line x1="${ax}" y1="${top}" x2="${ax}" y2="${top + panel.h}" stroke="${color}"/>`);
    for (let i = 0; i <= 4; i++) {
      const v = (yMax * i) / 4;
      const y = yOf(v);
      if (side === "left") out.push(`<line x1="${left}" y1="${y}" x2="${W - right}" y2="${y}" stroke="#eee"/>`);
      out.push(`<text x="${side === "left" ? ax - 6 : ax + 6}" y="${y + 4}" text-anchor="${side === "left" ? "end" : "start"}" fill="${color}">${Math.round(v)}</text>`);
    }
    out.push(`<text x="${side === "left" ? 12 : W - 12}" y="${top + panel.h / 2}" transform="rotate(-90 ${side === "left" ? 12 : W - 12} ${top + panel.h / 2})" text-anchor="middle" fill="${color}">${esc(label)}</text>`);
    return yOf;
  };
  const xAxis = (top: number) => {
    const y = top + panel.h;
    out.push(`<line x1="${left}" y1="${y}" x2="${W - right}" y2="${y}" stroke="#333"/>`);
    for (let i = 0; i <= 6; i++) {
      const m = (xMax * i) / 6;
      out.push(`<text x="${x(m)}" y="${y + 14}" text-anchor="middle">${m.toFixed(m < 10 ? 1 : 0)}</text>`);
    }
    out.push(`<text x="${(left + W - right) / 2}" y="${y + 28}" text-anchor="middle">minutes</text>`);
  };
  // Panel 1: RSS.
  const colors: Record<string, string> = { api: "#1f77b4", worker: "#d62728" };
  const names = Object.keys(result.samples[0]?.rssMiB ?? {});
  const children = result.samples.map((s) => s.auditChildrenRssMiB ?? 0);
  const rssMax = Math.max(50, ...children, ...result.samples.flatMap((s) => names.map((n) => s.rssMiB[n]!))) * 1.15;
  const top1 = panel.top;
  const yRss = axes(top1, rssMax, "RSS (MiB)", "left");
  xAxis(top1);
  names.forEach((name, i) => {
    out.push(series(result.samples.map((s) => s.rssMiB[name]!), yRss, colors[name] ?? "#333"));
    const v = result.verdict[name];
    out.push(`<text x="${left}" y="${top1 - 26 + i * 14}" fill="${colors[name] ?? "#333"}">${esc(`${name} (long-lived processes): slope ${v?.slopeMiBPerHour ?? "?"} MiB/h after warm-up; mean of the middle third ${v?.middleMeanMiB ?? "?"}, last third ${v?.lastMeanMiB ?? "?"} MiB`)}</text>`);
  });
  // The worker's audit children: present only while audits run (not judged), dashed.
  out.push(series(children, yRss, "#7f7f7f").replace("<polyline ", '<polyline stroke-dasharray="4 3" '));
  out.push(`<text x="${W - right}" y="${top1 - 26}" text-anchor="end" fill="#7f7f7f">${esc("audit children (dashed): one per running audit, not judged")}</text>`);
  // Panel 2: latency p99 (left axis) and queue depth (right axis).
  const top2 = panel.top + panel.h + panel.gap;
  const lat = result.samples.slice(1).map((s) => s.latencyMs.p99);
  const latMax = Math.max(10, ...lat) * 1.15;
  const yLat = axes(top2, latMax, "public p99 (ms)", "left", "#2ca02c");
  const depthMax = Math.max(4, ...result.samples.map((s) => s.queueDepth)) * 1.15;
  const yDepth = axes(top2, depthMax, "queue depth (jobs)", "right", "#9467bd");
  xAxis(top2);
  out.push(
    `<polyline fill="none" stroke="#2ca02c" stroke-width="2" points="${result.samples
      .slice(1)
      .map((s, i) => `${x(xs[i + 1]!).toFixed(1)},${yLat(s.latencyMs.p99).toFixed(1)}`)
      .join(" ")}"/>`,
  );
  out.push(series(result.samples.map((s) => s.queueDepth), yDepth, "#9467bd"));
  out.push(`<text x="${left}" y="${top2 - 26}" fill="#2ca02c">p99 latency of the public routes per interval</text>`);
  out.push(`<text x="${left}" y="${top2 - 12}" fill="#9467bd">BullMQ jobs waiting + active + delayed</text>`);
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
