// What a seated validator reads before it votes: GET
// /v1/agent/assemblies/:id/evidence. The audit's summary, its per-scenario
// summaries, every finding with its evidence and its key (CODE@scenario, what
// a vote's findingOpinions refer to), and the report's claims with their
// status and the finding codes that count against them (what a vote's
// per-claim verdicts refer to). One schema for the server and the agents.
import { z } from "zod";
import { ClaimResultSchema } from "./claims";
import { FindingSchema } from "./findings";
import { AuditReportSchema, ScenarioSummarySchema } from "./report";

export const EvidenceFindingSchema = FindingSchema.extend({ key: z.string() });

export const AssemblyEvidenceSchema = z.object({
  assemblyId: z.string(),
  submissionId: z.string(),
  subject: AuditReportSchema.shape.subject,
  reportDigest: AuditReportSchema.shape.digest,
  auditVerdict: AuditReportSchema.shape.verdict,
  suite: AuditReportSchema.shape.suite,
  seed: AuditReportSchema.shape.seed,
  /** The sandbox engine that ran the audit ("pyodide" for a Python runtime, QuickJS otherwise). */
  engine: AuditReportSchema.shape.engine,
  metrics: AuditReportSchema.shape.metrics,
  scenarios: z.array(ScenarioSummarySchema.omit({ seed: true })),
  findings: z.array(EvidenceFindingSchema),
  /** One entry per claimed SRIP, ascending: "evidenced" is the only status an assembly can grant. */
  claims: z.array(ClaimResultSchema),
  /** The rollout modes the audit ran under (report.rollout): under srip13.mode shadow, SRIP-13 findings are reported but listed as `shadowed` on the claim. */
  rollout: AuditReportSchema.shape.rollout,
});
export type AssemblyEvidence = z.infer<typeof AssemblyEvidenceSchema>;
