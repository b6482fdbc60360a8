export { runScenario, runScenarioSync, ScenarioRunner, type RunScenarioInput } from "./run-scenario";
export { createProbeSuite, createProbeScenario, createProbeModel, probeSuite, type ProbeSuiteOptions } from "./probe-suite";
export {
  runSuite,
  runPlannedRuns,
  type RunSelection,
  type RunEnd,
  planOf,
  planInfo,
  usageOf,
  type AuditSuite,
  type AuditPlannedRun,
  type PlannedRunInfo,
  type RunSuiteInput,
  type SuiteRunResult,
  type AuditUsage,
  type TurnDiMeasure,
} from "./run-suite";
export { runAudit, reportMeta, type AuditReportMeta, type ReportBuilder, type RunAuditInput, type AuditResult } from "./audit";
export { TurnModelBridge } from "./model-bridge";
export { ENGINE, ENGINE_VERSION } from "./version";
export type { AuditProgressEvent, ProgressListener } from "./events";
export { createSandboxEngine, engineIdentity, type SandboxEngine, type StepSandbox, type OpenSandbox, type EngineInput } from "./sandbox-engine";
