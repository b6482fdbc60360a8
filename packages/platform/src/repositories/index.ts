export * from "./types";
export * from "./identity-repositories";
export * from "./submission-repositories";
export * from "./certificate-repositories";
export * from "./effect-repositories";
export * from "./store";
export * from "./worker-repositories";
