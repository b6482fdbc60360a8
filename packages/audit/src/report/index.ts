export * from "./transcript";
export * from "./metricValue";
export * from "./metrics";
export * from "./buildReport";
export * from "./fromSuiteRun";
