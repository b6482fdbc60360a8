export * from "./repositories";
export * from "./flag-service";
export * from "./validator-service";
export * from "./validator-admission-repository";
export * from "./validator-admission-service";
export * from "./scheduler";
export * from "./assembly-service";
export * from "./vote-service";
