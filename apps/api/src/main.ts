// `npm start -w @assay/api`: configuration from the environment, then the API.
import type { AddressInfo } from "node:net";
import { ConfigError, loadConfig } from "@assay/platform";
import { createApp } from "./app";

async function main(): Promise<void> {
  const started = Date.now();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) console.error(`configuration error: ${p.variable}: ${p.message}`);
      process.exit(2);
    }
    throw err;
  }
  const api = await createApp(config);
  const { app, platform } = api;
  // Graceful stop: stop accepting, let in-flight requests finish, close the
  // database pool and the queue connection, then exit.
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      api.close().then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(err);
          process.exit(1);
        },
      );
    });
  }
  await app.listen(config.api.port, config.api.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const applied = platform.migrations.applied.length;
  console.log(
    `assay api listening on http://${config.api.host}:${port} (docs /docs) — ready in ${Date.now() - started} ms` +
      (applied ? `, ${applied} migration(s) applied` : ""),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
