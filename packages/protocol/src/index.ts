export * from "./canonical";
export * from "./manifest";
export * from "./packet";
export * from "./runtime";
export * from "./findings";
export * from "./report";
export * from "./subject";
export * from "./certificate";
