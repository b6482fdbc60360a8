// A protocol-valid audit report for rendering and command tests.
import { digestOf, type AuditReport, type Finding } from "@assay/protocol";

export function reportFixture(subject: { name: string; version: string; digest: `0x${string}` }, findings: Finding[] = []): AuditReport {
  const unsigned: Omit<AuditReport, "digest"> = {
    format: "assay.report/v1",
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

export const CRYSTALLIZED_FINDING: Finding = {
  code: "CRYSTALLIZED",
  severity: "minor",
  scenario: "long-horizon",
  turn: null,
  message: "stability crystallised for 5 cycles",
  evidence: {},
};
