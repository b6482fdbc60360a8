// @assay/platform: what the API and the workers share.
export * from "./config/config";
export * from "./errors";
export * from "./crypto/secret-box";
export * from "./crypto/ed25519-strict";
// The database lifecycle (create, drop, migrate), never the Prisma client: apps reach
// data only through services and repositories (issue 10).
export { ensureDatabase, dropDatabase, deployMigrations, readMigrations, defaultMigrationsDir, MigrationError, prepareDatabase } from "./db";
export type { DeployResult, MigrationFile, PreparedDatabase } from "./db";
export * from "./repositories";
export * from "./services";
export * from "./jobs";
export * from "./chain/chain-gateway";
export * from "./chain/revocation-codes";
export * from "./assemblies";
export * from "./transparency";
export * from "./money";
export * from "./flags";
export * from "./platform";
export type { SubmissionStatus, CertificateStatus, OperatorRole, UsageKind, FindingSeverity, AuditRunStatus, AssemblyPhase, AssemblyStatus, ValidatorStanding, ValidatorKind } from "./repositories/types";
export * from "./testing";
