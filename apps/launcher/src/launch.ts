// `npm start`: check the infrastructure, prepare the database, seed the demo
// accounts, start every service of the list, write demo.json and print how to
// use it. Stops everything when one service dies (nothing is restarted behind
// the user's back) or when asked to (SIGINT/SIGTERM in main.ts).
import { createPlatform } from "@assay/platform";
import { loadLauncherConfig, type LauncherConfig } from "./config";
import { readDemoFile, writeDemoFile, type DemoFile } from "./demo-file";
import { LauncherError } from "./errors";
import { portIsFree } from "./ports";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";
import { ensurePostgres, PostgresUnreachableError } from "./postgres";
import { planRedis } from "./redis";
import { seedDemoAccounts } from "./seed";
import { platformServices, resolveCommand, type ServiceSpec } from "./services";
import { Supervisor } from "./supervisor";

export type LaunchOptions = {
  write?: (line: string) => void;
  /** The service list (default: platformServices(config)). */
  services?: ServiceSpec[];
};

export type Launched = {
  demo: DemoFile;
  started: string[];
  /** Process id of each started service (each leads its own process group). */
  pids: Record<string, number>;
  skipped: { name: string; reason: string }[];
  /** Resolves with the exit code once everything has stopped (after stop() or an unexpected exit). */
  finished: Promise<number>;
  stop(): Promise<void>;
};

export async function launch(configured: LauncherConfig, options: LaunchOptions = {}): Promise<Launched> {
  let config = configured;
  let embedded: EmbeddedPostgres | undefined;
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const say = (line: string) => write(`launcher | ${line}`);
  let resolveFinished!: (code: number) => void;
  const finished = new Promise<number>((r) => (resolveFinished = r));
  let stopping: Promise<void> | undefined;
  const stopWith = (code: number) => {
    stopping ??= supervisor
      .stopAll()
      // The embedded database stops last: every service using it has exited.
      .then(() => embedded?.stop())
      .then(() => resolveFinished(code));
    return stopping;
  };
  const supervisor = new Supervisor(write, (name, code, signal) => {
    say(`${name} exited unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); stopping everything`);
    void stopWith(1);
  });

  try {
    const redis = await planRedis(config.app.redis.url, config.manageRedis);
    if (redis.kind === "managed") {
      say(`no Redis at ${config.app.redis.url}; starting redis-server (no persistence)`);
      const resolved = resolveCommand(config.app.repoRoot, redis.service.command);
      if ("unavailable" in resolved) throw new LauncherError(resolved.unavailable);
      const managed = supervisor.start("redis", resolved, config.childEnv);
      await supervisor.waitReady(managed, redis.service.ready);
    } else {
      say(`Redis at ${config.app.redis.url}`);
    }

    let pg: { created: boolean };
    try {
      pg = await ensurePostgres(config.app.database);
    } catch (error) {
      if (!(error instanceof PostgresUnreachableError) || !config.embeddedPostgres) throw error;
      try {
        embedded = await startEmbeddedPostgres(config.pgliteDir);
      } catch (embeddedError) {
        throw new LauncherError(`${error.message}; the embedded PGlite fallback did not start either (${(embeddedError as Error).message})`, error.hint);
      }
      say(
        `WARNING: no PostgreSQL at ${config.app.database.host}:${config.app.database.port}; ` +
          `using embedded PGlite under ${config.pgliteDir} (served on 127.0.0.1:${embedded.port}) — for development only`,
      );
      // Every service (and this process) now uses the embedded database.
      config = loadLauncherConfig({ ...config.childEnv, DATABASE_URL: embedded.url });
      pg = await ensurePostgres(config.app.database);
    }
    say(`PostgreSQL database ${config.app.database.database}${pg.created ? " created" : ""} at ${config.app.database.host}:${config.app.database.port}${embedded ? " (embedded PGlite)" : ""}`);
    const platform = await createPlatform(config.app);
    let demo: DemoFile;
    try {
      const applied = platform.migrations.applied;
      say(applied.length ? `migrations applied: ${applied.join(", ")}` : "migrations up to date");
      if (config.app.secrets.file) say(`secrets: ${config.app.secrets.file} (generated once, mode 0600)`);
      // An install from before decision 0013 sealed its signing key with the public development
      // secret, which this install no longer has: that key can never sign again, so retire it
      // (it stays published, so what it signed keeps verifying) and sign with a new one.
      if (!(await platform.signingKeys.activeKeyOpens())) {
        const kid = await platform.signingKeys.rotate({ actor: "launcher", reason: "the active key was sealed with another key-encryption secret" });
        say(`the signing key was sealed with another key-encryption secret; rotated to ${kid} (audit-logged)`);
      }
      const previous = readDemoFile(config.demoFile);
      const accounts = await seedDemoAccounts(platform, config.demo, previous);
      demo = {
        apiUrl: config.apiUrl,
        webUrl: config.webUrl,
        developer: { apiKey: accounts.developer.apiKey },
        operator: { email: accounts.operator.email, password: accounts.operator.password, totpSecret: accounts.operator.totpSecret },
        // A chain of an earlier run is not carried over (the development chain starts empty each time);
        // a configured chain of the deployment's own is listed as it is.
        ...(!config.devChain && config.app.flags.chainEnabled && config.app.chain.addresses
          ? { chain: { rpcUrl: config.app.chain.rpcUrl, registry: config.app.chain.addresses.certificateRegistry } }
          : {}),
      };
      // Written before anything else starts: the API key exists nowhere else.
      writeDemoFile(config.demoFile, demo);
      say(`demo accounts ${accounts.developer.reused && accounts.operator.reused ? "reused" : "ready"}; credentials in ${config.demoFile}`);
    } finally {
      await platform.close();
    }

    if (!(await portIsFree(config.app.api.host, config.app.api.port))) {
      throw new LauncherError(`port ${config.app.api.port} on ${config.app.api.host} is in use`, "Stop what listens there, or set ASSAY_API_PORT to a free port.");
    }

    const started: string[] = [];
    const skipped: { name: string; reason: string }[] = [];
    // What services started earlier hand to later ones (the dev chain's addresses).
    const sharedEnv: Record<string, string> = { ...config.childEnv };
    for (const service of options.services ?? platformServices(config)) {
      const resolved = resolveCommand(config.app.repoRoot, service.command);
      if ("unavailable" in resolved) {
        skipped.push({ name: service.name, reason: resolved.unavailable });
        say(`${service.name}: not started (${resolved.unavailable})`);
        continue;
      }
      say(`starting ${service.name}`);
      const managed = supervisor.start(service.name, resolved, { ...sharedEnv, ...service.env });
      await supervisor.waitReady(managed, service.ready);
      if (service.afterReady) {
        const handed = await service.afterReady();
        Object.assign(sharedEnv, handed.env);
        for (const note of handed.notes ?? []) say(`${service.name}: ${note}`);
        if (handed.chain) {
          demo = { ...demo, chain: handed.chain };
          writeDemoFile(config.demoFile, demo);
          say(`${service.name}: registry ${handed.chain.registry} on ${handed.chain.rpcUrl} (chain ${handed.chain.chainId ?? "?"})`);
        }
      }
      started.push(service.name);
    }

    for (const line of banner(demo, config.demoFile, started, skipped)) write(line);
    const pids = Object.fromEntries(supervisor.processes.map((p) => [p.name, p.child.pid ?? -1]));
    return { demo, started, pids, skipped, finished, stop: () => stopWith(0) };
  } catch (error) {
    await stopWith(1);
    throw error;
  }
}

/**
 * What `npm start` prints. Never a credential: logs are copied, pasted and
 * kept, so the API key, the operator password and the TOTP secret are named by
 * where they are stored (demo.json, readable by its owner only), not shown.
 */
function banner(demo: DemoFile, demoFile: string, started: string[], skipped: { name: string; reason: string }[]): string[] {
  return [
    "",
    "Assay is running.",
    `  API         ${started.includes("api") ? `${demo.apiUrl}   (health: ${demo.apiUrl}/v1/public/health, docs: ${demo.apiUrl}/docs)` : `${demo.apiUrl} (not started: ${skipped.find((s) => s.name === "api")?.reason ?? "disabled"})`}`,
    `  Web         ${started.includes("web") ? demo.webUrl : `${demo.webUrl} (not started: ${skipped.find((s) => s.name === "web")?.reason ?? "disabled"})`}`,
    `  Developer   API key in ${demoFile} (developer.apiKey; mode 0600)`,
    `  Operator    ${demo.operator.email}; password and TOTP secret in ${demoFile} (operator.*; mode 0600)`,
    ...(demo.chain ? [`  Chain       ${demo.chain.rpcUrl}  registry ${demo.chain.registry}`] : []),
    `  Services    ${started.join(", ")}${skipped.length ? `; not available yet: ${skipped.map((s) => s.name).join(", ")}` : ""}`,
    "  Try it      npm run demo",
    "Press Ctrl+C to stop everything.",
    "",
  ];
}
