// Benchmark of the audit engine: `npm run bench -w @assay/audit`.
//
// Measures a full suite audit of one runtime in the QuickJS sandbox (in process
// and through the child-process path), turns per second, peak memory, and the
// same runtime's steps executed natively in Node (module imported directly,
// a Node-side host with the same synthetic model) as the baseline.
// Uses suite `core` + examples/runtimes/reference when they exist; otherwise
// the engine's probe suite + bench/probe-runtime.js (stated in the JSON).
// Also: the full core audit at parallelism 1 / default / 2 / 4, and audits of
// 1×, 2×, 4× core's turns (bench/parallel.bench.ts; ASSAY_BENCH_ONLY=parallel
// runs just those and merges them into bench-results/audit.json).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { auditArtifact } from "../src/audit-artifact";
import { benchPython } from "./python.bench";
import { benchLengthScaling, benchParallel } from "./parallel.bench";
import { ManifestSchema, digestOf, subjectDigest, type Manifest, type SigmaPacket, type Turn } from "@assay/protocol";
import { createProbeSuite, planOf, runSuite, TurnModelBridge, ENGINE, type AuditSuite } from "../src/engine";
import { auditInChildProcess, type ModuleRef } from "../src/process";
import { DEFAULT_SANDBOX_LIMITS, VIRTUAL_CLOCK, deriveSeed, embed, loadQuickJs, mulberry32 } from "../src/sandbox";
import { useNodeSha256 } from "@assay/protocol/node";

// Digests with node:crypto, as every Node entry point that audits does (the CLI's main, the
// platform for the workers, the audit child): without it the parent hashed the report's
// transcript with @noble/hashes, 0.3–0.6 s of CPU per audit that production does not spend.
// (The benches that import this module, child-audit and sandbox-profile, get the same.)
useNodeSha256();

const PACKAGE_DIR = join(__dirname, "..");
const REPO = join(PACKAGE_DIR, "..", "..");
const SEED = 42;
const REPEATS = 3;

export type Subject = { label: string; suite: AuditSuite; suiteRef: ModuleRef; manifest: Manifest; source: string; note: string };

/** Suite `core` + the reference runtime when both exist, else the probe fallback. */
export async function benchmarkSubject(): Promise<Subject> {
  const referenceDir = join(REPO, "examples", "runtimes", "reference");
  const coreModule = join(PACKAGE_DIR, "src", "suites", "core", "index.ts");
  if (existsSync(join(referenceDir, "sigma-runtime.json")) && existsSync(coreModule)) {
    const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(referenceDir, "sigma-runtime.json"), "utf8")));
    const { coreSuite } = (await import(coreModule)) as { coreSuite: AuditSuite };
    return {
      label: "core+reference",
      suite: coreSuite,
      suiteRef: { module: coreModule, export: "coreSuite" },
      manifest,
      source: readFileSync(join(referenceDir, manifest.entry), "utf8"),
      note: "suite core with examples/runtimes/reference",
    };
  }
  const manifest: Manifest = {
    name: "probe-runtime",
    version: "1.0.0",
    protocol: "sigma-runtime/1",
    entry: "runtime.js",
    identity: { name: "Probe", role: "engine probe runtime", constraints: ["stay on the migration plan"] },
    claims: ["SRIP-03"],
    suite: "core",
  };
  const options = { turns: 125, runs: 8, faultTurn: 7 };
  return {
    label: "probe",
    suite: createProbeSuite(options),
    suiteRef: { module: join(PACKAGE_DIR, "src", "engine", "probe-suite.ts"), export: "createProbeSuite", options },
    manifest,
    source: readFileSync(join(__dirname, "probe-runtime.js"), "utf8"),
    note: "suite core or examples/runtimes/reference missing: engine probe suite (8 runs x 125 turns) with bench/probe-runtime.js",
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The same plan, each runtime step executed natively in this Node process. */
export async function runNative(subject: Subject): Promise<{ ms: number; turns: number }> {
  const dir = mkdtempSync(join(tmpdir(), "assay-bench-"));
  const file = join(dir, "runtime.mjs");
  writeFileSync(file, subject.source);
  const mod = (await import(pathToFileURL(file).href)) as { createRuntime: (host: unknown) => { step(turn: Turn): unknown } };
  let turns = 0;
  const started = performance.now();
  for (const planned of planOf(subject.suite, SEED)) {
    const model = subject.suite.createModel(planned.scenario, planned.seed, subject.manifest);
    const bridge = new TurnModelBridge(model);
    const random = mulberry32(deriveSeed(planned.seed, "host.random"));
    let clock = VIRTUAL_CLOCK.epochMs;
    const published: SigmaPacket[] = [];
    const host = {
      manifest: deepFreeze(JSON.parse(JSON.stringify(subject.manifest))),
      model: {
        complete: (request: Parameters<typeof bridge.complete>[0]) => {
          clock += VIRTUAL_CLOCK.modelCallMs;
          try {
            return bridge.complete(request);
          } catch (error) {
            throw { code: (error as { code?: string }).code };
          }
        },
      },
      embed: (text: string) => embed(String(text)),
      sync: { publish: (packet: SigmaPacket) => void published.push(JSON.parse(JSON.stringify(packet))) },
      clock: { now: () => clock },
      random,
      log: () => undefined,
    };
    const runtime = mod.createRuntime(host);
    const script = planned.scenario.script(planned.seed, subject.manifest);
    for (let i = 0; i < script.length; i++) {
      clock += VIRTUAL_CLOCK.turnMs;
      bridge.beginTurn(i + 1, script[i]!);
      const result = (await runtime.step(JSON.parse(JSON.stringify(script[i]!.turn)))) as { reply: string };
      JSON.stringify(result); // the sandbox serialises every result: keep the baseline honest
      model.classify(result.reply);
      turns += 1;
    }
  }
  return { ms: performance.now() - started, turns };
}

/**
 * ASSAY_BENCH_ONLY=parallel: only the parallelism and length figures, merged into an existing
 * audit.json (=settings: only the parallelism settings; =length: only the length scaling).
 */
async function parallelOnly(): Promise<void> {
  const subject = await benchmarkSubject();
  if (subject.label !== "core+reference") throw new Error("the parallel figures need suite core and examples/runtimes/reference");
  const input = { manifest: subject.manifest, source: subject.source, seed: SEED, repeats: REPEATS };
  const dir = join(PACKAGE_DIR, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "audit.json");
  // Each section is written as soon as it is measured (the length section takes long on a loaded machine).
  const merge = (figures: Record<string, unknown>) => {
    const previous = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>) : {};
    writeFileSync(file, `${JSON.stringify({ ...previous, ...figures, parallelMeasuredAt: new Date().toISOString() }, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  };
  const only = process.env.ASSAY_BENCH_ONLY;
  if (only !== "length") merge({ parallel: await benchParallel(input) });
  if (only !== "settings") merge({ lengthScaling: await benchLengthScaling(input, (partial) => merge({ lengthScaling: partial })) });
}

async function main(): Promise<void> {
  if (["parallel", "settings", "length"].includes(process.env.ASSAY_BENCH_ONLY ?? "")) return parallelOnly();
  const subject = await benchmarkSubject();
  const loadStart = performance.now();
  await loadQuickJs(DEFAULT_SANDBOX_LIMITS.memoryBytes);
  const quickjsLoadMs = performance.now() - loadStart;

  const sandboxTimes: number[] = [];
  let result = await runSuite({ suite: subject.suite, seed: SEED, manifest: subject.manifest, bundleSource: subject.source });
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    result = await runSuite({ suite: subject.suite, seed: SEED, manifest: subject.manifest, bundleSource: subject.source });
    sandboxTimes.push(performance.now() - t0);
  }
  const faults = result.runs.flatMap((r) => r.records.filter((t) => t.fault).map((t) => `${r.scenario.id}@${t.index}: ${t.fault!.kind}`));
  const turns = result.usage.turns;
  const sandboxMs = median(sandboxTimes);

  const childStart = performance.now();
  const child = await auditInChildProcess({ suite: subject.suiteRef, seed: SEED, manifest: subject.manifest, bundleSource: subject.source });
  const childMs = performance.now() - childStart;
  const sameTranscript = digestOf(child.runs.map((r) => r.records)) === digestOf(result.runs.map((r) => r.records));

  // The whole audit as the CLI and the workers run it: child process, sandbox,
  // suite, metrics, findings, report and its digest.
  const fullTimes: number[] = [];
  let full: Awaited<ReturnType<typeof auditArtifact>> | null = null;
  const digest = subjectDigest([{ path: "sigma-runtime.json", content: JSON.stringify(subject.manifest) }, { path: subject.manifest.entry, content: subject.source }]);
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    full = await auditArtifact({ manifest: subject.manifest, bundleSource: subject.source, subjectDigest: digest, suite: subject.suite.id, seed: SEED });
    fullTimes.push(performance.now() - t0);
  }
  const fullMs = median(fullTimes);

  await runNative(subject); // warm-up (module import, JIT)
  const nativeTimes: number[] = [];
  for (let i = 0; i < REPEATS; i++) nativeTimes.push((await runNative(subject)).ms);
  const nativeMs = median(nativeTimes);

  const usage = process.resourceUsage();
  const memory = process.memoryUsage();
  const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
  const report = {
    benchmark: "assay.audit.bench/v1",
    measuredAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: (await import("node:os")).cpus().length },
    engine: ENGINE,
    subject: { label: subject.label, note: subject.note, suite: { id: subject.suite.id, version: subject.suite.version }, runtime: subject.manifest.name, seed: SEED },
    limits: DEFAULT_SANDBOX_LIMITS,
    quickjsLoadMs: round(quickjsLoadMs),
    sandbox: {
      runs: result.runs.length,
      turns,
      wallMsMedian: round(sandboxMs),
      wallMsAll: sandboxTimes.map((t) => round(t)),
      turnsPerSecond: round((turns / sandboxMs) * 1000, 0),
      msPerTurn: round(sandboxMs / turns, 3),
      budgetUnits: result.usage.budgetUnits,
      modelCalls: result.usage.modelCalls,
      faults,
    },
    childProcess: { wallMs: round(childMs), outcome: child.outcome.status, sameTranscriptAsInProcess: sameTranscript },
    fullAudit: { wallMsMedian: round(fullMs), wallMsAll: fullTimes.map((t) => round(t)), verdict: full!.report.verdict, reportDigest: full!.report.digest },
    native: { wallMsMedian: round(nativeMs), wallMsAll: nativeTimes.map((t) => round(t)), turnsPerSecond: round((turns / nativeMs) * 1000, 0) },
    ratioSandboxedOverNative: round(sandboxMs / nativeMs, 2),
    memory: { maxRssMb: round(usage.maxRSS / 1024), rssMb: round(memory.rss / 1024 / 1024), heapUsedMb: round(memory.heapUsed / 1024 / 1024), externalMb: round(memory.external / 1024 / 1024), arrayBuffersMb: round(memory.arrayBuffers / 1024 / 1024) },
    target: { suiteTurnsWithin5s: sandboxMs <= 5_000, fullAuditWithin5s: fullMs <= 5_000 },
  };
  // Where the sandbox's time goes (bench/sandbox-profile.ts): `npm run bench -w @assay/audit -- --profile`.
  const profile = process.argv.includes("--profile") ? await (await import("./sandbox-profile")).profileSandbox(REPEATS) : undefined;
  // The Python reference's full core audit in the Pyodide sandbox (bench/python.bench.ts).
  const python = subject.label === "core+reference" ? await benchPython(subject.suite) : { skipped: "suite core missing" };
  // Parallel audits and length scaling (bench/parallel.bench.ts).
  const scaling =
    subject.label === "core+reference"
      ? await (async () => {
          const input = { manifest: subject.manifest, source: subject.source, seed: SEED, repeats: REPEATS };
          return { parallel: await benchParallel(input), lengthScaling: await benchLengthScaling(input) };
        })()
      : { parallel: { skipped: "suite core missing" }, lengthScaling: { skipped: "suite core missing" } };
  const dir = join(PACKAGE_DIR, "bench-results");
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify({ ...report, ...(profile ? { profile } : {}), python, ...scaling }, null, 2)}\n`;
  writeFileSync(join(dir, "audit.json"), text);
  process.stdout.write(text);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
