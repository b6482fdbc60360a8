// `assay validate` end to end: the real executable, the real audit engine in its
// child process, suite core, against the example runtimes.
import { join } from "node:path";
import { AuditReportSchema } from "@assay/protocol";
import { loadRuntimeDirectory } from "../src/runtime-dir";
import { REPO_ROOT, runCli } from "./helpers";

const REFERENCE = join(REPO_ROOT, "examples/runtimes/reference");
const PASSTHROUGH = join(REPO_ROOT, "examples/runtimes/passthrough");

// Each audit runs ~120-turn scenarios in the QuickJS sandbox (a few seconds).
jest.setTimeout(120_000);

describe("assay validate (suite core)", () => {
  it("passes the reference runtime: --json prints only the report, exit 0, same digest for the default and explicit seed", async () => {
    const [byDefault, explicitSeed] = await Promise.all([
      runCli(["validate", "examples/runtimes/reference", "--json"]),
      runCli(["validate", REFERENCE, "--json", "--seed", "1"]),
    ]);

    expect(byDefault.stderr).toBe("");
    expect(byDefault.code).toBe(0);
    const report = AuditReportSchema.parse(JSON.parse(byDefault.stdout)); // throws on any extra output
    expect(report.verdict).toBe("pass");
    expect(report.findings.filter((f) => f.severity === "critical")).toEqual([]);
    expect(report.suite.id).toBe("core");
    expect(report.seed).toBe(1);
    expect(report.subject).toEqual({ name: "reference", version: "1.0.0", digest: (await loadRuntimeDirectory(REFERENCE)).subjectDigest });
    expect(report.claims).toEqual(["SRIP-03", "SRIP-05", "SRIP-13"].map((srip) => ({ srip, status: "evidenced", findings: [] })));

    expect(explicitSeed.code).toBe(0);
    expect(JSON.parse(explicitSeed.stdout).digest).toBe(report.digest);
  });

  it("fails the pass-through runtime: exit 1, a plain summary on stdout and plain progress lines on stderr", async () => {
    const result = await runCli(["validate", PASSTHROUGH]);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {2}passthrough@/);
    expect(result.stdout).toMatch(/subject digest {2}0x[0-9a-f]{64}/);
    expect(result.stdout).toMatch(/report digest {3}0x[0-9a-f]{64}/);
    expect(result.stdout).toMatch(/\n {2}long-horizon +1 +120 +yes +0\.\d{4}/);
    expect(result.stdout).toMatch(/\n {2}critical +DRIFT_BAND_EXCEEDED +long-horizon/);
    expect(result.stderr).toMatch(/^scenario long-horizon: 120\/120 turns, max DI 0\.\d{4}$/m);
    expect(result.stdout + result.stderr).not.toMatch(/\u001b\[/); // not a TTY: no ANSI
  });

  it("exits 1 for a runtime that leaks an alias across sessions: pass verdict, SRIP-13 not evidenced with the leak codes", async () => {
    const [json, human] = await Promise.all([runCli(["validate", "examples/runtimes/alias-leak", "--json"]), runCli(["validate", "examples/runtimes/alias-leak"])]);
    expect(json.code).toBe(1);
    const report = AuditReportSchema.parse(JSON.parse(json.stdout));
    expect(report.verdict).toBe("pass");
    const srip13 = report.claims.find((c) => c.srip === "SRIP-13")!;
    expect(srip13.status).toBe("not-evidenced");
    expect(srip13.findings).toEqual(expect.arrayContaining(["ALIAS_SCOPE_LEAK", "PARTICIPANT_SCOPE_LEAK", "SESSION_LEAK"]));
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^PASS {2}alias-leak@1\.0\.0 {2}claims not evidenced: SRIP-13\n/);
    expect(human.stdout).toMatch(/\n {2}SRIP-13 +not-evidenced +ALIAS_SCOPE_LEAK, PARTICIPANT_SCOPE_LEAK, SESSION_LEAK\n/);
  });

  it("--srip13 shadow reproduces a platform audit under that flag: the leak is reported and shadowed, exit 0; a bad mode exits 2", async () => {
    const [shadow, bad] = await Promise.all([runCli(["validate", "examples/runtimes/alias-leak", "--srip13", "shadow", "--json"]), runCli(["validate", "examples/runtimes/alias-leak", "--srip13", "loud"])]);
    expect(shadow.code).toBe(0);
    const report = AuditReportSchema.parse(JSON.parse(shadow.stdout));
    expect(report.rollout).toEqual({ srip13: "shadow" });
    expect(report.findings.map((f) => f.code)).toContain("ALIAS_SCOPE_LEAK");
    expect(report.claims.find((c) => c.srip === "SRIP-13")).toMatchObject({ status: "evidenced", findings: [], shadowed: expect.arrayContaining(["ALIAS_SCOPE_LEAK"]) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/srip13/);
  });

  it("exits 1 for a runtime whose system prompt never states its name: SRIP-13 not evidenced", async () => {
    const result = await runCli(["validate", "examples/runtimes/unnamed", "--json"]);
    expect(result.code).toBe(1);
    const report = AuditReportSchema.parse(JSON.parse(result.stdout));
    expect(report.claims.find((c) => c.srip === "SRIP-13")).toMatchObject({ status: "not-evidenced", findings: expect.arrayContaining(["RUNTIME_MYTHOLOGIZED"]) });
  });

  it("survives a hostile runtime: its faults are critical findings, exit 1", async () => {
    const result = await runCli(["validate", "examples/runtimes/hostile-memory-bomb", "--json"]);
    expect(result.code).toBe(1);
    const report = AuditReportSchema.parse(JSON.parse(result.stdout));
    expect(report.verdict).toBe("fail");
    expect(report.findings).toContainEqual(expect.objectContaining({ code: "RUNTIME_MEMORY", severity: "critical" }));
  });

  it("refuses a runtime that requires a Node built-in before auditing it (exit 2)", async () => {
    const result = await runCli(["validate", "examples/runtimes/hostile-forbidden-api", "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/runtime\.js:\d+:\d+: imports the Node\.js built-in module "fs"/);
    expect(result.stdout).toBe("");
  });

  it("rejects an unknown suite with exit 2 before auditing", async () => {
    const result = await runCli(["validate", REFERENCE, "--suite", "marathon", "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown suite "marathon" \(from --suite\); known suites: core/);
    expect(result.stdout).toBe("");
  });
});
