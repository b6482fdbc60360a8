export * from "./domain-errors";
export * from "./dependency-errors";
