// Hostile Python runtimes, each in its own audit child process (Pyodide cannot
// load inside jest's module system), under a short probe suite: every one must
// end as the fault its example announces, at the turn it misbehaves, and the
// audit must complete (no wall-clock kill, no dead child).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { digestOf, type Manifest } from "@assay/protocol";
import { auditInChildProcess, type IsolatedAuditResult } from "../src/process";
import type { SandboxFaultKind } from "../src/types";
import { inBatches, loadPythonExample } from "./support/python-artifact";

jest.setTimeout(600_000);

const probeSuite = { module: join(__dirname, "..", "src", "engine", "probe-suite.ts"), export: "createProbeSuite", options: { turns: 6, runs: 1, faultTurn: 4 } };

const cases: [string, SandboxFaultKind, RegExp, number][] = [
  ["hostile-py-infinite-loop", "timeout", /^step exceeded its CPU budget of \d+ units$/, 3],
  ["hostile-py-memory-bomb", "memory", /memory exhausted/, 1],
  ["hostile-py-recursion-bomb", "memory", /stack limit exceeded \(RecursionError\)/, 1],
  ["hostile-py-set-recursion-limit", "forbidden_api", /sys\.setrecursionlimit\(1000000000\) above the sandbox's ceiling/, 1],
  ["hostile-py-huge-output", "output_limit", /exceeded 262144 bytes/, 1],
  ["hostile-py-import-socket", "forbidden_api", /^forbidden access: import of module "socket"$/, 1],
  ["hostile-py-open-passwd", "forbidden_api", /^forbidden access: file access outside the artifact: \/etc\/passwd$/, 1],
  ["hostile-py-import-js", "forbidden_api", /^forbidden access: import of module "js"$/, 1],
  ["hostile-py-crash-on-fault", "crash", /step raised ModelError: model error: provider_error/, 4],
  // The Python-level guards are detection; the boundary is the hardened JS realm around the interpreter.
  ["hostile-py-ffi-escape", "crash", /Code generation from strings disallowed/, 1],
];

// Reads the clock, datetime, uuid, random and set order every turn (test/fixtures/python/probe_runtime.py).
const probeSource = readFileSync(join(__dirname, "fixtures", "python", "probe_runtime.py"), "utf8");
const probeManifest: Manifest = {
  name: "probe-py",
  version: "1.0.0",
  protocol: "sigma-runtime/1",
  language: "python",
  entry: "runtime.py",
  identity: { name: "Probe", role: "engine probe", constraints: ["stay on the plan"] },
  claims: ["SRIP-03"],
  suite: "core",
};
const PROBE_TWICE = ["probe#1", "probe#2"] as const;

let results: Map<string, IsolatedAuditResult>;

beforeAll(async () => {
  const jobs: string[] = [...cases.map(([name]) => name), ...PROBE_TWICE];
  const runs = await inBatches(jobs, 2, async (name) => {
    if (name.startsWith("probe#")) {
      const input = { suite: probeSuite, seed: 4, manifest: probeManifest, bundleSource: probeSource };
      return [name, await auditInChildProcess(input, { wallClockMs: 240_000 })] as const;
    }
    const { manifest, sources, bundleSource } = loadPythonExample(name);
    return [name, await auditInChildProcess({ suite: probeSuite, seed: 4, manifest, bundleSource, sources }, { wallClockMs: 240_000 })] as const;
  });
  results = new Map(runs);
});

describe("the virtual world", () => {
  it("gives time, datetime, uuid4, os.urandom and random the same values in two processes, on the virtual clock", () => {
    const [a, b] = PROBE_TWICE.map((name) => results.get(name)!);
    expect(a!.outcome).toEqual({ status: "completed" });
    expect(a!.runs[0]!.completed).toBe(true);
    expect(digestOf(a!.runs.map((r) => r.records))).toBe(digestOf(b!.runs.map((r) => r.records)));
    const first = a!.runs[0]!.records[0]!.packet!.payload.memory_snapshot.summary_hash;
    // Turn 1: the clock moved 1 000 ms (turn) + 250 ms (one model call) from 2026-01-01T00:00:00Z.
    expect(first).toContain("'clock': 1767225601250");
    expect(first).toContain("'now': '2026-01-01T00:00:01.2");
    expect(first).toMatch(/'uuid': '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
    // Every turn reads new values from the seeded streams.
    const hashes = a!.runs[0]!.records.map((r) => r.packet!.payload.memory_snapshot.summary_hash);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});

describe.each(cases)("%s", (name, kind, message, turn) => {
  it(`ends the run as a ${kind} fault at turn ${turn}`, () => {
    const result = results.get(name)!;
    expect(result.outcome).toEqual({ status: "completed" });
    const [run] = result.runs;
    expect(run!.completed).toBe(false);
    const faulted = run!.records.find((r) => r.fault);
    expect(faulted?.index).toBe(turn);
    expect(faulted?.fault?.kind).toBe(kind);
    expect(faulted?.fault?.message).toMatch(message);
    // Turns before the misbehaviour are ordinary.
    for (const record of run!.records.filter((r) => r.index < turn)) expect(record.fault).toBeUndefined();
  });
});
