export * from "./merkle-hash";
export * from "./merkle-tree";
export * from "./merkle-verify";
export * from "./log-entry";
export * from "./checkpoint";
export * from "./log-api";
export * from "./checkpoint-anchor";
export * from "./log-check";
