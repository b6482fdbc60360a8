// @assay/audit public API.
export * from "./types";
export * from "./metrics";
export * from "./findings";
export * from "./report";
export * from "./sandbox";
export * from "./engine";
export * from "./process";
