// @assay/worker: the BullMQ workers (audit, certificate) and their reconciler.
export * from "./config";
export * from "./node-flags";
export * from "./worker-app";
export * from "./jobs/handler";
export * from "./jobs/handler-registry";
export * from "./jobs/audit-handler";
export * from "./jobs/certificate-handler";
export * from "./jobs/assembly-handler";
export * from "./audit/audit-pipeline";
export * from "./audit/progress";
export * from "./audit/sandbox-audit";
export * from "./runtime/job-workers";
export * from "./runtime/reconciler";
export * from "./runtime/logger";
export * from "./chain/chain-loops";
