// The soak's judgement and plot (apps/launcher/src/soak.ts) on made-up samples:
// `npm run soak` itself is a long run, not a test.
import { groupRssMiB, isAuditChild, memoryVerdict, percentile, slope, soakSvg, type Sample, type SoakResult } from "../src/soak";

const sample = (minute: number, api: number, worker: number): Sample => ({
  atSeconds: minute * 60,
  rssMiB: { api, worker },
  queues: {},
  queueDepth: minute % 3,
  inFlight: 0,
  submitted: minute,
  terminal: {},
  publicRequests: 300,
  publicErrors: 0,
  latencyMs: { p50: 10, p99: 50 + (minute % 5), max: 80 },
  latencyByRoute: {},
  loadAverage: 1,
});

// GC saw-teeth of ±20 MiB around a level: flat. The same plus 2 MiB a minute: a leak.
const sawTooth = (m: number) => (m % 2 === 0 ? 20 : -20);
const flatRun = Array.from({ length: 31 }, (_, m) => sample(m, 300 + sawTooth(m) + (m < 5 ? m * 10 : 50), 400 + sawTooth(m + 1)));
const leakyRun = Array.from({ length: 31 }, (_, m) => sample(m, 300 + sawTooth(m) + 2 * m, 400 + sawTooth(m + 1)));

it("percentile and slope", () => {
  expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
  expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).toBe(99);
  expect(percentile([], 99)).toBe(0);
  expect(slope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBeCloseTo(2);
});

it("judges GC saw-teeth after a warm-up as flat, and 2 MiB a minute as a leak", () => {
  const flat = memoryVerdict(flatRun);
  expect(flat.api!.flat).toBe(true);
  expect(flat.worker!.flat).toBe(true);
  const leaky = memoryVerdict(leakyRun);
  expect(leaky.api!.flat).toBe(false);
  expect(leaky.api!.slopeMiBPerHour).toBeGreaterThan(100);
  expect(leaky.worker!.flat).toBe(true);
});

it("cannot call a run of fewer than 6 samples flat", () => {
  expect(memoryVerdict(flatRun.slice(0, 5)).api!.flat).toBe(false);
});

it("plots both panels as a standalone SVG", () => {
  const result: SoakResult = {
    format: "assay.soak/v1",
    startedAt: "2026-12-02T14:00:00.000Z",
    finishedAt: "2026-12-02T14:30:00.000Z",
    options: { durationMs: 1_800_000, sampleMs: 60_000, submissionsPerMinute: 1, publicPerSecond: 5, web: false },
    machine: { cpus: 2, note: "" },
    criterion: "",
    samples: flatRun,
    verdict: memoryVerdict(flatRun),
    flat: true,
  };
  const svg = soakSvg(result);
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg.trim().endsWith("</svg>")).toBe(true);
  expect(svg.match(/<polyline/g)).toHaveLength(5); // api, worker, audit children; p99, queue depth
  expect(svg).toContain("stroke-dasharray");
  expect(svg).toContain("memory flat");
  expect(svg).not.toMatch(/NaN|undefined/);
});

it("tells an audit child's command line from a service's", () => {
  expect(isAuditChild(["/usr/bin/node", "--import", "tsx", "--max-old-space-size=512", "/repo/packages/audit/src/process/child.ts"].join("\0"))).toBe(true);
  expect(isAuditChild(["node", "/repo/packages/audit/dist/process/child.js", ""].join("\0"))).toBe(true);
  expect(isAuditChild(["node", "--max-old-space-size=512", "/tmp/assay-audit-child/audit-child-0123abcd.js"].join("\0"))).toBe(true);
  expect(isAuditChild(["node", "--import", "tsx", "src/main.ts"].join("\0"))).toBe(false);
  expect(isAuditChild(["node", "/repo/apps/worker/src/child.ts.bak"].join("\0"))).toBe(false);
});

it("splits a process group's RSS into long-lived processes and audit children", async () => {
  // A group leader (this test's own shell) with one child named like an audit child.
  const { spawn } = await import("node:child_process");
  const { mkdtempSync, mkdirSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const dir = join(mkdtempSync(join(tmpdir(), "soak-")), "process");
  mkdirSync(dir);
  const childScript = join(dir, "child.js");
  writeFileSync(childScript, "const keep = Buffer.alloc(64 * 1024 * 1024, 1); setInterval(() => keep[0]++, 1000);");
  const leader = spawn("sh", ["-c", `node ${childScript} & sleep 30`], { detached: true, stdio: "ignore" });
  try {
    let split = groupRssMiB(leader.pid!);
    for (let i = 0; i < 50 && split.auditChildren < 64; i++) {
      await new Promise((r) => setTimeout(r, 100));
      split = groupRssMiB(leader.pid!);
    }
    expect(split.auditChildren).toBeGreaterThanOrEqual(64);
    expect(split.longLived).toBeGreaterThan(0);
    expect(split.longLived).toBeLessThan(64);
  } finally {
    process.kill(-leader.pid!, "SIGKILL");
  }
});
