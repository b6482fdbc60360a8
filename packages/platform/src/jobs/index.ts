export * from "./registry";
export * from "./publisher";
