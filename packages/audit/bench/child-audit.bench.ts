// The full `core` audit of the reference runtime as the worker runs it
// (auditInChildProcess with the progress measure, report and digest), at the
// given parallelism settings, interleaved; wall time AND CPU time (this
// process + every audit child), with the load average. Decision 0027.
//   npx tsx bench/child-audit.bench.ts [repeats=3] [parallelism list=1,2] [ab]
// With `ab`, every setting also runs with the tsx child (child.ts under --import tsx, the path before
// the prebuilt child), interleaved, as "<p>/tsx", and with p warmed-up spare children started (and
// ready) before the audit, as "<p>/warm" (the worker's case between jobs; the spares' own start-up and
// warm-up CPU is counted in the child CPU, their waiting time is not in the wall time).
import { loadavg } from "node:os";
import { reportMeta } from "../src/engine";
import { auditInChildProcess, defaultChildPath, prewarmAuditChildren, spareAuditChildren } from "../src/process";
import { reportFromSuiteRun } from "../src/report/fromSuiteRun";
import { PROGRESS_DI_MEASURE, suiteModule } from "../src/suites/registry";
import { benchmarkSubject } from "./audit.bench";

const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function benchChildAudit(repeats: number, parallelisms: number[], ab = false) {
  const settings = parallelisms.flatMap((p) => (ab ? [`${p}`, `${p}/tsx`, `${p}/warm`] : [`${p}`]));
  const subject = await benchmarkSubject();
  const files = [{ path: subject.manifest.entry, content: subject.source }];
  const rows = new Map<string, { wallMs: number[]; childCpuMs: number[]; parentCpuMs: number[] }>(settings.map((p) => [p, { wallMs: [], childCpuMs: [], parentCpuMs: [] }]));
  const digests = new Set<string>();
  const loadBefore = loadavg().map((l) => round(l, 1));
  for (let r = 0; r < repeats; r++) {
    for (const setting of settings) {
      const parallelism = Number.parseInt(setting, 10);
      if (setting.endsWith("/warm")) {
        prewarmAuditChildren(parallelism);
        while (spareAuditChildren().some((c) => !c.ready)) await new Promise((r) => setTimeout(r, 50));
      }
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const run = await auditInChildProcess(
        { suite: suiteModule("core")!, seed: 42, manifest: subject.manifest, bundleSource: subject.source, measureDi: PROGRESS_DI_MEASURE },
        { parallelism, wallClockMs: 900_000, ...(setting.endsWith("/tsx") ? { childPath: defaultChildPath() } : {}) },
      );
      const report = reportFromSuiteRun(run.runs, reportMeta(run, subject.manifest, files));
      const wall = performance.now() - t0;
      prewarmAuditChildren(0);
      const cpu = process.cpuUsage(cpu0);
      const row = rows.get(setting)!;
      row.wallMs.push(round(wall));
      row.parentCpuMs.push(round((cpu.user + cpu.system) / 1000));
      row.childCpuMs.push(run.cpuMs ?? Number.NaN);
      digests.add(`${run.outcome.status} ${report.digest}`);
    }
  }
  return {
    what: "full core audit of the reference runtime through the audit child process(es) + report; CPU = this process + children",
    loadAverage: { before: loadBefore, after: loadavg().map((l) => round(l, 1)) },
    outcomesAndDigests: [...digests],
    settings: settings.map((setting) => {
      const row = rows.get(setting)!;
      const total = row.wallMs.map((_, i) => row.parentCpuMs[i]! + row.childCpuMs[i]!);
      return { setting, wallMsMedian: median(row.wallMs), totalCpuMsMedian: median(total), ...row };
    }),
  };
}

if (require.main === module) {
  const repeats = Number(process.argv[2] ?? 3);
  const settings = (process.argv[3] ?? "1,2").split(",").map(Number);
  benchChildAudit(repeats, settings, process.argv[4] === "ab")
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
