// @assay/launcher: the one-command development stack and the demo submission.
export * from "./config";
export * from "./errors";
export * from "./demo-file";
export * from "./seed";
export * from "./services";
export * from "./supervisor";
export * from "./launch";
export * from "./postgres";
export * from "./embedded-postgres";
export * from "./redis";
export * from "./ports";
export * from "./demo";
