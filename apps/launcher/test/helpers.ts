import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deleteKeysUnder } from "@assay/platform";

export const LAUNCHER_DIR = join(__dirname, "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Every queue prefix handed out by launcherEnv, with its Redis: removed by removeQueueKeys. */
const queuePrefixes: { redisUrl: string; prefix: string }[] = [];

export async function launcherEnv(): Promise<Record<string, string>> {
  const suffix = randomBytes(5).toString("hex");
  const stateDir = mkdtempSync(join(tmpdir(), "assay-launcher-"));
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const queuePrefix = `assay-launcher-test-${suffix}`;
  queuePrefixes.push({ redisUrl, prefix: queuePrefix });
  return {
    NODE_ENV: "development",
    DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/assay_launcher_test_${suffix}`,
    REDIS_URL: redisUrl,
    ASSAY_API_PORT: String(await freePort()),
    ASSAY_WEB_PORT: String(await freePort()),
    ASSAY_CHAIN_PORT: String(await freePort()),
    ASSAY_STATE_DIR: stateDir,
    ASSAY_ARTIFACT_DIR: join(stateDir, "artifacts"),
    ASSAY_QUEUE_PREFIX: queuePrefix,
  };
}

/** The launched workers' repeatable jobs and queues stay in Redis after a test: remove them (after the launchers stopped). */
export async function removeQueueKeys(): Promise<void> {
  for (const { redisUrl, prefix } of queuePrefixes.splice(0)) await deleteKeysUnder(redisUrl, prefix);
}

export type Spawned = ChildProcess & { output: string[] };

const spawned: Spawned[] = [];

/** Stops launchers a failed test left running (each stops its own children). */
export async function stopLeftovers(): Promise<void> {
  for (const child of spawned) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exitOf(child);
    }
  }
}

export function spawnLauncher(env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ["--import", "tsx", join(LAUNCHER_DIR, "src", "main.ts")], {
    cwd: LAUNCHER_DIR,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  }) as Spawned;
  child.output = [];
  child.stdout?.on("data", (d: Buffer) => child.output.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => child.output.push(d.toString()));
  spawned.push(child);
  return child;
}

export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command to its end without blocking the event loop (unlike spawnSync). */
export function runToEnd(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.once("exit", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
