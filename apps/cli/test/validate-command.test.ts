// validateCommand with an injected engine: exit codes by verdict, --json output
// holding only the report, unknown suites, reports that do not match the artifact.
import { availableParallelism } from "node:os";
import { AuditReportSchema, type AuditReport } from "@assay/protocol";
import { validateCommand } from "../src/commands/validate";
import { AuditRunError, UsageError } from "../src/errors";
import type { CommandIo } from "../src/io";
import type { AuditEngine, AuditRequest } from "../src/validate/audit-engine";
import { removeTempDirs, runtimeDir, validRuntimeFiles } from "./helpers";
import { CRASH_FINDING, LEAK_FINDING, RECOVERY_FINDING, reportFixture } from "./report-fixture";

afterEach(removeTempDirs);

function captureIo(): CommandIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    stderrIsTty: false,
    stdoutColors: false,
    stderrStream: process.stderr,
    onInterrupt: () => () => {},
  };
  return io;
}

function fakeEngine(makeReport: (request: AuditRequest) => AuditReport): AuditEngine & { requests: AuditRequest[] } {
  const requests: AuditRequest[] = [];
  return {
    requests,
    suiteIds: () => ["core"],
    async run(request, onProgress) {
      requests.push(request);
      onProgress({ scenario: "long-horizon", turn: 120, turns: 120, di: 4123 });
      return makeReport(request);
    },
  };
}

const subjectOf = (r: AuditRequest) => ({ name: r.runtime.manifest.name, version: r.runtime.manifest.version, digest: r.runtime.subjectDigest });

describe("validateCommand", () => {
  it("--json: prints exactly the report on stdout, nothing on stderr, exit 0 on pass", async () => {
    const io = captureIo();
    const engine = fakeEngine((r) => reportFixture(subjectOf(r)));
    const code = await validateCommand(runtimeDir(validRuntimeFiles()), { json: true, seed: "42" }, io, engine);

    expect(code).toBe(0);
    expect(io.err).toBe("");
    const printed = AuditReportSchema.parse(JSON.parse(io.out));
    expect(printed.verdict).toBe("pass");
    expect(engine.requests[0]).toMatchObject({ suite: "core", seed: 42 });
  });

  it("exit 1 on a failing report; plain progress on stderr and summary on stdout without --json", async () => {
    const io = captureIo();
    const code = await validateCommand(runtimeDir(validRuntimeFiles()), {}, io, fakeEngine((r) => reportFixture(subjectOf(r), [CRASH_FINDING])));
    expect(code).toBe(1);
    expect(io.err).toBe("scenario long-horizon: 120/120 turns, max DI 0.4123\n");
    expect(io.out).toMatch(/^FAIL {2}fixture-runtime@1\.0\.0/);
    expect(io.out).toContain("RUNTIME_CRASH");
  });

  it("exit 1 on a pass verdict whose claim is not evidenced; --json carries the claims", async () => {
    const io = captureIo();
    const code = await validateCommand(runtimeDir(validRuntimeFiles()), { json: true }, io, fakeEngine((r) => reportFixture(subjectOf(r), [RECOVERY_FINDING])));
    expect(code).toBe(1);
    const printed = AuditReportSchema.parse(JSON.parse(io.out));
    expect(printed.verdict).toBe("pass");
    expect(printed.claims).toEqual([
      { srip: "SRIP-03", status: "not-evidenced", findings: ["RECOVERY_SLOW"] },
      { srip: "SRIP-05", status: "evidenced", findings: [] },
    ]);
  });

  it("exit 0 when a major finding maps to an SRIP the runtime does not claim", async () => {
    const code = await validateCommand(runtimeDir(validRuntimeFiles()), {}, captureIo(), fakeEngine((r) => reportFixture(subjectOf(r), [LEAK_FINDING])));
    expect(code).toBe(0);
  });

  it("exit 1 when a claim is not tested by the suite", async () => {
    const engine = fakeEngine((r) => {
      const report = reportFixture(subjectOf(r));
      return { ...report, claims: [report.claims[0]!, { srip: "SRIP-05", status: "not-tested", findings: [] }] };
    });
    expect(await validateCommand(runtimeDir(validRuntimeFiles()), {}, captureIo(), engine)).toBe(1);
  });

  it("refuses a report whose claims are not the manifest's", async () => {
    const engine = fakeEngine((r) => reportFixture(subjectOf(r), [], ["SRIP-03"]));
    await expect(validateCommand(runtimeDir(validRuntimeFiles()), {}, captureIo(), engine)).rejects.toThrow(/claims \[SRIP-03\].*manifest claims \[SRIP-03, SRIP-05\]/);
  });

  it("defaults the suite to the manifest's and the seed to 1", async () => {
    const engine = fakeEngine((r) => reportFixture(subjectOf(r)));
    await validateCommand(runtimeDir(validRuntimeFiles()), {}, captureIo(), engine);
    expect(engine.requests[0]).toMatchObject({ suite: "core", seed: 1 });
  });

  it("--parallelism reaches the engine (default: the machine's cores) and a bad value is a usage error", async () => {
    const engine = fakeEngine((r) => reportFixture(subjectOf(r)));
    await validateCommand(runtimeDir(validRuntimeFiles()), { parallelism: "3" }, captureIo(), engine);
    expect(engine.requests[0]).toMatchObject({ parallelism: 3 });
    await validateCommand(runtimeDir(validRuntimeFiles()), {}, captureIo(), engine);
    expect(engine.requests[1]).toMatchObject({ parallelism: Math.max(1, availableParallelism()) });
    for (const bad of ["0", "65", "two", "1.5"]) {
      const error = await validateCommand(runtimeDir(validRuntimeFiles()), { parallelism: bad }, captureIo(), engine).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(/^invalid --parallelism: must be a whole number between 1 and 64$/);
    }
    expect(engine.requests).toHaveLength(2);
  });

  it("rejects an unknown suite before running anything", async () => {
    const engine = fakeEngine((r) => reportFixture(subjectOf(r)));
    const error = await validateCommand(runtimeDir(validRuntimeFiles()), { suite: "marathon" }, captureIo(), engine).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('unknown suite "marathon" (from --suite); known suites: core');
    expect(engine.requests).toHaveLength(0);
  });

  it("refuses a report about another artifact", async () => {
    const engine = fakeEngine((r) => reportFixture({ ...subjectOf(r), digest: `0x${"0".repeat(64)}` }));
    await expect(validateCommand(runtimeDir(validRuntimeFiles()), {}, captureIo(), engine)).rejects.toBeInstanceOf(AuditRunError);
  });
});
