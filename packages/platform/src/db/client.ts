// The Prisma client (generated into ./generated/prisma by `npm run db:generate`,
// engineType "client": the query compiler is WASM, nothing is downloaded) over
// the pg driver adapter.
import { PrismaClient } from "../generated/prisma";
import type { DatabaseConfig } from "../config/config";
import { AssayPgAdapterFactory } from "./adapter";

export { Prisma, PrismaClient } from "../generated/prisma";
export type Db = PrismaClient;

export function createPrismaClient(db: DatabaseConfig): PrismaClient {
  return new PrismaClient({ adapter: new AssayPgAdapterFactory(db) });
}
