export * from "./domain-errors";
