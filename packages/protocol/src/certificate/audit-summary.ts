// The certificate's `audit` block derived from an audit report, so the issuer and
// anyone holding the report compute the same summary and digests.
import { digestOf } from "../canonical";
import type { AuditReport } from "../report";
import type { CertificatePayload } from "./schema";

export function certificateAuditOf(report: AuditReport): CertificatePayload["audit"] {
  return {
    suite: { id: report.suite.id, version: report.suite.version },
    seed: report.seed,
    engine: { name: report.engine.name, version: report.engine.version },
    metrics: report.metrics.map((m) => ({ id: m.id, value: m.value, unit: m.unit, validity: m.validity })),
    findingsDigest: digestOf(report.findings),
    reportDigest: report.digest,
    criticalFindings: report.findings.filter((f) => f.severity === "critical").length,
    ...(report.rollout ? { rollout: { srip13: report.rollout.srip13 } } : {}),
  };
}
