// Hostile Python runtimes, each in its own audit child process (Pyodide cannot
// load inside jest's module system), under a short probe suite: every one must
// end as the fault its example announces, at the turn it misbehaves, and the
// audit must complete (no wall-clock kill, no dead child).
import { join } from "node:path";
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
];

let results: Map<string, IsolatedAuditResult>;

beforeAll(async () => {
  const runs = await inBatches(cases, 2, async ([name]) => {
    const { manifest, sources, bundleSource } = loadPythonExample(name);
    return [name, await auditInChildProcess({ suite: probeSuite, seed: 4, manifest, bundleSource, sources }, { wallClockMs: 240_000 })] as const;
  });
  results = new Map(runs);
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
