import type { Prisma, PrismaClient } from "../db/client";

/** A Prisma client or the client of an open transaction. */
export type DbClient = PrismaClient | Prisma.TransactionClient;
