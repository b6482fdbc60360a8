// The API as `npm start` runs it (tsx, which emits no decorator metadata: DI must
// rely on explicit @Inject tokens only), and start-up refusing bad configuration.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createTestEnvironment, defaultMigrationsDir, readMigrations } from "@assay/platform";

const TSX_CLI = join(require.resolve("tsx/package.json"), "..", "dist", "cli.mjs");
const MAIN = join(__dirname, "..", "src", "main.ts");

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [TSX_CLI, MAIN], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

it("starts under tsx on a fresh database and serves authenticated routes", async () => {
  const env = createTestEnvironment();
  const proc = start({ DATABASE_URL: env.config.database.url, ASSAY_API_PORT: "0", ASSAY_LOG_LEVEL: "warn", ASSAY_ARTIFACT_DIR: env.config.artifacts.dir });
  try {
    const deadline = Date.now() + 15_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      url = /listening on (http:\/\/[^\s]+)/.exec(proc.output().stdout)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url).toBeDefined();
    const migrations = readMigrations(defaultMigrationsDir(env.config.repoRoot)).length;
    expect(proc.output().stdout).toContain(`${migrations} migration(s) applied`);
    const health = await fetch(`${url}/v1/public/health`);
    expect(health.status).toBe(200);
    // A guarded route exercises DI of the platform into guards and controllers.
    const denied = await fetch(`${url}/v1/operator/me`);
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe("credential_missing");
  } finally {
    proc.child.kill("SIGTERM");
    await proc.exited;
    await env.cleanup();
  }
});

it("refuses to start with a bad configuration value, naming the variable", async () => {
  const proc = start({ ASSAY_API_PORT: "banana" });
  expect(await proc.exited).toBe(2);
  expect(proc.output().stderr).toContain("ASSAY_API_PORT");
});
