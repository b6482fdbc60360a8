// `npm start -w @assay/worker`: one worker process (all job queues + reconciler).
// Exits 1 with a message naming the problem when start-up fails (bad config, no
// database, a job without a handler); stops gracefully on SIGINT/SIGTERM.
import { ConfigError } from "@assay/platform";
import { loadWorkerConfig } from "./config";
import { lineLogger } from "./runtime/logger";
import { startWorkerApp } from "./worker-app";

async function main(): Promise<void> {
  let config;
  try {
    config = loadWorkerConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`worker: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const log = lineLogger(config.app.logLevel);
  const app = await startWorkerApp(config, { log });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log("info", "worker stopping", { signal });
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log("error", "worker stop failed", { error: (error as Error).message });
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`worker: failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
