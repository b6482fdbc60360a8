// `npm run pglite -w @assay/launcher [-- <data dir>]`: the embedded development
// database on its own (what `npm start` runs when no PostgreSQL answers), data in
// <data dir> (default .assay/pglite). Prints `DATABASE_URL=<url>` once it serves;
// stops on SIGINT/SIGTERM.
import { join } from "node:path";
import { loadLauncherConfig } from "./config";
import { startEmbeddedPostgres } from "./embedded-postgres";

async function main(): Promise<void> {
  const dataDir = process.argv[2] ?? loadLauncherConfig().pgliteDir;
  const embedded = await startEmbeddedPostgres(join(dataDir));
  process.stdout.write(`DATABASE_URL=${embedded.url}\n`);
  const stop = () => void embedded.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`pglite: ${(error as Error).message}\n`);
  process.exit(1);
});
