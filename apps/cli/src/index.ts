// @assay/cli as a library (the executable's entry is src/main.ts): the runtime
// directory loader, the services behind `assay init` and `assay validate`, and
// the API client and services behind the platform commands.
export * from "./runtime-dir";
export { scaffoldRuntime, nameFromDirectory, type ScaffoldRequest, type ScaffoldResult } from "./scaffold/scaffold-runtime";
export { validateRuntime, validationPasses, type ValidateRequest, type ValidateResult } from "./validate/validate-runtime";
export type { AuditEngine, AuditRequest } from "./validate/audit-engine";
export { AssayCliError, AuditRunError, ExitCode, InitError, RuntimeDirectoryError, UsageError, describeError, type RuntimeDirectoryProblem } from "./errors";
export * from "./api";
export { loadSettings, resolveSettings, DEFAULT_API_URL, type Settings } from "./config/settings";
export { packRuntime } from "./submission/pack";
export { followSubmission, type FollowOptions } from "./submission/follow";
export { applyEvent, statusResult, watchStateOf, type WatchState } from "./submission/watch-state";
export { fetchCertificateDocument } from "./certificates/fetch-document";
export { issuerKeys, keySetCachePath } from "./certificates/jwks-cache";
export { verifyLocally, type VerifyOutcome, type VerifyRequest } from "./certificates/verify-locally";
