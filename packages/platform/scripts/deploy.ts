// `npm run db:deploy -w @assay/platform`: create the configured database if
// missing and apply pending migrations (what start-up does), then print them.
import { loadConfig } from "../src/config/config";
import { ensureDatabase } from "../src/db/database";
import { defaultMigrationsDir, deployMigrations } from "../src/db/migrate";

async function main(): Promise<void> {
  const config = loadConfig();
  const created = config.database.createIfMissing ? await ensureDatabase(config.database) : false;
  const result = await deployMigrations(config.database, defaultMigrationsDir(config.repoRoot));
  console.log(JSON.stringify({ database: config.database.database, created, ...result }));
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
