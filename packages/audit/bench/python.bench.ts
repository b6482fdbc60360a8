// The Python half of `npm run bench -w @assay/audit`: the Python reference
// runtime's full `core` audit in the Pyodide sandbox — wall time, interpreter
// load time, time inside the runtime's steps — and the same steps under the
// machine's native python3 (bench/python-native-driver.py replays the recorded
// host calls), so the ratio compares the same Python work.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ManifestSchema, subjectDigest, type Manifest } from "@assay/protocol";
import { auditArtifact } from "../src/audit-artifact";
import { createSandboxEngine, runSuite, type AuditSuite } from "../src/engine";
import { PythonInterpreter } from "../src/python/interpreter";
import { PYTHON_ENGINE } from "../src/python/limits";
import { PythonEngine } from "../src/python/engine";
import { PythonRuntimeSandbox } from "../src/python/python-sandbox";
import { resolveSandboxLimits } from "../src/sandbox/limits";

const REPO = join(__dirname, "..", "..", "..");
const SEED = 42;

function pythonArtifact(dir: string): { manifest: Manifest; sources: Record<string, string> } {
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(dir, "sigma-runtime.json"), "utf8")));
  const sources: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".py")) sources[relative(dir, path)] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return { manifest, sources };
}

/** Real milliseconds: performance.now and Date.now read the virtual clock while a Python step runs. */
const realMs = () => Number(process.hrtime.bigint()) / 1e6;

type Recorded = { turns: unknown[]; calls: [string, string][] };

/** Wrap the sandbox's step and host calls to time them and record what the host answered. */
function instrument(): { runs: Recorded[]; stepMs: () => number; hostMs: () => number; restore: () => void } {
  const runs: Recorded[] = [];
  let stepMs = 0;
  let hostMs = 0;
  const interpreterProto = PythonInterpreter.prototype as unknown as { step: (...args: unknown[]) => string };
  const sandboxProto = PythonRuntimeSandbox.prototype as unknown as { step: (turn: unknown) => unknown; hostCall: (name: string, body: string) => string };
  const realInterpreterStep = interpreterProto.step;
  const realStep = sandboxProto.step;
  const realHostCall = sandboxProto.hostCall;
  const current = new WeakMap<object, Recorded>();
  interpreterProto.step = function (this: unknown, ...args: unknown[]) {
    const t0 = realMs();
    try {
      return realInterpreterStep.apply(this, args);
    } finally {
      stepMs += realMs() - t0;
    }
  };
  sandboxProto.step = function (this: object, turn: unknown) {
    let run = current.get(this);
    if (!run) {
      run = { turns: [], calls: [] };
      current.set(this, run);
      runs.push(run);
    }
    run.turns.push(turn);
    return realStep.call(this, turn);
  };
  sandboxProto.hostCall = function (this: object, name: string, body: string) {
    const t0 = realMs();
    const response = realHostCall.call(this, name, body);
    hostMs += realMs() - t0;
    current.get(this)?.calls.push([name, response]);
    return response;
  };
  return {
    runs,
    stepMs: () => stepMs,
    hostMs: () => hostMs,
    restore: () => {
      interpreterProto.step = realInterpreterStep;
      sandboxProto.step = realStep;
      sandboxProto.hostCall = realHostCall;
    },
  };
}

export async function benchPython(coreSuite: AuditSuite): Promise<Record<string, unknown>> {
  const dir = join(REPO, "examples", "runtimes", "reference-py");
  const { manifest, sources } = pythonArtifact(dir);
  const limits = resolveSandboxLimits();
  const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

  // In process, instrumented: interpreter load, Python step time, host time, and the recording.
  const probe = instrument();
  const engine = createSandboxEngine({ manifest, bundleSource: sources[manifest.entry]!, files: sources, limits }) as PythonEngine;
  const t0 = performance.now();
  const run = await runSuite({ suite: coreSuite, seed: SEED, manifest, bundleSource: sources[manifest.entry]!, engine });
  const inProcessMs = performance.now() - t0;
  probe.restore();

  // The full audit as the CLI and the worker run it: child process, interpreter, suite, report.
  const files = [{ path: "sigma-runtime.json", content: JSON.stringify(manifest) }, ...Object.entries(sources).map(([path, content]) => ({ path, content }))];
  const t1 = performance.now();
  const full = await auditArtifact({ manifest, bundleSource: sources[manifest.entry]!, sources, subjectDigest: subjectDigest(files), suite: "core", seed: SEED });
  const fullMs = performance.now() - t1;

  // The same steps under native CPython.
  const tmp = mkdtempSync(join(tmpdir(), "assay-bench-py-"));
  const recording = join(tmp, "recording.json");
  writeFileSync(recording, JSON.stringify({ entry: manifest.entry, manifest, runs: probe.runs }));
  const native = spawnSync("python3", ["-B", join(__dirname, "python-native-driver.py"), recording, dir], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", PYTHONHASHSEED: "0" } });
  const nativeResult = native.status === 0 ? (JSON.parse(native.stdout) as { stepMs: number; hostMs: number; turns: number; mismatches: number; python: string }) : null;

  const sandboxPythonMs = probe.stepMs() - probe.hostMs();
  const nativePythonMs = nativeResult ? nativeResult.stepMs - nativeResult.hostMs : null;
  return {
    engine: PYTHON_ENGINE,
    runtime: manifest.name,
    turns: run.usage.turns,
    budgetUnits: run.usage.budgetUnits,
    interpreterLoadMs: engine.loadMs,
    interpreterLoads: engine.loads,
    inProcess: { wallMs: round(inProcessMs), stepMs: round(probe.stepMs()), hostCallMs: round(probe.hostMs()), pythonInStepsMs: round(sandboxPythonMs) },
    fullAudit: { wallMs: round(fullMs), outcome: full.run.outcome.status, verdict: full.report.verdict, claims: full.report.claims.map((c) => `${c.srip}:${c.status}`), reportDigest: full.report.digest },
    native: nativeResult ? { python: nativeResult.python, stepMs: round(nativeResult.stepMs), hostReplayMs: round(nativeResult.hostMs), pythonInStepsMs: round(nativePythonMs!), hostCallMismatches: nativeResult.mismatches } : { error: native.stderr.slice(-2000) },
    ratioSandboxedOverNative: nativePythonMs ? round(sandboxPythonMs / nativePythonMs, 2) : null,
    target: { fullAuditWithin15s: fullMs <= 15_000 },
  };
}

if (require.main === module) {
  void (async () => {
    const { coreSuite } = (await import("../src/suites/core")) as { coreSuite: AuditSuite };
    process.stdout.write(`${JSON.stringify(await benchPython(coreSuite), null, 2)}\n`);
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
