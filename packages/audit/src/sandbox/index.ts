export { RuntimeSandbox, type SandboxOptions, type StepOutcome, type HostModel } from "./sandbox";
export { BudgetMeter } from "./budget";
export { embed, embedTokens, cosine, fnv1a32, EMBED_DIMENSION } from "./embed";
export { mulberry32, deriveSeed, type Prng } from "./prng";
export { DEFAULT_SANDBOX_LIMITS, resolveSandboxLimits, VIRTUAL_CLOCK, LOG_LIMITS, HOST_CALL_COST, GAS_PER_UNIT, TRAP_MARGIN_UNITS } from "./limits";
export { SandboxFaultError, ModelFaultError, HostError, isModelFaultCode, MODEL_FAULT_CODES, type SandboxFault } from "./faults";
export { loadQuickJs, discardQuickJs, SANDBOX_ENGINE } from "./quickjs";
export { FORBIDDEN_GLOBALS, WATCHED_INTRINSICS } from "./bootstrap";
