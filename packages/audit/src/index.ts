// @assay/audit public API.
export * from "./types";
export * from "./metrics";
export * from "./findings";
export * from "./report";
export * from "./sandbox";
export * from "./engine";
export * from "./process";
export * from "./audit-artifact";
export { suiteIds, suiteModule, PROGRESS_DI_MEASURE } from "./suites/registry";
export { coreSuite, CORE_SUITE_VERSION } from "./suites/core";
export type { SuiteDefinition, PlannedRun } from "./suites/suite";
export { createSyntheticModel, SYNTHETIC_MODEL_VERSION } from "./model";
