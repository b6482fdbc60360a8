export * from "./bitstring";
export * from "./schema";
export * from "./sign";
export * from "./check";
export * from "./build";
