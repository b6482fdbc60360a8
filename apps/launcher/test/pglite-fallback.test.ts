// The embedded PGlite fallback (docs/decisions/0011): with DATABASE_URL unset and
// nothing answering at the default PostgreSQL address (the test hook points it at
// a free port), the launcher serves PGlite under <state dir>/pglite over the wire
// protocol, says so, and the API, the worker and the validators run on it: health
// answers, and a submission goes through its audit. With DATABASE_URL set
// explicitly there is no fallback (launcher.test.ts: "explains how to get PostgreSQL").
// A second start on the same state directory finds the data again.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { MANIFEST_FILE } from "@assay/protocol";
import { DemoFileSchema } from "../src/demo-file";
import { exitOf, freePort, launcherEnv, spawnLauncher, removeQueueKeys, stopLeftovers, waitFor } from "./helpers";

jest.setTimeout(480_000);

const repoRoot = join(__dirname, "..", "..", "..");
let env: Record<string, string>;

beforeAll(async () => {
  env = {
    ...(await launcherEnv()),
    // Unset (empty counts as unset), so the launcher may fall back.
    DATABASE_URL: "",
    ASSAY_LAUNCHER_DEFAULT_DATABASE_URL: `postgresql://postgres@127.0.0.1:${await freePort()}/assay`,
    ASSAY_DEV_CHAIN: "false",
  };
});

afterAll(async () => {
  await stopLeftovers();
  await removeQueueKeys();
  rmSync(env.ASSAY_STATE_DIR!, { recursive: true, force: true });
});

function packedReference() {
  const dir = join(repoRoot, "examples", "runtimes", "reference");
  const manifestText = readFileSync(join(dir, MANIFEST_FILE), "utf8");
  const manifest = JSON.parse(manifestText) as { entry: string };
  return {
    manifest,
    files: [
      { path: MANIFEST_FILE, contentBase64: Buffer.from(manifestText).toString("base64") },
      { path: manifest.entry, contentBase64: readFileSync(join(dir, manifest.entry)).toString("base64") },
    ],
  };
}

it("comes up on embedded PGlite when no PostgreSQL answers and DATABASE_URL is unset, and audits a submission", async () => {
  const launcher = spawnLauncher(env);
  const output = () => launcher.output.join("");
  try {
    await runsOnPglite(launcher, output);
  } catch (error) {
    // The launcher's own lines (not the web's) say what went wrong.
    const lines = output().split("\n").filter((l) => !l.startsWith("web ") && !/\[Nest\].*LOG/.test(l) && !/^api\s+\|\s+at /.test(l));
    throw new Error(`${(error as Error).message}\nlauncher output:\n${lines.slice(-60).join("\n")}`);
  }
});

async function runsOnPglite(launcher: ReturnType<typeof spawnLauncher>, output: () => string) {
  await waitFor(() => output().includes("Assay is running.") || launcher.exitCode !== null, "the launcher to start everything", 300_000);
  if (launcher.exitCode !== null) throw new Error(`launcher exited ${launcher.exitCode}:\n${output()}`);
  expect(output()).toMatch(/no PostgreSQL at 127\.0\.0\.1:\d+; using embedded PGlite under .*pglite .*for development only/);
  expect(output()).toMatch(/migrations applied: \d+_init/);
  expect(output()).not.toMatch(/exited unexpectedly/);
  expect(existsSync(join(env.ASSAY_STATE_DIR!, "pglite", "PG_VERSION"))).toBe(true);

  const demo = DemoFileSchema.parse(JSON.parse(readFileSync(join(env.ASSAY_STATE_DIR!, "demo.json"), "utf8")));
  const health = await fetch(`${demo.apiUrl}/v1/public/health`);
  expect(health.status).toBe(200);

  // API (submit) → outbox → worker (audit) → database, all through the embedded server.
  const auth = { authorization: `Bearer ${demo.developer.apiKey}`, "content-type": "application/json" };
  const created = await fetch(`${demo.apiUrl}/v1/developer/submissions`, { method: "POST", headers: auth, body: JSON.stringify(packedReference()) });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const finished = await waitFor(
    async () => {
      const view = (await (await fetch(`${demo.apiUrl}/v1/developer/submissions/${id}`, { headers: auth })).json()) as { status: string };
      return ["in_assembly", "certified", "rejected", "failed"].includes(view.status) ? view : null;
    },
    "the submission's audit to finish",
    240_000,
  );
  expect(["in_assembly", "certified"]).toContain(finished.status);
  const report = (await (await fetch(`${demo.apiUrl}/v1/developer/submissions/${id}/report`, { headers: auth })).json()) as { verdict: string };
  expect(report.verdict).toBe("pass");

  launcher.kill("SIGTERM");
  expect(await exitOf(launcher)).toEqual({ code: 0, signal: null });
}

it("keeps its data under the state directory across restarts", async () => {
  const launcher = spawnLauncher(env);
  const output = () => launcher.output.join("");
  try {
    await waitFor(() => output().includes("Assay is running.") || launcher.exitCode !== null, "the launcher to start again", 300_000);
    if (launcher.exitCode !== null) throw new Error(`launcher exited ${launcher.exitCode}`);
    expect(output()).toMatch(/using embedded PGlite/);
    expect(output()).toMatch(/migrations up to date/);
    expect(output()).toMatch(/demo accounts reused/);
    const demo = DemoFileSchema.parse(JSON.parse(readFileSync(join(env.ASSAY_STATE_DIR!, "demo.json"), "utf8")));
    // The first run's submission is still there.
    const listed = (await (await fetch(`${demo.apiUrl}/v1/developer/submissions`, { headers: { authorization: `Bearer ${demo.developer.apiKey}` } })).json()) as { items: unknown[] };
    expect(listed.items.length).toBe(1);
    launcher.kill("SIGTERM");
    expect(await exitOf(launcher)).toEqual({ code: 0, signal: null });
  } catch (error) {
    const lines = output().split("\n").filter((l) => !l.startsWith("web ") && !/\[Nest\].*LOG/.test(l) && !/^api\s+\|\s+at /.test(l));
    throw new Error(`${(error as Error).message}\nlauncher output:\n${lines.slice(-60).join("\n")}`);
  }
});
