// `npm run demo` (root) → `npm run demo -w @assay/launcher`. Exit codes as the
// CLI's: 0 certified, 1 a negative result, 2 cannot run (no platform running).
import { ConfigError } from "@assay/platform";
import { loadLauncherConfig } from "./config";
import { runDemo } from "./demo";
import { LauncherError } from "./errors";

Promise.resolve()
  .then(() => runDemo(loadLauncherConfig()))
  .then(
  (result) => process.exit(result.submission.status === "certified" ? 0 : 1),
  (error: unknown) => {
    if (error instanceof LauncherError || error instanceof ConfigError) {
      process.stderr.write(`assay demo: ${error.message}\n${error instanceof LauncherError && error.hint ? `${error.hint}\n` : ""}`);
      process.exit(2);
    }
    process.stderr.write(`assay demo: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
