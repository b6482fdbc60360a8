import { existsSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ManifestSchema, digestOf, type Manifest } from "@assay/protocol";
import { createProbeSuite, runAudit, runSuite, type SuiteRunResult } from "../src/engine";
import { auditInChildProcess } from "../src/process";
import type { SandboxFaultKind } from "../src/types";

jest.setTimeout(60_000);

const examples = join(__dirname, "..", "..", "..", "examples", "runtimes");
const probeRuntime = readFileSync(join(__dirname, "..", "bench", "probe-runtime.js"), "utf8");
const probeSuiteModule = join(__dirname, "..", "src", "engine", "probe-suite.ts");
const suite = createProbeSuite({ turns: 10, runs: 2, faultTurn: 4 });
const CANARY_FILE = "/tmp/assay-hostile-canary";
const CANARY_ENV = "ASSAY_HOSTILE_CANARY";

// Raw source on purpose, unlike test/support/load-example.ts (which bundles with
// esbuild): the CLI's bundler refuses some hostile code (Node built-ins), and the
// sandbox must be shown to contain it when it does arrive unbundled.
function loadExample(name: string): { manifest: Manifest; source: string } {
  const dir = join(examples, name);
  const manifest = ManifestSchema.parse(JSON.parse(readFileSync(join(dir, "sigma-runtime.json"), "utf8")));
  return { manifest, source: readFileSync(join(dir, manifest.entry), "utf8") };
}

const normal = loadExample("hostile-crash-on-fault").manifest; // any valid manifest works for the probe runtime
const normalManifest: Manifest = { ...normal, name: "probe-runtime", description: "engine probe" };
const transcript = (result: SuiteRunResult) => digestOf(result.runs.map((r) => r.records));
const faultsOf = (result: SuiteRunResult) => result.runs.map((r) => r.records.find((t) => t.fault)?.fault);

let baseline: string;

beforeAll(async () => {
  rmSync(CANARY_FILE, { force: true });
  process.env[CANARY_ENV] = "canary-value-7f3a";
  baseline = transcript(await runSuite({ suite, seed: 4, manifest: normalManifest, bundleSource: probeRuntime }));
});

afterAll(() => {
  delete process.env[CANARY_ENV];
});

const cases: [string, SandboxFaultKind, RegExp, number][] = [
  ["hostile-infinite-loop", "timeout", /CPU budget/, 3],
  ["hostile-memory-bomb", "memory", /out of memory/, 1],
  ["hostile-forbidden-api", "forbidden_api", /^forbidden access: global require$/, 1],
  ["hostile-crash-on-fault", "crash", /provider_error/, 4],
  ["hostile-huge-output", "output_limit", /exceeded 262144 bytes/, 1],
  ["hostile-prototype-pollution", "forbidden_api", /host tampering: set host\.model\.complete/, 1],
];

describe.each(cases)("%s", (name, kind, message, turn) => {
  it(`ends every run as a ${kind} fault at turn ${turn}, and the next audit is unaffected`, async () => {
    const { manifest, source } = loadExample(name);
    expect(manifest.suite).toBe("core");
    const hostile = await runSuite({ suite, seed: 4, manifest, bundleSource: source });
    for (const run of hostile.runs) {
      expect(run.completed).toBe(false);
      const last = run.records[run.records.length - 1]!;
      expect(last.index).toBe(turn);
      expect(last.fault?.kind).toBe(kind);
      expect(last.fault?.message).toMatch(message);
    }
    // Nothing reached the host: no file, no pollution, no leaked environment.
    expect(existsSync(CANARY_FILE)).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, "toJSON")).toBe(false);
    expect(JSON.parse('{"a":1}')).toEqual({ a: 1 });
    expect([1, 2].map((x) => x + 1)).toEqual([2, 3]);
    expect(JSON.stringify(hostile.runs.map((r) => r.records))).not.toContain("canary-value-7f3a");
    // The next audit in the same process gives the same transcript as before.
    const after = await runSuite({ suite, seed: 4, manifest: normalManifest, bundleSource: probeRuntime });
    expect(transcript(after)).toBe(baseline);
  });
});

describe("hostile runtimes under suite core", () => {
  const codeOf: Record<SandboxFaultKind, string> = {
    timeout: "RUNTIME_TIMEOUT",
    memory: "RUNTIME_MEMORY",
    forbidden_api: "RUNTIME_FORBIDDEN_API",
    crash: "RUNTIME_CRASH",
    output_limit: "RUNTIME_OUTPUT_LIMIT",
    invalid_result: "PACKET_INVALID",
  };

  it("end as their expected faults and critical findings, and the report fails", async () => {
    const { coreSuite } = await import("../src/suites/core");
    const { reportFromSuiteRun } = await import("../src/report/fromSuiteRun");
    for (const [name, kind] of cases) {
      const { manifest, source } = loadExample(name);
      const files = [
        { path: "sigma-runtime.json", content: JSON.stringify(manifest) },
        { path: "runtime.js", content: source },
      ];
      const { report, run } = await runAudit({ suite: coreSuite, seed: 1, manifest, bundleSource: source, files, limits: { stepBudget: 200 }, buildReport: reportFromSuiteRun });
      const kinds = new Set(faultsOf(run).filter((f) => f).map((f) => f!.kind));
      expect([name, [...kinds]]).toEqual([name, [kind]]);
      expect([name, report.verdict]).toEqual([name, "fail"]);
      expect(report.findings.some((f) => f.code === codeOf[kind] && f.severity === "critical")).toBe(true);
      expect(report.limits.stepBudget).toBe(200);
    }
  });
});

describe("no way out", () => {
  let server: Server;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.end("pwned");
    });
    server.on("connection", () => {
      hits += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("reaches no network, file or environment through any global or import", async () => {
    const port = (server.address() as AddressInfo).port;
    const attempts = [
      `fetch("http://127.0.0.1:${port}/x")`,
      `new XMLHttpRequest().open("GET", "http://127.0.0.1:${port}/")`,
      `new WebSocket("ws://127.0.0.1:${port}/")`,
      `require("http").get("http://127.0.0.1:${port}/")`,
      `process.env.${CANARY_ENV}`,
      `globalThis.constructor.constructor("return process")().env`,
      `Function("return this")().process`,
    ];
    for (const attempt of attempts) {
      const source = `export function createRuntime(host) { return { async step(turn) {
        let got = "none";
        try { got = String(await (${attempt})); } catch (e) { got = "threw " + e; }
        try { const m = await import("node:http"); got += typeof m; } catch (e) {}
        return { reply: got, packet: null };
      } }; }`;
      const result = await runSuite({ suite: createProbeSuite({ turns: 2 }), seed: 1, manifest: normalManifest, bundleSource: source });
      const records = result.runs[0]!.records;
      const fault = records[records.length - 1]!.fault;
      expect([attempt, fault?.kind]).toEqual([attempt, "forbidden_api"]);
      expect(JSON.stringify(records)).not.toContain("canary-value-7f3a");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hits).toBe(0);
  });

  it("keeps a hostile runtime in the child process from harming the next audit", async () => {
    const hostileRuns = await Promise.all(
      ["hostile-memory-bomb", "hostile-forbidden-api"].map((name) => {
        const { manifest, source } = loadExample(name);
        return auditInChildProcess({ suite: { module: probeSuiteModule, export: "createProbeSuite", options: { turns: 10, runs: 2, faultTurn: 4 } }, seed: 4, manifest, bundleSource: source });
      }),
    );
    expect(hostileRuns.map((r) => [r.outcome.status, r.runs[0]!.records[0]!.fault?.kind])).toEqual([
      ["completed", "memory"],
      ["completed", "forbidden_api"],
    ]);
    const next = await auditInChildProcess({ suite: { module: probeSuiteModule, export: "createProbeSuite", options: { turns: 10, runs: 2, faultTurn: 4 } }, seed: 4, manifest: normalManifest, bundleSource: probeRuntime });
    expect(digestOf(next.runs.map((r) => r.records))).toBe(baseline);
    expect(existsSync(CANARY_FILE)).toBe(false);
  });
});
