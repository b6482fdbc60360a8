// @assay/assembly: the pure, deterministic consensus logic of validator
// assemblies — parameters, governance weight, draw, commit–reveal, tally,
// settlement, and the replayable record. No framework, queue or database.
export * from "./errors";
export * from "./arith";
export * from "./params";
export * from "./validator";
export * from "./weight";
export * from "./snapshot";
export * from "./seed";
export * from "./beacon";
export * from "./draw";
export * from "./vote";
export * from "./commitment";
export * from "./median";
export * from "./tally";
export * from "./settle";
export * from "./phases";
export * from "./record";
export * from "./certificate";
export * from "./seat-voiding";
