// The launcher's configuration: the platform's typed configuration (the same
// variables the API and the workers read) plus where the launcher keeps its
// state and which port the web app uses. Validated once; a bad value stops
// start-up with a ConfigError naming the variable.
import { join } from "node:path";
import { ConfigError, loadConfig, type AppConfig, type Env } from "@assay/platform";
import { z } from "zod";

const port = z.coerce.number({ message: "expected a port number" }).int().min(1).max(65535);

const LauncherEnvSchema = z.object({
  ASSAY_WEB_PORT: port.default(5173),
  ASSAY_CHAIN_PORT: port.default(8545),
  /** Start a local Hardhat node and deploy the registry (default: true unless ASSAY_CHAIN_ENABLED points at a chain of its own). */
  ASSAY_DEV_CHAIN: z.enum(["true", "false"], { message: "expected true or false" }).optional(),
  /** Keep the development chain's log of every JSON-RPC request (default false: the workers poll it every second). */
  ASSAY_DEV_CHAIN_RPC_LOG: z.enum(["true", "false"], { message: "expected true or false" }).default("false"),
  /** Start `redis-server` when nothing answers on REDIS_URL and it is installed (default true). */
  ASSAY_MANAGE_REDIS: z.enum(["true", "false"], { message: "expected true or false" }).default("true"),
  /**
   * When no PostgreSQL answers and DATABASE_URL is not set: "auto" runs the embedded
   * PGlite database under <state dir>/pglite (development only), "false" stops with
   * how to get PostgreSQL.
   */
  ASSAY_EMBEDDED_POSTGRES: z.enum(["auto", "false"], { message: "expected auto or false" }).default("auto"),
  /** Test hook: the address tried when DATABASE_URL is not set (default: the platform's, 127.0.0.1:5432). */
  ASSAY_LAUNCHER_DEFAULT_DATABASE_URL: z.string().min(1).optional(),
  ASSAY_DEMO_DEVELOPER_EMAIL: z.string().email().default("developer@demo.assay.local"),
  ASSAY_DEMO_OPERATOR_EMAIL: z.string().email().default("operator@demo.assay.local"),
});

export type LauncherConfig = {
  app: AppConfig;
  stateDir: string;
  demoFile: string;
  apiUrl: string;
  webUrl: string;
  webPort: number;
  chainPort: number;
  /** Launch the development chain (docs/decisions/0010). */
  devChain: boolean;
  /** Keep the development chain's per-request log (ASSAY_DEV_CHAIN_RPC_LOG). */
  devChainRpcLog: boolean;
  manageRedis: boolean;
  /** Run the embedded PGlite database when no PostgreSQL answers (DATABASE_URL not set, not production, not disabled). */
  embeddedPostgres: boolean;
  /** Where the embedded database keeps its data. */
  pgliteDir: string;
  demo: { developerEmail: string; operatorEmail: string };
  /** The environment the child processes get: the launcher's, with its resolved values. */
  childEnv: Record<string, string>;
};

export function loadLauncherConfig(env: Env = process.env): LauncherConfig {
  const cleaned = Object.fromEntries(Object.keys(LauncherEnvSchema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]));
  const parsed = LauncherEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? "environment"), message: i.message })));
  }
  const e = parsed.data;
  const databaseUrlExplicit = typeof env.DATABASE_URL === "string" && env.DATABASE_URL !== "";
  const app = loadConfig(
    databaseUrlExplicit || !e.ASSAY_LAUNCHER_DEFAULT_DATABASE_URL ? env : { ...env, DATABASE_URL: e.ASSAY_LAUNCHER_DEFAULT_DATABASE_URL },
  );
  // ASSAY_STATE_DIR is the platform's (generated secrets live there too): one directory for the install's state.
  const stateDir = app.stateDir;
  const apiUrl = app.api.publicUrl;
  const webUrl = `http://127.0.0.1:${e.ASSAY_WEB_PORT}`;
  const inherited = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  return {
    app,
    stateDir,
    demoFile: join(stateDir, "demo.json"),
    apiUrl,
    webUrl,
    webPort: e.ASSAY_WEB_PORT,
    chainPort: e.ASSAY_CHAIN_PORT,
    devChain: e.ASSAY_DEV_CHAIN === undefined ? !app.flags.chainEnabled && app.env !== "production" : e.ASSAY_DEV_CHAIN === "true",
    devChainRpcLog: e.ASSAY_DEV_CHAIN_RPC_LOG === "true",
    manageRedis: e.ASSAY_MANAGE_REDIS === "true",
    embeddedPostgres: !databaseUrlExplicit && e.ASSAY_EMBEDDED_POSTGRES === "auto" && app.env !== "production",
    pgliteDir: join(stateDir, "pglite"),
    demo: { developerEmail: e.ASSAY_DEMO_DEVELOPER_EMAIL, operatorEmail: e.ASSAY_DEMO_OPERATOR_EMAIL },
    childEnv: {
      ...inherited,
      NODE_ENV: app.env,
      DATABASE_URL: app.database.url,
      REDIS_URL: app.redis.url,
      ASSAY_API_HOST: app.api.host,
      ASSAY_API_PORT: String(app.api.port),
      ASSAY_PUBLIC_URL: apiUrl,
      ASSAY_ARTIFACT_DIR: app.artifacts.dir,
      // Every child reads the same generated secrets (<state dir>/secrets.json).
      ASSAY_STATE_DIR: stateDir,
      ASSAY_WEB_PORT: String(e.ASSAY_WEB_PORT),
      ASSAY_WEB_URL: webUrl,
      // The API lets the web app's origin (and only it) call the credentialed planes from a browser.
      ASSAY_WEB_ORIGIN: app.api.webOrigin ?? webUrl,
      ASSAY_API_URL: apiUrl,
    },
  };
}
