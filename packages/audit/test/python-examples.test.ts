// Python runtimes under the full `core` suite, through auditArtifact in audit
// child processes (as the CLI and the worker run them): the Python reference
// passes with every claim evidenced, the passthrough fails like the JS one, the
// shared-alias bug is caught by SRIP-13, an id()/hash()-dependent runtime is
// caught by the replay, and two processes give the same report digest.
import { auditArtifact, type AuditArtifactResult } from "../src";
import { inBatches, loadPythonExample } from "./support/python-artifact";

jest.setTimeout(1_200_000);

const SUBJECT = `0x${"ab".repeat(32)}` as const;

async function audit(name: string): Promise<AuditArtifactResult> {
  const { manifest, sources, bundleSource } = loadPythonExample(name);
  // A generous wall clock: this machine runs many jobs at once, and a kill here would test the machine, not the engine.
  return auditArtifact({ manifest, bundleSource, sources, subjectDigest: SUBJECT, suite: "core", seed: 42, isolation: "child", limits: { wallClockMs: 900_000 } });
}

const names = ["reference-py", "reference-py", "passthrough-py", "alias-leak-py", "hostile-py-id-nondeterminism"] as const;
let results: AuditArtifactResult[];

beforeAll(async () => {
  results = await inBatches(names, 2, audit);
});

it("reference-py passes core with every claim evidenced, and names the Pyodide engine", () => {
  const { report, run } = results[0]!;
  expect(run.outcome).toEqual({ status: "completed" });
  expect(report.verdict).toBe("pass");
  expect(report.claims.map((c) => [c.srip, c.status])).toEqual([
    ["SRIP-03", "evidenced"],
    ["SRIP-05", "evidenced"],
    ["SRIP-13", "evidenced"],
  ]);
  expect(report.engine.name).toBe("pyodide");
  expect(report.engine.version).toMatch(/^314\.0\.7\+cpython-3\.14\.2\+assay-py-/);
  expect(run.runs.flatMap((r) => r.records).filter((r) => r.fault)).toEqual([]);
});

it("the same artifact, suite and seed give the same report digest in two processes", () => {
  expect(results[1]!.report.digest).toBe(results[0]!.report.digest);
  expect(results[1]!.run.usage).toEqual(results[0]!.run.usage);
});

it("passthrough-py fails core like the JavaScript passthrough", () => {
  const { report } = results[2]!;
  expect(report.verdict).toBe("fail");
  const codes = new Set(report.findings.map((f) => f.code));
  expect(codes.has("SELF_REPORT_MISMATCH")).toBe(true);
  expect(report.claims.find((c) => c.srip === "SRIP-03")?.status).toBe("not-evidenced");
});

it("a module-level alias dict shared by all sessions leaves SRIP-13 not evidenced", () => {
  const { report } = results[3]!;
  const srip13 = report.claims.find((c) => c.srip === "SRIP-13")!;
  expect(srip13.status).toBe("not-evidenced");
  expect(srip13.findings).toEqual(expect.arrayContaining(["ALIAS_SCOPE_LEAK"]));
  expect(report.claims.find((c) => c.srip === "SRIP-03")?.status).toBe("evidenced");
});

it("a reply chosen by hash(object()) differs on the replay: RUNTIME_NONDETERMINISTIC", () => {
  const { report } = results[4]!;
  expect(report.findings.map((f) => f.code)).toContain("RUNTIME_NONDETERMINISTIC");
});
