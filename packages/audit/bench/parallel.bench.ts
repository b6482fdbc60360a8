// Bench section (docs/decisions/0025-parallel-audits.md): the full `core`
// audit (child processes, report and digest, as `assay validate` and the worker
// run it) at parallelism 1, the default (os.availableParallelism()), 2 and 4;
// and audits of generated suites with 1×, 2× and 4× core's turns (bench/long-suite.ts)
// to show how time grows with length. Runs are interleaved across settings so a
// load spike on the shared machine hits every setting alike; each figure is the
// median with min/max of `repeats` runs.
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { subjectDigest, type Manifest } from "@assay/protocol";
import { auditArtifact } from "../src/audit-artifact";
import { reportMeta } from "../src/engine";
import { auditInChildProcess } from "../src/process";
import { reportFromSuiteRun } from "../src/report/fromSuiteRun";
import { DEFAULT_SANDBOX_LIMITS } from "../src/sandbox";

type Spread = { medianMs: number; minMs: number; maxMs: number; allMs: number[] };

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function spread(times: number[]): Spread {
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: round(sorted[Math.floor(sorted.length / 2)]!), minMs: round(sorted[0]!), maxMs: round(sorted[sorted.length - 1]!), allMs: times.map((t) => round(t)) };
}

const load = () => loadavg().map((l) => round(l, 2));

export async function benchParallel(subject: { manifest: Manifest; source: string; seed: number; repeats: number }) {
  const defaultParallelism = Math.max(1, availableParallelism());
  const settings = [...new Set([1, defaultParallelism, 2, 4])];
  const digest = subjectDigest([{ path: "sigma-runtime.json", content: JSON.stringify(subject.manifest) }, { path: subject.manifest.entry, content: subject.source }]);
  const times = new Map<number, number[]>(settings.map((p) => [p, []]));
  const cpu = new Map<number, number[]>(settings.map((p) => [p, []]));
  const digests = new Set<string>();
  let turns = 0;
  const loadBefore = load();
  for (let r = 0; r < subject.repeats; r++) {
    for (const parallelism of settings) {
      const t0 = performance.now();
      const { report, run } = await auditArtifact({ manifest: subject.manifest, bundleSource: subject.source, subjectDigest: digest, suite: "core", seed: subject.seed, parallelism });
      times.get(parallelism)!.push(performance.now() - t0);
      if (run.cpuMs !== null) cpu.get(parallelism)!.push(run.cpuMs);
      digests.add(report.digest);
      turns = run.usage.turns;
    }
  }
  const base = spread(times.get(1)!).medianMs;
  return {
    what: "full core audit (auditArtifact: child processes, sandbox, suite, report and digest) of the reference runtime",
    turns,
    defaultParallelism,
    settings: settings.map((parallelism) => {
      const s = spread(times.get(parallelism)!);
      const c = cpu.get(parallelism)!;
      return { parallelism, ...s, speedupOverParallelism1: round(base / s.medianMs, 2), childCpuMsMedian: c.length ? [...c].sort((a, b) => a - b)[Math.floor(c.length / 2)]! : null };
    }),
    sameReportDigestAtEverySetting: digests.size === 1,
    reportDigest: [...digests][0],
    loadAverage: { before: loadBefore, after: load() },
  };
}

export async function benchLengthScaling(subject: { manifest: Manifest; source: string; seed: number; repeats: number }) {
  const factors = [1, 2, 4];
  const files = [{ path: subject.manifest.entry, content: subject.source }];
  const times = new Map<number, number[]>(factors.map((k) => [k, []]));
  const shape = new Map<number, { turns: number; budgetUnits: number; verdict: string; faults: number }>();
  const loadBefore = load();
  for (let r = 0; r < subject.repeats; r++) {
    for (const factor of factors) {
      // Why scaled limits: k× the turns need k× core's audit budget and wall clock, or the long audits would end as timeouts.
      const limits = { auditBudget: DEFAULT_SANDBOX_LIMITS.auditBudget * factor, wallClockMs: DEFAULT_SANDBOX_LIMITS.wallClockMs * factor * 4 };
      const t0 = performance.now();
      const run = await auditInChildProcess(
        { suite: { module: join(__dirname, "long-suite.ts"), export: "longCoreSuite", options: { factor } }, seed: subject.seed, manifest: subject.manifest, bundleSource: subject.source, limits },
        { parallelism: 1 },
      );
      const report = reportFromSuiteRun(run.runs, reportMeta(run, subject.manifest, files));
      times.get(factor)!.push(performance.now() - t0);
      shape.set(factor, { turns: run.usage.turns, budgetUnits: run.usage.budgetUnits, verdict: report.verdict, faults: run.runs.filter((x) => x.records.some((t) => t.fault)).length });
    }
  }
  const base = spread(times.get(1)!);
  return {
    what: "audit (child process at parallelism 1, report and digest) of suite core with every scenario's script repeated k times (bench/long-suite.ts); audit budget and wall clock scaled by k",
    factors: factors.map((factor) => {
      const s = spread(times.get(factor)!);
      return { factor, ...shape.get(factor)!, ...s, ratioMedianOverFactor1: round(s.medianMs / base.medianMs, 2), ratioPerFactor: round(s.medianMs / base.medianMs / factor, 2) };
    }),
    loadAverage: { before: loadBefore, after: load() },
  };
}
