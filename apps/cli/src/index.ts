// @assay/cli as a library (the executable's entry is src/main.ts): the runtime
// directory loader and the services behind `assay init` and `assay validate`.
export * from "./runtime-dir";
export { scaffoldRuntime, nameFromDirectory, type ScaffoldRequest, type ScaffoldResult } from "./scaffold/scaffold-runtime";
export { validateRuntime, verdictPasses, type ValidateRequest, type ValidateResult } from "./validate/validate-runtime";
export type { AuditEngine, AuditRequest } from "./validate/audit-engine";
export { AssayCliError, AuditRunError, ExitCode, InitError, RuntimeDirectoryError, UsageError, describeError, type RuntimeDirectoryProblem } from "./errors";
