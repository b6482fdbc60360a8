export * from "./log-append";
export * from "./log-errors";
export * from "./transparency-log-service";
