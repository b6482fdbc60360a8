// Start-up database step shared by the API, the workers and the tests: create
// the database when missing (if configured), apply pending migrations, connect.
import type { AppConfig } from "../config/config";
import { createPrismaClient, type Db } from "./client";
import { ensureDatabase } from "./database";
import { defaultMigrationsDir, deployMigrations, type DeployResult } from "./migrate";

export type PreparedDatabase = { db: Db; created: boolean; migrations: DeployResult };

export async function prepareDatabase(config: AppConfig): Promise<PreparedDatabase> {
  const created = config.database.createIfMissing ? await ensureDatabase(config.database) : false;
  const migrations = await deployMigrations(config.database, defaultMigrationsDir(config.repoRoot));
  const db = createPrismaClient(config.database);
  await db.$connect();
  return { db, created, migrations };
}
