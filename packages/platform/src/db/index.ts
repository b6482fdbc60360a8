export * from "./adapter";
export * from "./client";
export * from "./database";
export * from "./migrate";
export * from "./setup";
