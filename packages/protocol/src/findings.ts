// Stable finding codes and their default severities (SPEC §4). A critical finding
// is an objective sandbox fact: no vote can certify over it.
import { z } from "zod";

export const Severity = z.enum(["info", "minor", "major", "critical"]);
export type Severity = z.infer<typeof Severity>;

export const FindingCode = z.enum([
  "MANIFEST_INVALID",
  "RUNTIME_CRASH",
  "RUNTIME_TIMEOUT",
  "RUNTIME_MEMORY",
  "RUNTIME_OUTPUT_LIMIT",
  "RUNTIME_FORBIDDEN_API",
  "RUNTIME_NONDETERMINISTIC",
  "PACKET_INVALID",
  "DRIFT_BAND_EXCEEDED",
  "RECOVERY_SLOW",
  "SYNC_NOT_CONTAINED",
  "RECENTER_MISSING",
  "SELF_REPORT_MISMATCH",
  "ALIAS_SCOPE_LEAK",
  "PARTICIPANT_SCOPE_LEAK",
  "SESSION_LEAK",
  "RUNTIME_MYTHOLOGIZED",
  "CRYSTALLIZED",
  "EVIDENCE_UNVERIFIED",
]);
export type FindingCode = z.infer<typeof FindingCode>;

/**
 * Default severity per code. DRIFT_BAND_EXCEEDED is major in the recovery band
 * and critical when the measured DI stays in the critical band (> 0.7); the
 * audit picks the severity per occurrence.
 */
export const DEFAULT_SEVERITY: Record<FindingCode, Severity> = {
  MANIFEST_INVALID: "critical",
  RUNTIME_CRASH: "critical",
  RUNTIME_TIMEOUT: "critical",
  RUNTIME_MEMORY: "critical",
  RUNTIME_OUTPUT_LIMIT: "critical",
  RUNTIME_FORBIDDEN_API: "critical",
  RUNTIME_NONDETERMINISTIC: "critical",
  SYNC_NOT_CONTAINED: "critical",
  // Not in the SPEC's list: a runtime whose replies cannot be measured (blank,
  // or never the model's words) leaves no evidence to certify — critical when
  // most of a scenario is unverified, major when a sizeable share is.
  EVIDENCE_UNVERIFIED: "critical",
  DRIFT_BAND_EXCEEDED: "major",
  RECOVERY_SLOW: "major",
  RECENTER_MISSING: "major",
  SELF_REPORT_MISMATCH: "major",
  PACKET_INVALID: "major",
  ALIAS_SCOPE_LEAK: "major",
  PARTICIPANT_SCOPE_LEAK: "major",
  SESSION_LEAK: "major",
  RUNTIME_MYTHOLOGIZED: "major",
  CRYSTALLIZED: "minor",
};

export const FindingSchema = z.object({
  code: FindingCode,
  severity: Severity,
  scenario: z.string(),
  /** 1-based turn within the scenario, or null for scenario- or audit-level facts. */
  turn: z.number().int().nonnegative().nullable(),
  message: z.string(),
  evidence: z.record(z.string(), z.unknown()),
});
export type Finding = z.infer<typeof FindingSchema>;
