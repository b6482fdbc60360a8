export { effectiveParallelism } from "./language-flags";
export { AuditStarvedError, auditInChildProcess, defaultChildPath, prewarmAuditChildren, spareAuditChildren, type IsolatedAuditOptions, type IsolatedAuditOutcome, type IsolatedAuditResult } from "./parent";
export { auditInProcess } from "./in-process";
export { resolveSuite, resolveMeasure } from "./resolve";
export type { IsolatedAuditInput, ModuleRef, ChildMessage, ParentMessage } from "./messages";
