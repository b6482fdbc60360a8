// `npm start` end to end: the launcher against a fresh database and a free API
// port starts the services, writes demo.json with working credentials, reuses
// them on restart, and stops everything on SIGTERM.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createPlatform, dropDatabase, LEGACY_DEV_SESSION_SECRET, loadConfig, type Platform } from "@assay/platform";
import { generate } from "otplib";
import { DemoFileSchema } from "../src/demo-file";
import { resolveCommand } from "../src/services";
import { secretsIn, secretsOfInstall, type NamedSecret } from "./secrets";
import { alive, exitOf, launcherEnv, runToEnd, spawnLauncher, removeQueueKeys, stopLeftovers, waitFor, type Spawned } from "./helpers";

jest.setTimeout(900_000);

const repoRoot = join(__dirname, "..", "..", "..");
const apiAvailable = !("unavailable" in resolveCommand(repoRoot, { kind: "script", workspace: "apps/api", script: "start" }));

let env: Record<string, string>;
let platform: Platform | undefined;

beforeAll(async () => {
  env = await launcherEnv();
});

afterAll(async () => {
  await stopLeftovers();
  await removeQueueKeys();
  await platform?.close();
  await dropDatabase(loadConfig(env).database);
});

async function startAndWait(launchEnv: Record<string, string> = env): Promise<Spawned> {
  const launcher = spawnLauncher(launchEnv);
  // As long as the launcher itself allows the web build (300 s): on a loaded machine it is the slowest step.
  await waitFor(() => launcher.output.join("").includes("Assay is running.") || launcher.exitCode !== null, "the launcher to start everything", 330_000);
  if (launcher.exitCode !== null) throw new Error(`launcher exited ${launcher.exitCode}:\n${launcher.output.join("")}`);
  expect(launcher.output.join("")).not.toMatch(/exited unexpectedly/);
  return launcher;
}

/** An HS256 token as the platform signed them with the public development secret before decision 0013. */
function forgeLegacyToken(plane: string, subject: string): string {
  const { createHmac, hkdfSync } = require("node:crypto") as typeof import("node:crypto");
  const key = Buffer.from(hkdfSync("sha256", LEGACY_DEV_SESSION_SECRET, "assay-session-tokens", `assay:${plane}`, 32));
  const now = Math.floor(Date.now() / 1000);
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part({ iss: "assay", aud: `assay:${plane}`, sub: subject, role: "admin", iat: now, exp: now + 600 })}`;
  return `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
}

/** Pids of the launcher's children (each leads its own process group). */
function childPids(launcher: Spawned): number[] {
  const ps = require("node:child_process").spawnSync("ps", ["-o", "pid=", "--ppid", String(launcher.pid)], { encoding: "utf8" }) as { stdout: string };
  return ps.stdout.split("\n").map((s) => Number(s.trim())).filter((n) => n > 0);
}

it("starts the platform, writes demo.json with working credentials, and stops cleanly on SIGTERM", async () => {
  const launcher = await startAndWait();
  const output = launcher.output.join("");
  expect(output).toMatch(/migrations applied: \d+_init/);
  expect(output).toMatch(/worker \| .*worker started/);
  const web = !("unavailable" in resolveCommand(repoRoot, { kind: "script", workspace: "apps/web", script: "start" }));
  if (web) await waitFor(async () => (await fetch(`http://127.0.0.1:${env.ASSAY_WEB_PORT}/`)).status === 200, "the web app to answer 200", 20_000);

  const demoFile = join(env.ASSAY_STATE_DIR!, "demo.json");
  const demo = DemoFileSchema.parse(JSON.parse(readFileSync(demoFile, "utf8")));
  // Issue 14 §8: the log names where the credentials are, never the credentials.
  for (const secret of [demo.developer.apiKey, demo.operator.password, demo.operator.totpSecret]) expect(output).not.toContain(secret);
  expect(output).toContain(`API key in ${demoFile}`);
  // Issue 14 §1: the install's secrets were generated under the state directory, owner-only, like demo.json.
  expect(statSync(join(env.ASSAY_STATE_DIR!, "secrets.json")).mode & 0o777).toBe(0o600);
  expect(statSync(demoFile).mode & 0o777).toBe(0o600);
  if (web) {
    // Issue 14 §2: the web server is the production build; it serves the app, never the state directory.
    const index = await (await fetch(`http://127.0.0.1:${env.ASSAY_WEB_PORT}/`)).text();
    expect(index).not.toContain("/@vite/client");
    for (const path of [`/@fs${demoFile}`, `/@fs${join(env.ASSAY_STATE_DIR!, "secrets.json")}`, `/@fs${join(repoRoot, ".assay", "demo.json")}`]) {
      const body = await (await fetch(`http://127.0.0.1:${env.ASSAY_WEB_PORT}${path}`)).text();
      expect(body).not.toContain(demo.developer.apiKey);
      expect(body).not.toContain("sessionSecret");
    }
  }
  expect(demo.apiUrl).toBe(`http://127.0.0.1:${env.ASSAY_API_PORT}`);
  expect(demo.webUrl).toBe(`http://127.0.0.1:${env.ASSAY_WEB_PORT}`);
  // The development chain: a local Hardhat node with the registry deployed, named in demo.json and discovery.
  expect(demo.chain).toMatchObject({ rpcUrl: `http://127.0.0.1:${env.ASSAY_CHAIN_PORT}`, chainId: 31337 });
  expect(demo.chain!.registry).toMatch(/^0x[0-9a-fA-F]{40}$/);
  // The node's per-request log is off once the contracts are deployed: a request made now leaves no line.
  // (It was on, and the workers' chain loops polling every second buried every other line of `npm start`.)
  expect(output).toContain("chain: JSON-RPC request log off");
  const probe = await fetch(demo.chain!.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBalance", params: [demo.chain!.registry, "latest"] }) });
  expect(probe.status).toBe(200);
  await sleep(1_000);
  const afterNote = launcher.output.join("").split("chain: JSON-RPC request log off")[1]!;
  expect(afterNote).not.toMatch(/chain +\|.*eth_getBalance/);
  expect(afterNote).not.toMatch(/chain +\|.*eth_blockNumber/);
  if (apiAvailable) {
    const health = await fetch(`${demo.apiUrl}/v1/public/health`);
    expect(health.status).toBe(200);

    const discovery = (await (await fetch(`${demo.apiUrl}/.well-known/assay.json`)).json()) as { chainId: number; registry: string };
    expect(discovery).toMatchObject({ chainId: 31337, registry: demo.chain!.registry });
  } else {
    expect(output).toMatch(/api: not started \(apps\/api has no "start" script yet\)/);
  }

  // The credentials work against the platform's own services.
  platform = await createPlatform(loadConfig(env));
  const principal = await platform.apiKeys.authenticate(demo.developer.apiKey);
  expect((await platform.developers.get(principal.developerId)).email).toBe("developer@demo.assay.local");
  const operator = await platform.operators.login({
    email: demo.operator.email,
    password: demo.operator.password,
    totp: await generate({ secret: demo.operator.totpSecret }),
  });
  expect(operator.role).toBe("admin");
  if (apiAvailable) {
    // Issue 14 §1: a token forged for the demo operator with the formerly public development secret opens nothing.
    const forged = forgeLegacyToken("operator", operator.id);
    for (const path of ["/v1/operator/me", "/v1/operator/signing-keys"]) {
      expect((await fetch(`${demo.apiUrl}${path}`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    }
  }

  const children = childPids(launcher);
  expect(children.length).toBeGreaterThanOrEqual(1);
  launcher.kill("SIGTERM");
  expect(await exitOf(launcher)).toEqual({ code: 0, signal: null });
  await waitFor(() => children.every((pid) => !alive(pid)), "every child process to be gone", 30_000);
  expect(launcher.output.join("")).toMatch(/worker stopping signal=SIGTERM/);
});

it("reuses the demo accounts on restart (the API key is shown once, so demo.json keeps it)", async () => {
  const before = DemoFileSchema.parse(JSON.parse(readFileSync(join(env.ASSAY_STATE_DIR!, "demo.json"), "utf8")));
  const launcher = await startAndWait();
  try {
    expect(launcher.output.join("")).toMatch(/demo accounts reused/);
    const after = DemoFileSchema.parse(JSON.parse(readFileSync(join(env.ASSAY_STATE_DIR!, "demo.json"), "utf8")));
    expect(after).toEqual(before);
    expect(await platform!.db.apiKey.count()).toBe(1);
    expect(await platform!.db.operator.count()).toBe(1);
  } finally {
    launcher.kill("SIGINT");
    expect(await exitOf(launcher)).toEqual({ code: 0, signal: null });
  }
});

(apiAvailable ? it : it.skip)("npm run demo: the reference runtime submitted as the demo developer ends certified", async () => {
  // A fresh install (its own database and state): the canonical `npm start` then `npm run demo`.
  const fresh = await launcherEnv();
  const launcher = await startAndWait(fresh);
  let demo: Awaited<ReturnType<typeof runToEnd>> | undefined;
  let secrets: NamedSecret[] = [];
  let failure: unknown;
  try {
    // Asynchronously: while the demo runs, this process must keep draining the
    // launcher's output pipe, or the launcher (and every service behind it) blocks on a full pipe.
    demo = await runToEnd(process.execPath, ["--import", "tsx", join(__dirname, "..", "src", "demo-main.ts")], {
      cwd: join(__dirname, ".."),
      env: { ...process.env, ...fresh },
      timeoutMs: 360_000,
    });
    // Issue 14 §5: every secret the run created, and a session of each kind used over HTTP.
    // Collected whatever the demo's verdict (on an overloaded machine the audit's wall clock can reject it).
    secrets = await secretsOfInstall(fresh);
    // npx, run by the demo to look for `assay submit`, may warn about npm config: nothing else goes to stderr.
    expect(demo.stderr.split("\n").filter((l) => l && !l.startsWith("npm warn"))).toEqual([]);
    expect(demo.status).toBe(0);
    // The demo agents activated pending and were admitted by the launcher as the demo operator (docs/decisions/0012).
    expect(launcher.output.join("")).toMatch(/validators: admitted 8 demo validator\(s\) with stake 1000000 each/);
    const id = /certificate (0x[0-9a-f]{64})/.exec(demo.stdout)?.[1];
    expect(id).toBeDefined();
    expect(demo.stdout).toContain(`verify in the browser: http://127.0.0.1:${fresh.ASSAY_WEB_PORT}/verify/${id}`);
    const document = await (await fetch(`http://127.0.0.1:${fresh.ASSAY_API_PORT}/v1/public/certificates/${id}`)).json();
    const { id: docId, payload, jws } = document as { id: string; payload: unknown; jws: string };
    const verified = await fetch(`http://127.0.0.1:${fresh.ASSAY_API_PORT}/v1/public/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: docId, payload, jws }),
    });
    expect(await verified.json()).toMatchObject({ valid: true });
  } catch (error) {
    failure = error;
  } finally {
    launcher.kill("SIGTERM");
    expect(await exitOf(launcher)).toEqual({ code: 0, signal: null });
    await dropDatabase(loadConfig(fresh).database);
  }
  // No secret in any log, checked even when the demo did not certify (a leak is reported first).
  // Every process's log (the launcher relays each service's stdout and stderr, to the shutdown) and the demo's own output.
  if (demo && secrets.length > 0) {
    expect(secrets.length).toBeGreaterThanOrEqual(10);
    const logs = { "launcher and services": launcher.output.join(""), "demo stdout": demo.stdout, "demo stderr": demo.stderr };
    expect(logs["launcher and services"]).toMatch(/worker stopping/);
    expect(secretsIn(logs, secrets)).toEqual([]);
    console.log(`no secret in the logs: ${secrets.length} secrets searched in ${Object.values(logs).reduce((n, l) => n + l.split("\n").length, 0)} log lines`);
  }
  if (failure) throw failure;
  expect(secrets.length).toBeGreaterThanOrEqual(10);
});

it("refuses to start with a bad configuration value, naming it", async () => {
  const launcher = spawnLauncher({ ...env, ASSAY_API_PORT: "not-a-port" });
  const exit = await exitOf(launcher);
  expect(exit.code).toBe(1);
  expect(launcher.output.join("")).toMatch(/ASSAY_API_PORT/);
});

it("explains how to get PostgreSQL when none answers", async () => {
  const launcher = spawnLauncher({ ...env, DATABASE_URL: "postgresql://postgres@127.0.0.1:1/assay" });
  const exit = await exitOf(launcher);
  expect(exit.code).toBe(1);
  expect(launcher.output.join("")).toMatch(/no PostgreSQL answers at 127\.0\.0\.1:1[\s\S]*apt-get install -y postgresql/);
});

it("starts redis-server itself when nothing answers on REDIS_URL, and stops it with the rest", async () => {
  const { freePort } = await import("./helpers");
  const port = await freePort();
  const launcher = spawnLauncher({ ...env, REDIS_URL: `redis://127.0.0.1:${port}` });
  try {
    await waitFor(() => launcher.output.join("").includes("Assay is running.") || launcher.exitCode !== null, "the launcher to start everything");
    const output = launcher.output.join("");
    expect(output).toMatch(new RegExp(`no Redis at redis://127.0.0.1:${port}; starting redis-server`));
    expect(output).toMatch(/worker started/);
  } finally {
    launcher.kill("SIGTERM");
    expect(await exitOf(launcher)).toEqual({ code: 0, signal: null });
  }
  const { portIsFree } = await import("../src/ports");
  await waitFor(() => portIsFree("127.0.0.1", port), "the managed redis-server to stop", 10_000);
});

it("stops everything and exits 1 when a service dies (nothing is restarted silently)", async () => {
  const { launch } = await import("../src/launch");
  const { loadLauncherConfig } = await import("../src/config");
  const lines: string[] = [];
  const node = process.execPath;
  const launched = await launch(loadLauncherConfig(env), {
    write: (line) => lines.push(line),
    services: [
      {
        name: "steady",
        command: { kind: "exec", file: node, args: ["-e", "console.log('steady up'); setInterval(() => {}, 1000)"] },
        ready: { kind: "log", pattern: /steady up/ },
      },
      {
        name: "flaky",
        command: { kind: "exec", file: node, args: ["-e", "console.log('flaky up'); setTimeout(() => process.exit(3), 800)"] },
        ready: { kind: "log", pattern: /flaky up/ },
      },
    ],
  });
  expect(launched.started).toEqual(["steady", "flaky"]);
  expect(await launched.finished).toBe(1);
  expect(lines.join("\n")).toMatch(/flaky exited unexpectedly \(exit code 3\); stopping everything/);
  expect(lines.filter((l) => /restart/i.test(l))).toEqual([]);
  expect(alive(launched.pids.steady!)).toBe(false);
});

