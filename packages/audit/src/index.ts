// @assay/audit public API.
export * from "./types";
export * from "./metrics";
export * from "./findings";
export * from "./report";
