// `srip13.mode` (issue 9 item 7): the alias-leak example runtime leaks names
// across scopes (ALIAS_SCOPE_LEAK). Under enforce its SRIP-13 claim is refused;
// under shadow the findings stay in the report, listed as shadowed, and the claim
// is evidenced; under off SRIP-13 is not checked (no SRIP-13 findings, the claim
// is not-tested). The report records the mode, so the mode is part of the digest
// and the same inputs (mode included) give the same digest.
import { SRIP13_CHECK_CODES, type AuditReport, type Rollout } from "@assay/protocol";
import { auditArtifact, engineIdentity, reportFromSuiteRun, type AuditArtifactResult } from "../src";
import { loadExample } from "./support/load-example";

jest.setTimeout(180_000);

let audited: AuditArtifactResult;
const example = loadExample("alias-leak");

beforeAll(async () => {
  audited = await auditArtifact({ ...example, suite: "core", seed: 1, isolation: "in-process", rollout: { srip13: "shadow" } });
});

/** The same runs, reported under another mode (what a second audit under that mode reports: the runs do not depend on it). */
function reportUnder(rollout: Rollout | undefined): AuditReport {
  const { run } = audited;
  return reportFromSuiteRun(run.runs, {
    suite: { id: run.suite.id, version: run.suite.version },
    seed: run.seed,
    engine: engineIdentity(example.manifest),
    limits: run.limits,
    subject: { name: example.manifest.name, version: example.manifest.version, digest: example.subjectDigest },
    claims: example.manifest.claims,
    usage: { modelCalls: run.usage.modelCalls, inputTokens: run.usage.inputTokens, outputTokens: run.usage.outputTokens },
    plan: run.plan,
    ...(rollout ? { rollout } : {}),
  });
}
const srip13 = (r: AuditReport) => r.claims.find((c) => c.srip === "SRIP-13")!;
const codes = (r: AuditReport) => new Set(r.findings.map((f) => f.code));

it("enforce (the default): ALIAS_SCOPE_LEAK refuses the SRIP-13 claim; the report records enforce", () => {
  for (const report of [reportUnder(undefined), reportUnder({ srip13: "enforce" })]) {
    expect(report.rollout).toEqual({ srip13: "enforce" });
    expect(codes(report)).toContain("ALIAS_SCOPE_LEAK");
    expect(srip13(report).status).toBe("not-evidenced");
    expect(srip13(report).findings).toContain("ALIAS_SCOPE_LEAK");
    expect(srip13(report).shadowed).toBeUndefined();
  }
  expect(reportUnder(undefined).digest).toBe(reportUnder({ srip13: "enforce" }).digest);
});

it("shadow: the finding is reported, listed as shadowed, and the claim is evidenced", () => {
  const report = audited.report;
  expect(report.rollout).toEqual({ srip13: "shadow" });
  expect(codes(report)).toContain("ALIAS_SCOPE_LEAK");
  expect(srip13(report)).toMatchObject({ status: "evidenced", findings: [] });
  expect(srip13(report).shadowed).toEqual(expect.arrayContaining(["ALIAS_SCOPE_LEAK", "PARTICIPANT_SCOPE_LEAK", "SESSION_LEAK"]));
  // The other claims are untouched by the mode.
  const enforce = reportUnder({ srip13: "enforce" });
  expect(report.claims.filter((c) => c.srip !== "SRIP-13")).toEqual(enforce.claims.filter((c) => c.srip !== "SRIP-13"));
  expect(report.findings).toEqual(enforce.findings);
  // The audit run with the mode and the report rebuilt under it are byte-identical.
  expect(reportUnder({ srip13: "shadow" }).digest).toBe(report.digest);
});

it("off: SRIP-13 is not checked — none of its findings, the claim not-tested", () => {
  const report = reportUnder({ srip13: "off" });
  expect(report.rollout).toEqual({ srip13: "off" });
  for (const code of SRIP13_CHECK_CODES) expect(codes(report)).not.toContain(code);
  expect(srip13(report)).toEqual({ srip: "SRIP-13", status: "not-tested", findings: [] });
  expect(report.claims.find((c) => c.srip === "SRIP-03")!.status).toBe("evidenced");
});

it("the mode is an input of the digest: three modes, three digests", () => {
  const digests = new Set(["off", "shadow", "enforce"].map((m) => reportUnder({ srip13: m as Rollout["srip13"] }).digest));
  expect(digests.size).toBe(3);
});
