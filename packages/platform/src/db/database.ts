// Creating and dropping databases (start-up creates the configured database when
// it is missing; tests create and drop one database per test file).
import pg from "pg";
import type { DatabaseConfig } from "../config/config";

const DUPLICATE_DATABASE = "42P04";

function maintenanceClient(db: DatabaseConfig): pg.Client {
  return new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: "postgres" });
}

function quoteIdent(name: string): string {
  if (!/^[A-Za-z0-9_]{1,63}$/.test(name)) throw new Error(`refusing unusual database name: ${name}`);
  return `"${name}"`;
}

/** Creates the database unless it exists. Returns true when it was created. */
export async function ensureDatabase(db: DatabaseConfig): Promise<boolean> {
  const client = maintenanceClient(db);
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [db.database]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(db.database)}`);
      return true;
    } catch (err) {
      // Another process created it between our check and our CREATE.
      if ((err as { code?: string }).code === DUPLICATE_DATABASE) return false;
      throw err;
    }
  } finally {
    await client.end();
  }
}

/** Drops a database, disconnecting its sessions (tests). */
export async function dropDatabase(db: DatabaseConfig, name = db.database): Promise<void> {
  const client = maintenanceClient(db);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
