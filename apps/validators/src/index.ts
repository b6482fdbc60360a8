export * from "./profiles";
export * from "./agent-client";
export * from "./agent-runner";
