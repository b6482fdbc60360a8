export * from "./registry";
export * from "./flag-cache";
export * from "./flag-service";
