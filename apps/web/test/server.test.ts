// The production web server: static files with a single-page-app fallback, the
// API proxy (including unbuffered server-sent events), and `npm run serve` as a
// child process the launcher can run and stop.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiUrlFromEnv, isApiPath, webPortFromEnv } from "../server/api-paths";
import { apiProxy } from "../server/api-proxy";
import { createWebServer } from "../server/web-server";
import { WEB_DIR } from "./support/browser";

const servers: Server[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function distFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "assay-web-static-"));
  dirs.push(dir);
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>Assay</title>");
  writeFileSync(join(dir, "assets", "app-abc123.js"), "console.log(1)");
  writeFileSync(join(dir, "secret-sibling.txt"), "inside");
  return dir;
}

const noApi = (_req: IncomingMessage, res: ServerResponse) => res.writeHead(599).end("api");

describe("static files", () => {
  test("serves files with their type, and index.html for client routes", async () => {
    const base = await listen(createWebServer({ distDir: distFixture(), api: noApi }));
    const asset = await fetch(`${base}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(await asset.text()).toBe("console.log(1)");
    for (const route of ["/", "/verify/0xabc", "/developer/submissions/x", "/operator"]) {
      const page = await fetch(`${base}${route}`);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await page.text()).toContain("<title>Assay</title>");
    }
  });

  test("never serves outside dist/, refuses writes, and says when the app is not built", async () => {
    const dist = distFixture();
    writeFileSync(join(dist, "..", `outside-${process.pid}.txt`), "outside");
    const base = await listen(createWebServer({ distDir: dist, api: noApi }));
    // Raw paths (fetch would normalise them): an encoded slash must not smuggle a ..
    for (const path of [`/..%2Foutside-${process.pid}.txt`, `/assets/..%2F..%2Foutside-${process.pid}.txt`]) {
      const escaped = await rawGet(base, path);
      expect(escaped.status).toBe(200);
      expect(escaped.body).toContain("<title>Assay</title>");
    }
    rmSync(join(dist, "..", `outside-${process.pid}.txt`));
    expect((await fetch(`${base}/x`, { method: "POST" })).status).toBe(405);

    const empty = mkdtempSync(join(tmpdir(), "assay-web-empty-"));
    dirs.push(empty);
    const unbuilt = await listen(createWebServer({ distDir: empty, api: noApi }));
    const response = await fetch(`${unbuilt}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("npm run build");
  });

  test("connect-src allows the chain's RPC origin when one is given (in-browser anchor reads, decision 0031), and only http(s) origins", async () => {
    const noApi = (_req: IncomingMessage, res: ServerResponse) => res.writeHead(404).end();
    const base = await listen(createWebServer({ distDir: distFixture(), api: noApi, connectOrigins: ["http://127.0.0.1:8545/rpc?x=1", "javascript:alert(1)", "not a url"] }));
    const csp = (await fetch(`${base}/`)).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:8545;");
    expect(csp).not.toContain("javascript");
    const plain = await listen(createWebServer({ distDir: distFixture(), api: noApi }));
    expect((await fetch(`${plain}/`)).headers.get("content-security-policy")).toContain("connect-src 'self';");
  });

  test("security headers on everything it serves itself (issue 14 §5; docs/security.md), not on proxied API paths", async () => {
    const api = (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200, { "content-type": "application/json", "content-security-policy": "default-src 'none'" }).end("{}");
    const base = await listen(createWebServer({ distDir: distFixture(), api }));
    for (const [path, init] of [["/", {}], ["/verify/0xabc", {}], ["/assets/app-abc123.js", {}], ["/x", { method: "POST" }]] as const) {
      const res = await fetch(`${base}${path}`, init);
      const csp = res.headers.get("content-security-policy") ?? "";
      for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'", "connect-src 'self'"]) expect(csp).toContain(directive);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=/);
    }
    // The API's own headers pass through untouched.
    expect((await fetch(`${base}/v1/public/health`)).headers.get("content-security-policy")).toBe("default-src 'none'");
  });

  test("API paths go to the API handler", async () => {
    expect(["/v1/public/health", "/.well-known/jwks.json", "/docs", "/docs-json"].every(isApiPath)).toBe(true);
    expect(["/", "/verify/0x1", "/v1x", "/developer", "/documents"].some(isApiPath)).toBe(false);
    const base = await listen(createWebServer({ distDir: distFixture(), api: noApi }));
    expect((await fetch(`${base}/v1/public/health`)).status).toBe(599);
  });
});

describe("API proxy", () => {
  test("forwards method, path, query, headers and body, and streams events as they come", async () => {
    const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
    let release: () => void = () => {};
    const upstream = await listen(
      createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString()));
        req.on("end", () => {
          seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
          if (req.url?.endsWith("/events")) {
            res.writeHead(200, { "content-type": "text/event-stream" });
            res.write("data: first\n\n");
            release = () => res.end("data: second\n\n");
            return;
          }
          res.writeHead(201, { "content-type": "application/json", "x-upstream": "yes" }).end('{"ok":true}');
        });
      }),
    );
    const base = await listen(createWebServer({ distDir: distFixture(), api: apiProxy(upstream) }));

    const posted = await fetch(`${base}/v1/public/verify?x=1`, { method: "POST", body: '{"id":"0x"}', headers: { authorization: "Bearer k", "content-type": "application/json" } });
    expect(posted.status).toBe(201);
    expect(posted.headers.get("x-upstream")).toBe("yes");
    expect(await posted.json()).toEqual({ ok: true });
    expect(seen[0]).toEqual({ method: "POST", url: "/v1/public/verify?x=1", auth: "Bearer k", body: '{"id":"0x"}' });

    const events = await fetch(`${base}/v1/developer/submissions/s/events`);
    const reader = events.body!.getReader();
    const first = await reader.read();
    // The first event arrives while the upstream stream is still open: nothing is buffered.
    expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
    release();
    let rest = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe("data: second\n\n");
  });

  test("an unreachable API is a 502 with a readable JSON error", async () => {
    const closed = createServer();
    const dead = await listen(closed);
    closed.close();
    servers.splice(servers.indexOf(closed), 1);
    const base = await listen(createWebServer({ distDir: distFixture(), api: apiProxy(dead) }));
    const response = await fetch(`${base}/v1/public/health`);
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("api_unreachable");
    expect(body.error.message).toContain(dead);
  });
});

describe("configuration", () => {
  test("reads the API URL and port from the environment, and rejects bad values with their name", () => {
    expect(apiUrlFromEnv({})).toBe("http://127.0.0.1:3000");
    expect(apiUrlFromEnv({ ASSAY_API_URL: "http://api.internal:8080/" })).toBe("http://api.internal:8080");
    expect(() => apiUrlFromEnv({ ASSAY_API_URL: "ftp://x" })).toThrow("ASSAY_API_URL");
    expect(webPortFromEnv({})).toBe(5173);
    expect(webPortFromEnv({ ASSAY_WEB_PORT: "6000" })).toBe(6000);
    expect(webPortFromEnv({ WEB_PORT: "7000", ASSAY_WEB_PORT: "6000" })).toBe(7000);
    expect(() => webPortFromEnv({ WEB_PORT: "http" })).toThrow("WEB_PORT");
  });
});

test("`npm run serve` serves on WEB_PORT, proxies to ASSAY_API_URL, and stops on SIGTERM", async () => {
  const api = await listen(createServer((req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ path: req.url }))));
  const probe = createServer();
  const portBase = await listen(probe);
  const port = Number(new URL(portBase).port);
  probe.close();
  servers.splice(servers.indexOf(probe), 1);

  const tsx = join(WEB_DIR, "..", "..", "node_modules", "tsx", "dist", "cli.mjs");
  const child = spawn(process.execPath, [tsx, "server/serve.ts"], { cwd: WEB_DIR, env: { ...process.env, WEB_PORT: String(port), ASSAY_API_URL: api }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  try {
    await waitFor(() => output.includes("web: serving"), 20_000, () => output);
    const health = await fetch(`http://127.0.0.1:${port}/v1/public/health`);
    expect(await health.json()).toEqual({ path: "/v1/public/health" });
    // dist/ may or may not be built in this checkout: either the app or the instruction to build it.
    const index = await fetch(`http://127.0.0.1:${port}/verify/0x1`);
    expect([200, 503]).toContain(index.status);
  } finally {
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }
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

async function waitFor(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; output so far: ${describe()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
