// PostgreSQL: reachable at DATABASE_URL, and the database exists (created when
// missing). Migrations are applied by the platform (createPlatform →
// deployMigrations), the same code the API and the workers run.
import { ensureDatabase, type DatabaseConfig } from "@assay/platform";
import pg from "pg";
import { LauncherError } from "./errors";

/** Nothing answers at the configured address (as opposed to a refusal): the embedded fallback may step in. */
export class PostgresUnreachableError extends LauncherError {}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "EAI_AGAIN"]);

export async function ensurePostgres(db: DatabaseConfig): Promise<{ created: boolean }> {
  const client = new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: "postgres", connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    const where = `${db.user}@${db.host}:${db.port}`;
    if (UNREACHABLE.has(code) || /timeout/i.test((error as Error).message)) {
      throw new PostgresUnreachableError(
        `no PostgreSQL answers at ${db.host}:${db.port} (${code || (error as Error).message})`,
        [
          "Start PostgreSQL 15+ on that address, for example:",
          "  sudo apt-get install -y postgresql && sudo service postgresql start",
          "  or: docker compose up -d postgres",
          "or point DATABASE_URL at a server you have (postgresql://user:password@host:5432/assay).",
        ].join("\n"),
      );
    }
    throw new LauncherError(`PostgreSQL at ${where} refused the connection: ${(error as Error).message}`, "Check the user and password in DATABASE_URL.");
  } finally {
    await client.end().catch(() => undefined);
  }
  if (!db.createIfMissing) return { created: false };
  return { created: await ensureDatabase(db) };
}
