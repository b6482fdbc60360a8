// `npm run db:migration:new -w @assay/platform -- <name>`: writes
// prisma/migrations/<UTC timestamp>_<name>/migration.sql with the SQL that takes
// the existing migrations to prisma/schema.prisma.
//
// Why not `prisma migrate dev`: on the Prisma 6.19 driver-adapter path its
// data-loss check fails ("PostgreSQL shadow DB must be provided through an
// external factory") once migrations exist, while `prisma migrate diff
// --from-migrations` works through the same adapter and shadow database
// (docs/decisions/0005). The result is the same file migrate dev would write;
// review it, then start-up (or `npm run db:deploy`) applies it.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findRepoRoot } from "../src/config/config";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]{1,60}$/.test(name)) {
  console.error("usage: npm run db:migration:new -w @assay/platform -- <name: a-z, 0-9, _>");
  process.exit(2);
}
const root = findRepoRoot(__dirname);
const migrations = join(root, "prisma", "migrations");
const cli = join(require.resolve("prisma/package.json"), "..", "build", "index.js");

/**
 * Hand-written SQL that the Prisma schema cannot express (triggers, CHECK
 * constraints, functions; docs/money.md) starts at a marker line and runs to
 * the end of its migration. It is left out of the shadow replay: Prisma 6.19's
 * WASM schema engine panics ("RuntimeError: unreachable") introspecting a
 * database that has triggers or CHECK constraints, and none of it is part of
 * the Prisma model, so the diff is the same without it. Deploys apply the
 * whole file. The ledger migration predates the marker, hence its own line.
 */
const HAND_WRITTEN = /^-- (assay:hand-written|Ledger invariants the database itself enforces)/m;
const replay = mkdtempSync(join(tmpdir(), "assay-migrations-"));
process.on("exit", () => rmSync(replay, { recursive: true, force: true }));
cpSync(migrations, replay, { recursive: true });
for (const entry of readdirSync(replay, { withFileTypes: true })) {
  const file = join(replay, entry.name, "migration.sql");
  if (!entry.isDirectory() || !existsSync(file)) continue;
  const sql = readFileSync(file, "utf8");
  const marker = sql.search(HAND_WRITTEN);
  if (marker >= 0) writeFileSync(file, sql.slice(0, marker));
}

const result = spawnSync(
  process.execPath,
  [cli, "migrate", "diff", "--config", join(__dirname, "..", "prisma.config.ts"), "--from-migrations", replay, "--to-schema-datamodel", join(root, "prisma", "schema.prisma"), "--script"],
  {
    encoding: "utf8",
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", CHECKPOINT_DISABLE: "1" },
  },
);
if (result.status !== 0) {
  console.error(result.stderr || result.stdout);
  process.exit(1);
}
const sql = result.stdout.slice(result.stdout.indexOf("--") >= 0 ? result.stdout.indexOf("--") : 0).trim();
if (sql === "" || sql.includes("This is an empty migration")) {
  console.log("the schema matches the migrations: nothing to write");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = join(migrations, `${stamp}_${name}`);
if (existsSync(dir)) {
  console.error(`${dir} exists`);
  process.exit(1);
}
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "migration.sql"), `${sql}\n`);
console.log(`wrote ${join(dir, "migration.sql")}`);
