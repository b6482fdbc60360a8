// The simulation's public surface (used by the CLI, the tests and the demo).
export * from "./population";
export * from "./prng";
export * from "./run";
export * from "./svg";
export * from "./sybil";
