// `npm start` (root) → `npm run start -w @assay/launcher`.
import { ConfigError } from "@assay/platform";
import { loadLauncherConfig } from "./config";
import { LauncherError } from "./errors";
import { launch } from "./launch";

async function main(): Promise<number> {
  let config;
  try {
    config = loadLauncherConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`assay: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  let launched;
  const early = { signal: null as NodeJS.Signals | null };
  const onEarlySignal = (signal: NodeJS.Signals) => (early.signal = signal);
  process.once("SIGINT", onEarlySignal);
  process.once("SIGTERM", onEarlySignal);
  try {
    launched = await launch(config);
  } catch (error) {
    if (error instanceof LauncherError) {
      process.stderr.write(`assay: ${error.message}\n${error.hint ? `${error.hint}\n` : ""}`);
      return 1;
    }
    throw error;
  } finally {
    process.off("SIGINT", onEarlySignal);
    process.off("SIGTERM", onEarlySignal);
  }
  const stop = (signal: string) => {
    process.stdout.write(`launcher | ${signal}: stopping everything\n`);
    void launched.stop();
  };
  if (early.signal) stop(early.signal);
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  return launched.finished;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`assay: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
