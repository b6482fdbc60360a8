// Real PostgreSQL: migrations deploy, records in _prisma_migrations, database creation.
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { defaultMigrationsDir, deployMigrations, ensureDatabase, MigrationError, readMigrations } from "../src/db";
import { createTestEnvironment, type TestEnvironment } from "../src/testing";

let env: TestEnvironment;
const migrationsDir = () => defaultMigrationsDir(env.config.repoRoot);

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ ...env.config.database, password: env.config.database.password });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(() => {
  env = createTestEnvironment();
});
afterAll(async () => {
  await env.cleanup();
});

it("creates the database when missing, once", async () => {
  expect(await ensureDatabase(env.config.database)).toBe(true);
  expect(await ensureDatabase(env.config.database)).toBe(false);
});

it("applies every migration and records it like prisma migrate deploy", async () => {
  const files = readMigrations(migrationsDir());
  expect(files.length).toBeGreaterThan(0);
  const first = await deployMigrations(env.config.database, migrationsDir());
  expect(first).toEqual({ applied: files.map((f) => f.name), alreadyApplied: [] });
  const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
    `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
  for (const row of rows) {
    const sql = readFileSync(join(migrationsDir(), row.migration_name, "migration.sql"));
    expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
    expect(row.finished_at).not.toBeNull();
    expect(row.applied_steps_count).toBe(1);
  }
  const tables = (await query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map((t) => t.tablename);
  expect(tables).toEqual(expect.arrayContaining(["submissions", "certificates", "signing_keys", "outbox_events", "usage_records", "api_keys"]));

  expect(await deployMigrations(env.config.database, migrationsDir())).toEqual({ applied: [], alreadyApplied: files.map((f) => f.name) });
});

it("refuses a migration edited after it was applied, and rolls back a failing one completely", async () => {
  const copy = mkdtempSync(join(tmpdir(), "assay-migrations-"));
  try {
    cpSync(migrationsDir(), copy, { recursive: true });
    const [first] = readMigrations(copy);
    writeFileSync(join(copy, first!.name, "migration.sql"), `${first!.sql}\n-- edited\n`);
    await expect(deployMigrations(env.config.database, copy)).rejects.toMatchObject({ code: "MIGRATION_MODIFIED" });

    cpSync(migrationsDir(), copy, { recursive: true });
    const broken = join(copy, "29991231000000_broken");
    cpSync(join(copy, first!.name), broken, { recursive: true });
    writeFileSync(join(broken, "migration.sql"), `CREATE TABLE "half_done" (id int);\nSELECT * FROM "no_such_table";\n`);
    const error = await deployMigrations(env.config.database, copy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe("MIGRATION_FAILED");
    expect(await query(`SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`)).toHaveLength(0);
    expect(await query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29991231000000_broken'`)).toHaveLength(0);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

it("serialises concurrent deploys (advisory lock): each migration is applied once", async () => {
  const other = createTestEnvironment();
  try {
    await ensureDatabase(other.config.database);
    const results = await Promise.all([1, 2, 3].map(() => deployMigrations(other.config.database, migrationsDir())));
    const applied = results.flatMap((r) => r.applied);
    expect(applied).toEqual(readMigrations(migrationsDir()).map((f) => f.name));
  } finally {
    await other.cleanup();
  }
});

it("reads Postgres catalog types name and \"char\" through the driver adapter (upstream adapter-pg bug worked around)", async () => {
  const { createPrismaClient } = await import("../src/db");
  const db = createPrismaClient(env.config.database);
  try {
    const rows = await db.$queryRaw<{ datname: string; relkind: string }[]>`
      SELECT d.datname, c.relkind FROM pg_database d CROSS JOIN (SELECT relkind FROM pg_class LIMIT 1) c
      WHERE d.datname = current_database()`;
    expect(rows).toEqual([{ datname: env.config.database.database, relkind: expect.any(String) }]);
  } finally {
    await db.$disconnect();
  }
});
