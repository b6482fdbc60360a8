export * from "./test-database";
export * from "./fixtures";
export * from "./legacy-secrets";
export * from "./assembly-fixture";
