// The web servers never hand out an install's state (issue 14 §2): the probe
// fetched `/@fs/<repo>/.assay/demo.json` (demo credentials) and
// `.../.assay/validators.json` (validator private keys) from the Vite dev
// server that `npm start` used to run. `npm start` now serves the production
// build (server/web-server.ts: only files under dist/), and the dev server's
// file access is limited to what the app is built from.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createWebServer } from "../server/web-server";
import { WEB_DIR } from "./support/browser";

const REPO_ROOT = join(WEB_DIR, "..", "..");
const MARKER = `probe-secret-${process.pid}-${Date.now()}`;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A state file like the launcher's, in the repository's .assay, removed afterwards. */
function plantStateFile(name: string): string {
  const dir = join(REPO_ROOT, ".assay");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ operator: { password: MARKER } }), { mode: 0o600 });
  cleanups.push(() => rmSync(file, { force: true }));
  return file;
}

const probes = (file: string) => [`/@fs${file}`, `/@fs${dirname(file)}/../.assay/${file.split("/").pop()}`, `/..%2F..%2F..%2F.assay%2F${file.split("/").pop()}`, `/.assay/${file.split("/").pop()}`];

test("the production web server (what npm start runs) never serves the install's state", async () => {
  const dist = mkdtempSync(join(tmpdir(), "assay-web-dist-"));
  cleanups.push(() => rmSync(dist, { recursive: true, force: true }));
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>Assay</title>");
  const file = plantStateFile(`demo-probe-${process.pid}.json`);
  const server: Server = createWebServer({ distDir: dist, api: (_req, res) => res.writeHead(599).end() });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const path of probes(file)) {
    const res = await rawGet(base, path);
    expect(res.body).not.toContain(MARKER);
    expect(res.body).toContain("<title>Assay</title>");
  }
});

test("the Vite dev server (npm run dev) refuses /@fs/ reads of .assay and of anything outside the app's sources", async () => {
  const file = plantStateFile(`validators-probe-${process.pid}.json`);
  const port = await new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const vite = join(dirname(require.resolve("vite/package.json", { paths: [WEB_DIR] })), "bin", "vite.js");
  const child: ChildProcess = spawn(process.execPath, [vite, "--logLevel", "info"], { cwd: WEB_DIR, env: { ...process.env, WEB_PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  cleanups.push(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await rawGet(base, "/").then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`vite did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  for (const path of probes(file)) {
    const res = await rawGet(base, path);
    expect({ path, leaked: res.body.includes(MARKER) }).toEqual({ path, leaked: false });
  }
  expect((await rawGet(base, `/@fs${REPO_ROOT}/package.json`)).status).toBe(403);
  // The app itself still loads, with @assay/protocol from the workspace.
  expect((await rawGet(base, "/src/main.tsx")).status).toBe(200);
  expect((await rawGet(base, `/@fs${REPO_ROOT}/packages/protocol/src/index.ts`)).status).toBe(200);
}, 90_000);
