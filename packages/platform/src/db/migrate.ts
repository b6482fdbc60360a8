// Applies prisma/migrations/<name>/migration.sql to a database, in order, and
// records each in `_prisma_migrations` exactly as `prisma migrate deploy` does
// (same table, same checksum = SHA-256 of the file), so `prisma migrate status`
// and later `prisma migrate deploy` runs agree with it.
//
// Why not spawn `prisma migrate deploy`: with the driver-adapter (WASM schema
// engine) path the CLI keeps the process alive for ~10 s after finishing (an
// internal timer of the engine), which would add 10 s to every start-up and
// every test file. This runs in-process in ~100 ms. docs/decisions/0005.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { DatabaseConfig } from "../config/config";

/** Prisma's advisory lock key for migrations (serialises concurrent deploys). */
const PRISMA_MIGRATE_LOCK = 72707369;

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationFile = { name: string; sql: string; checksum: string };
export type DeployResult = { applied: string[]; alreadyApplied: string[] };

export class MigrationError extends Error {
  override readonly name = "MigrationError";
  constructor(
    readonly code: "MIGRATION_FAILED" | "MIGRATION_MODIFIED" | "MIGRATION_UNFINISHED" | "MIGRATIONS_MISSING",
    readonly migration: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** The migrations in a directory, in the order Prisma applies them (by name). */
export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError("MIGRATIONS_MISSING", undefined, `no migrations directory at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export function defaultMigrationsDir(repoRoot: string): string {
  return join(repoRoot, "prisma", "migrations");
}

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

/**
 * Applies every migration not yet recorded. Each migration runs in its own
 * transaction together with its `_prisma_migrations` row, so a failing migration
 * leaves neither partial schema nor a record (Prisma would leave a failed row).
 * An applied migration whose file changed since is refused.
 */
export async function deployMigrations(db: DatabaseConfig, migrationsDir: string): Promise<DeployResult> {
  const migrations = readMigrations(migrationsDir);
  const client = new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.database });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const rows = (
        await client.query<AppliedRow>(
          `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
        )
      ).rows;
      const recorded = new Map(rows.map((r) => [r.migration_name, r]));
      const result: DeployResult = { applied: [], alreadyApplied: [] };
      for (const migration of migrations) {
        const row = recorded.get(migration.name);
        if (row) {
          if (row.finished_at === null) {
            throw new MigrationError(
              "MIGRATION_UNFINISHED",
              migration.name,
              `migration ${migration.name} started but did not finish; resolve it with \`prisma migrate resolve\``,
            );
          }
          if (row.checksum !== migration.checksum) {
            throw new MigrationError("MIGRATION_MODIFIED", migration.name, `migration ${migration.name} was modified after it was applied`);
          }
          result.alreadyApplied.push(migration.name);
          continue;
        }
        await client.query("BEGIN");
        try {
          const id = randomUUID();
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
            [id, migration.checksum, migration.name],
          );
          await client.query(migration.sql);
          await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK");
          throw new MigrationError("MIGRATION_FAILED", migration.name, `migration ${migration.name} failed: ${(err as Error).message}`);
        }
        result.applied.push(migration.name);
      }
      return result;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}
