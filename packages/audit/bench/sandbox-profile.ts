// Where the time of a sandboxed audit goes (docs/decisions/0027-sandbox-speed.md).
//   npx tsx bench/sandbox-profile.ts            # profile breakdown + metered/uncounted A/B + native baseline
// A CPU profile (node:inspector, 0.25 ms sampling) of suite `core` with the
// reference runtime, in process, after a warm-up audit; every sample's self time
// is attributed to one bucket (native frames such as RegExp or JSON.parse go to
// the nearest caller with a source file). CPU times (process.cpuUsage) rather
// than wall times: the machine is shared, and the ratio in the same run is what
// is reported.
import { Session } from "node:inspector";
import { digestOf } from "@assay/protocol";
import { runSuite } from "../src/engine";
import { loadQuickJs } from "../src/sandbox";
import { useUncountedQuickJsForBenchmark } from "../src/sandbox/quickjs";
import { benchmarkSubject, runNative } from "./audit.bench";

type ProfileNode = { id: number; callFrame: { functionName: string; url: string }; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export const BUCKETS = [
  "QuickJS (WebAssembly: interpreter, builtins, parser, GC)",
  "boundary: quickjs-emscripten FFI + emscripten glue",
  "host bridge (src/sandbox)",
  "JSON + validation (zod, wellFormed, jsonCopy)",
  "synthetic model (src/model)",
  "suite scripts + engine (src/suites, src/engine)",
  "metrics, findings, report",
  "garbage collection (V8)",
  "other",
] as const;
type Bucket = (typeof BUCKETS)[number];

function bucketOfFrame(frame: ProfileNode["callFrame"]): Bucket | null {
  const { url, functionName: fn } = frame;
  if (fn.startsWith("wasm-function") || fn.startsWith("$")) return BUCKETS[0];
  if (fn === "(garbage collector)") return BUCKETS[7];
  if (url.includes("quickjs-emscripten") || url.includes("@jitl/") || fn === "GenericJSToWasmWrapper") return BUCKETS[1];
  if (url.includes("/zod/") || url.includes("well-formed") || url.includes("engine/json")) return BUCKETS[3];
  if (url.includes("/src/sandbox/")) return BUCKETS[2];
  if (url.includes("/src/model/")) return BUCKETS[4];
  if (url.includes("/src/suites/") || url.includes("/src/engine/")) return BUCKETS[5];
  if (url.includes("/src/metrics/") || url.includes("/src/findings/") || url.includes("/src/report/")) return BUCKETS[6];
  if (url === "") return null; // native: attributed to its caller
  return BUCKETS[8];
}

/** Self time per bucket (ms). JSON.parse/stringify count as marshalling wherever they are called. */
export function bucketProfile(profile: Profile): Record<string, number> {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const memo = new Map<number, Bucket>();
  const bucketOf = (id: number): Bucket => {
    const known = memo.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const fn = node.callFrame.functionName;
    let b = bucketOfFrame(node.callFrame);
    if (!b && node.callFrame.url === "" && (fn === "parse" || fn === "stringify")) b = BUCKETS[3];
    if (!b) {
      const p = parent.get(id);
      b = p === undefined || fn === "(program)" || fn === "(idle)" || fn === "(root)" ? BUCKETS[8] : bucketOf(p);
    }
    memo.set(id, b);
    return b;
  };
  const out: Record<string, number> = Object.fromEntries(BUCKETS.map((b) => [b, 0]));
  for (let i = 0; i < profile.samples.length; i++) out[bucketOf(profile.samples[i]!)]! += (profile.timeDeltas[i] ?? 0) / 1000;
  return out;
}

function post<T>(session: Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

export async function profileSandbox(repeats = 3): Promise<Record<string, unknown>> {
  const subject = await benchmarkSubject();
  await loadQuickJs();
  const audit = () => runSuite({ suite: subject.suite, seed: 42, manifest: subject.manifest, bundleSource: subject.source });
  const first = await audit(); // warm-up (JIT, wasm tier-up)
  const digest = digestOf(first.runs.map((r) => r.records));

  const session = new Session();
  session.connect();
  await post(session, "Profiler.enable");
  await post(session, "Profiler.setSamplingInterval", { interval: 250 });
  await post(session, "Profiler.start");
  const t0 = process.cpuUsage();
  await audit();
  const profiledCpuMs = cpuMs(t0);
  const { profile } = await post<{ profile: Profile }>(session, "Profiler.stop");
  session.disconnect();
  const buckets = bucketProfile(profile);
  const total = Object.values(buckets).reduce((a, b) => a + b, 0);

  // Interleaved A/B/C: metered sandbox, uncounted sandbox (same binary layout, no gas checks), native.
  const metered: number[] = [];
  const uncounted: number[] = [];
  const native: number[] = [];
  await runNative(subject);
  for (let i = 0; i < repeats; i++) {
    useUncountedQuickJsForBenchmark(false);
    let t = process.cpuUsage();
    await audit();
    metered.push(cpuMs(t));
    useUncountedQuickJsForBenchmark(true);
    t = process.cpuUsage();
    await audit();
    uncounted.push(cpuMs(t));
    t = process.cpuUsage();
    await runNative(subject);
    native.push(cpuMs(t));
  }
  useUncountedQuickJsForBenchmark(false);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const r = (n: number) => Math.round(n * 10) / 10;
  return {
    subject: subject.label,
    transcriptDigest: digest,
    budgetUnits: first.usage.budgetUnits,
    profiledAuditCpuMs: r(profiledCpuMs),
    breakdownMs: Object.fromEntries(Object.entries(buckets).map(([k, v]) => [k, r(v)])),
    breakdownShare: Object.fromEntries(Object.entries(buckets).map(([k, v]) => [k, `${r((100 * v) / total)} %`])),
    cpuMs: { metered: metered.map(r), uncounted: uncounted.map(r), native: native.map(r) },
    meteringOverhead: `${r((100 * (med(metered) - med(uncounted))) / med(uncounted))} %`,
    ratioSandboxOverNative: r(med(metered) / med(native)),
  };
}

if (require.main === module) {
  profileSandbox(Number(process.argv[2] ?? 3))
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
