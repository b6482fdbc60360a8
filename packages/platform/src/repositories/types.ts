import type { Prisma, PrismaClient } from "../db/client";

/** A Prisma client or the client of an open transaction. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

/**
 * An open transaction as services see it: opaque, only handed back to repositories
 * (services never call Prisma on it; decision 0007, issue 10's layer rule).
 */
export type Transaction = Prisma.TransactionClient;

/** JSON a service hands a repository to store in a JSON column. */
export type StoredJson = Prisma.InputJsonValue;
/** JSON as a repository reads it back from a JSON column. */
export type ReadJson = Prisma.JsonValue;

// Column value types (database enums) that services reason about; the repository
// layer owns the schema, so they are named here rather than imported from Prisma.
export type {
  AssemblyPhase,
  AssemblyStatus,
  AuditRunStatus,
  CertificateStatus,
  FindingSeverity,
  OperatorRole,
  SubmissionStatus,
  UsageKind,
  ValidatorKind,
  ValidatorStanding,
} from "../generated/prisma";
