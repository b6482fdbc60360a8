// A protocol-valid audit report for rendering and command tests.
import { claimResults, digestOf, type AuditReport, type Finding, type SripClaim } from "@assay/protocol";

/** The claims of the test runtime's manifest (test/helpers.ts validRuntimeFiles). */
export const FIXTURE_CLAIMS: SripClaim[] = ["SRIP-03", "SRIP-05"];

export function reportFixture(
  subject: { name: string; version: string; digest: `0x${string}` },
  findings: Finding[] = [],
  claimed: SripClaim[] = FIXTURE_CLAIMS,
): AuditReport {
  const unsigned: Omit<AuditReport, "digest"> = {
    format: "assay.report/v2",
    verdict: findings.some((f) => f.severity === "critical") ? "fail" : "pass",
    suite: { id: "core", version: "1.0.0" },
    seed: 7,
    engine: { name: "assay-audit", version: "0.1.0" },
    profile: "srs.profile.core.v1",
    limits: { memoryBytes: 1, stackBytes: 1, stepBudget: 1, auditBudget: 1, outputBytes: 1, wallClockMs: 1 },
    subject,
    metrics: [],
    scenarios: [
      {
        id: "long-horizon",
        title: "Long-horizon task",
        seed: 7,
        turns: 120,
        completed: true,
        transcriptDigest: `0x${"a".repeat(64)}`,
        metrics: [{ id: "srs.composite_drift_index.v1", value: 4123, unit: "bps", validity: "valid" }],
      },
      {
        id: "provider-faults",
        title: "Provider faults",
        seed: 7,
        turns: 12,
        completed: false,
        transcriptDigest: `0x${"b".repeat(64)}`,
        metrics: [{ id: "srs.composite_drift_index.v1", value: null, unit: "bps", validity: "unverified" }],
      },
    ],
    findings,
    claims: claimResults(claimed, ["SRIP-03", "SRIP-05", "SRIP-13"], findings),
    usage: { modelCalls: 132, inputTokens: 1000, outputTokens: 2000 },
  };
  return { ...unsigned, digest: digestOf(unsigned) };
}

export const CRASH_FINDING: Finding = {
  code: "RUNTIME_CRASH",
  severity: "critical",
  scenario: "provider-faults",
  turn: 12,
  message: "step threw TypeError: x is undefined",
  evidence: {},
};

export const LEAK_FINDING: Finding = {
  code: "SESSION_LEAK",
  severity: "major",
  scenario: "multi-session",
  turn: 30,
  message: "a session-local alias answered in another session",
  evidence: {},
};

export const RECOVERY_FINDING: Finding = {
  code: "RECOVERY_SLOW",
  severity: "major",
  scenario: "drift-pressure",
  turn: null,
  message: "recovery took 9 turns",
  evidence: {},
};

export const CRYSTALLIZED_FINDING: Finding = {
  code: "CRYSTALLIZED",
  severity: "minor",
  scenario: "long-horizon",
  turn: null,
  message: "stability crystallised for 5 cycles",
  evidence: {},
};
