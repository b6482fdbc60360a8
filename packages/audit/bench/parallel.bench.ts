// Bench section (docs/decisions/0025-parallel-audits.md): the full `core`
// audit (child processes, report and digest, as `assay validate` and the worker
// run it) at parallelism 1, the default (os.availableParallelism()), 2 and 4;
// and audits of generated suites with 1×, 2× and 4× core's turns (bench/long-suite.ts)
// to show how time grows with length. Runs are interleaved across settings so a
// load spike on the shared machine hits every setting alike; each figure is the
// median with min/max of `repeats` runs.
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import type { Manifest } from "@assay/protocol";
import { reportMeta } from "../src/engine";
import { auditInChildProcess } from "../src/process";
import { reportFromSuiteRun } from "../src/report/fromSuiteRun";
import { DEFAULT_SANDBOX_LIMITS } from "../src/sandbox";
import { PROGRESS_DI_MEASURE, suiteModule } from "../src/suites/registry";

/**
 * The kill deadline of the bench's audits (not a sandbox limit: the report's limits stay the defaults).
 * Why: on the shared 2-core machine at load 25-35 a core audit took over the default 90 s and was
 * killed, which measures the wall clock instead of the audit.
 */
const BENCH_WALL_CLOCK_MS = 900_000;

type Spread = { medianMs: number; minMs: number; maxMs: number; allMs: number[] };

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function spread(times: number[]): Spread {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { medianMs: round(median), minMs: round(sorted[0]!), maxMs: round(sorted[sorted.length - 1]!), allMs: times.map((t) => round(t)) };
}

const load = () => loadavg().map((l) => round(l, 2));

export async function benchParallel(subject: { manifest: Manifest; source: string; seed: number; repeats: number }) {
  const defaultParallelism = Math.max(1, availableParallelism());
  const settings = [...new Set([1, defaultParallelism, 2, 4])];
  const files = [{ path: subject.manifest.entry, content: subject.source }];
  const outcomes = new Set<string>();
  const times = new Map<number, number[]>(settings.map((p) => [p, []]));
  const cpu = new Map<number, number[]>(settings.map((p) => [p, []]));
  const digests = new Set<string>();
  let turns = 0;
  const loadBefore = load();
  for (let r = 0; r < subject.repeats; r++) {
    for (const parallelism of settings) {
      const t0 = performance.now();
      // auditArtifact's path (child processes, progress measure, report and digest), with the bench's kill deadline.
      const run = await auditInChildProcess(
        { suite: suiteModule("core")!, seed: subject.seed, manifest: subject.manifest, bundleSource: subject.source, measureDi: PROGRESS_DI_MEASURE },
        { parallelism, wallClockMs: BENCH_WALL_CLOCK_MS, onProgress: () => undefined },
      );
      const report = reportFromSuiteRun(run.runs, reportMeta(run, subject.manifest, files));
      times.get(parallelism)!.push(performance.now() - t0);
      outcomes.add(run.outcome.status);
      if (run.cpuMs !== null) cpu.get(parallelism)!.push(run.cpuMs);
      digests.add(report.digest);
      turns = run.usage.turns;
    }
  }
  const base = spread(times.get(1)!).medianMs;
  return {
    what: "full core audit (as auditArtifact: child processes, sandbox, suite, progress measure, report and digest) of the reference runtime; kill deadline 900 s",
    outcomes: [...outcomes],
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

export async function benchLengthScaling(subject: { manifest: Manifest; source: string; seed: number; repeats: number }, onPartial?: (figures: unknown) => void) {
  const factors = [1, 2, 4];
  const files = [{ path: subject.manifest.entry, content: subject.source }];
  const times = new Map<number, number[]>(factors.map((k) => [k, []]));
  const shape = new Map<number, { turns: number; budgetUnits: number; verdict: string; faults: number }>();
  const outcomes = new Set<string>();
  const loadBefore = load();
  for (let r = 0; r < subject.repeats; r++) {
    for (const factor of factors) {
      // Why scaled limits: k× the turns need k× core's audit budget and wall clock, or the long audits would end as timeouts.
      const limits = { auditBudget: DEFAULT_SANDBOX_LIMITS.auditBudget * factor, wallClockMs: DEFAULT_SANDBOX_LIMITS.wallClockMs * factor };
      const t0 = performance.now();
      const run = await auditInChildProcess(
        { suite: { module: join(__dirname, "long-suite.ts"), export: "longCoreSuite", options: { factor } }, seed: subject.seed, manifest: subject.manifest, bundleSource: subject.source, limits },
        { parallelism: 1, wallClockMs: BENCH_WALL_CLOCK_MS * factor },
      );
      const report = reportFromSuiteRun(run.runs, reportMeta(run, subject.manifest, files));
      times.get(factor)!.push(performance.now() - t0);
      outcomes.add(run.outcome.status);
      shape.set(factor, { turns: run.usage.turns, budgetUnits: run.usage.budgetUnits, verdict: report.verdict, faults: run.runs.filter((x) => x.records.some((t) => t.fault)).length });
      onPartial?.(summary());
    }
  }
  return summary();

  function summary() {
    const base = spread(times.get(1)!);
    return {
      repeatsDone: Math.min(...factors.map((k) => times.get(k)!.length)),
      what: "audit (child process at parallelism 1, report and digest) of suite core with every scenario's script repeated k times (bench/long-suite.ts); audit budget and wall-clock limit scaled by k; kill deadline 900 s × k",
      outcomes: [...outcomes],
      factors: factors.filter((factor) => times.get(factor)!.length > 0).map((factor) => {
        const s = spread(times.get(factor)!);
        const units = shape.get(factor)!.budgetUnits / shape.get(1)!.budgetUnits;
        // Why the budget-unit ratio too: it is the deterministic CPU measure, immune to the shared machine's load.
        return { factor, ...shape.get(factor)!, ...s, ratioMedianOverFactor1: round(s.medianMs / base.medianMs, 2), ratioPerFactor: round(s.medianMs / base.medianMs / factor, 2), budgetUnitsRatioOverFactor1: round(units, 3) };
      }),
      loadAverage: { before: loadBefore, after: load() },
    };
  }
}
