export * from "./stack";
export * from "./matrix";
export * from "./table";
export * from "./client";
export * from "./invariants";
