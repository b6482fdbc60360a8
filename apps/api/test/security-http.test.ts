// Issue 14 §5 over HTTP: every unauthenticated route — read from the served
// OpenAPI documents, so a new one is covered without being listed here — and
// the documentation pages answer 429 with Retry-After and the ApiError body past
// their limit; unknown email and wrong password take the same time; security
// headers on every kind of response (JSON, error, fast path, docs page); CORS
// gives credentials to the configured web origin only; error bodies never echo a
// credential; the cookie policy (test/cookies.ts) catches what it must.
import { ApiErrorSchema } from "@assay/protocol";
import { cookiePolicyProblems } from "./cookies";
import { startApi, type TestApi } from "./helpers";

// Generous: on the shared machine starting the API alone can take longer than jest's default.
jest.setTimeout(120_000);

const WEB_ORIGIN = "https://app.assay.example";
const OTHER_ORIGIN = "https://evil.example";
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

let t: TestApi;
/** A fresh client address per use (the test client is a trusted proxy, so X-Forwarded-For is the client). */
let nextClient = 0;
const client = () => {
  nextClient += 1;
  return { "x-forwarded-for": `198.18.${nextClient >> 8}.${nextClient & 255}` };
};
const documents: Record<string, any> = {};

beforeAll(async () => {
  t = await startApi({
    ASSAY_TRUSTED_PROXIES: "127.0.0.1,::1",
    ASSAY_PUBLIC_RATE_LIMIT: "4",
    ASSAY_FLAG_RATE_LIMIT: "2",
    ASSAY_AGENT_ACTIVATE_LIMIT: "3",
    ASSAY_AGENT_AUTH_LIMIT: "4",
    ASSAY_LOGIN_LOCKOUT_THRESHOLD: "1000",
    ASSAY_WEB_ORIGIN: WEB_ORIGIN,
  });
  for (const plane of ["public", "developer", "agent", "operator"]) {
    const res = await t.call("GET", `/docs/${plane}-json`, { headers: client() });
    expect(res.status).toBe(200);
    documents[plane] = res.body;
  }
}, 180_000);

afterAll(async () => {
  await t?.close();
});

type Operation = { plane: string; method: string; path: string; security?: unknown[] };

function operations(): Operation[] {
  const out: Operation[] = [];
  for (const [plane, document] of Object.entries(documents)) {
    for (const [path, item] of Object.entries<Record<string, { security?: unknown[] }>>(document.paths)) {
      for (const method of METHODS) if (item[method]) out.push({ plane, method, path, security: item[method]!.security });
    }
  }
  return out;
}

/** A concrete URL for a documented path: any value in each parameter (the limiter runs before validation). */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, `0x${"1".repeat(64)}`);

describe("rate limits on every unauthenticated route", () => {
  it("the documents declare every operation either unauthenticated (security: []) or bearer-authenticated, and the known unauthenticated ones are among the first", () => {
    const all = operations();
    expect(all.length).toBeGreaterThan(30);
    for (const op of all) {
      if (op.security && op.security.length === 0) continue;
      // Not "unauthenticated by omission": anything else names the bearer scheme.
      expect(op.plane).not.toBe("public");
      expect(JSON.stringify(op.security ?? documents[op.plane].security ?? [])).toContain("bearer");
    }
    const open = all.filter((op) => op.security?.length === 0).map((op) => `${op.method.toUpperCase()} ${op.path}`);
    for (const known of ["POST /v1/agent/activate", "POST /v1/agent/challenge", "POST /v1/agent/token", "POST /v1/operator/auth/login", "GET /v1/public/health", "POST /v1/public/verify"]) {
      expect(open).toContain(known);
    }
  });

  // The documents and UI pages are unauthenticated routes too, outside the documents themselves.
  const extra = [
    { plane: "docs", method: "get", path: "/docs" },
    { plane: "docs", method: "get", path: "/docs/public" },
    { plane: "docs", method: "get", path: "/docs/operator-json" },
    { plane: "docs", method: "get", path: "/docs-json" },
  ];

  it("each one answers 429 with Retry-After and the rate_limited ApiError body once its client passes the limit", async () => {
    const open = [...operations().filter((op) => op.security?.length === 0), ...extra];
    const report: string[] = [];
    const failures: string[] = [];
    for (const op of open) {
      const headers = client();
      const path = concrete(op.path);
      let limited: Awaited<ReturnType<TestApi["call"]>> | undefined;
      let sent = 0;
      const statuses = new Set<number>();
      while (sent < 40 && !limited) {
        const res = await t.call(op.method.toUpperCase(), path, { headers, ...(op.method === "get" ? {} : { json: {} }) });
        sent += 1;
        if (res.status === 429) limited = res;
        else statuses.add(res.status);
      }
      if (!limited) {
        failures.push(`${op.method.toUpperCase()} ${op.path}: no 429 after ${sent} requests (statuses ${[...statuses].join(", ")})`);
        continue;
      }
      const retryAfter = limited.headers.get("retry-after");
      if (!retryAfter || !/^\d+$/.test(retryAfter) || Number(retryAfter) < 1) failures.push(`${op.method.toUpperCase()} ${op.path}: Retry-After ${retryAfter}`);
      const body = ApiErrorSchema.safeParse(limited.body);
      if (!body.success || body.data.error.code !== "rate_limited") failures.push(`${op.method.toUpperCase()} ${op.path}: body ${JSON.stringify(limited.body)}`);
      // The documented responses of the route say 429 too (the docs pages are not in a document).
      if (op.plane !== "docs" && !documents[op.plane].paths[op.path][op.method].responses["429"]) failures.push(`${op.method.toUpperCase()} ${op.path}: 429 not documented`);
      // Another client is not limited by this one's use.
      const other = await t.call(op.method.toUpperCase(), path, { headers: client(), ...(op.method === "get" ? {} : { json: {} }) });
      if (other.status === 429) failures.push(`${op.method.toUpperCase()} ${op.path}: a fresh client got 429 too`);
      report.push(`${op.method.toUpperCase()} ${op.path}: 429 after ${sent} (Retry-After ${retryAfter})`);
    }
    console.log(`unauthenticated routes rate-limited: ${report.length}\n${report.join("\n")}`);
    expect(failures).toEqual([]);
    expect(report.length).toBeGreaterThanOrEqual(extra.length + 6);
  }, 180_000);
});

describe("operator login timing: unknown email vs wrong password", () => {
  it("takes the same time over HTTP (interleaved medians within ±50%)", async () => {
    const email = `timing-http-${Date.now()}@example.com`;
    await t.platform.operators.create({ email, password: "the right password 1", role: "support" });
    const time = async (address: string) => {
      const started = performance.now();
      const res = await t.call("POST", "/v1/operator/auth/login", { json: { email: address, password: "a wrong password 1", totp: "000000" }, headers: client() });
      expect(res.status).toBe(401);
      return performance.now() - started;
    };
    // Warm-up (argon2, connections, JIT), then interleaved so load drifts hit both alike.
    await time(email);
    await time(`ghost-warm@example.com`);
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 15; i++) {
      unknown.push(await time(`ghost-${i}@example.com`));
      wrong.push(await time(email));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
    const ratio = median(wrong) / median(unknown);
    console.log(
      `login timing over HTTP: unknown email median ${median(unknown).toFixed(1)} ms (range ${spread(unknown)}), ` +
        `wrong password median ${median(wrong).toFixed(1)} ms (range ${spread(wrong)}), ratio ${ratio.toFixed(2)}`,
    );
    expect(ratio).toBeGreaterThan(1 / 1.5);
    expect(ratio).toBeLessThan(1.5);
  }, 120_000);
});

describe("security headers", () => {
  const expectHeaders = (headers: Headers, what: string) => {
    const csp = headers.get("content-security-policy") ?? "";
    expect({ what, csp }).toEqual({ what, csp: expect.stringContaining("default-src 'self'") });
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("referrer-policy")).toBe("no-referrer");
    expect(headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(headers.get("x-powered-by")).toBeNull();
  };

  it("on JSON answers, errors (401, 404, 429), the verify fast path and the docs page", async () => {
    const headers = client();
    expectHeaders((await t.call("GET", "/v1/public/health", { headers })).headers, "health");
    expectHeaders((await t.call("GET", "/v1/developer/me", { headers: client() })).headers, "401");
    expectHeaders((await t.call("GET", "/v1/nothing-here", { headers: client() })).headers, "404");
    expectHeaders((await t.call("POST", "/v1/public/verify", { json: {}, headers: client() })).headers, "verify fast path");
    let last;
    for (let i = 0; i < 6; i++) last = await t.call("GET", "/v1/public/health", { headers });
    expect(last!.status).toBe(429);
    expectHeaders(last!.headers, "429");
    const docs = await t.call("GET", "/docs/public", { headers: client() });
    expect(docs.status).toBe(200);
    expectHeaders(docs.headers, "docs");
    // The CSP suits the docs page: every script and style sheet it loads is its own (no inline script, no other origin).
    const html = String(docs.body);
    const sources = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g), ...html.matchAll(/<link[^>]*\shref="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).not.toMatch(/^(https?:)?\/\//);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>\s*\S/);
  });
});

describe("CORS", () => {
  const cors = async (method: string, path: string, origin: string, extra: Record<string, string> = {}) =>
    t.call(method, path, { headers: { ...client(), origin, ...extra } });

  it("the configured web origin may call the credentialed planes with credentials", async () => {
    for (const path of ["/v1/developer/me", "/v1/operator/me", "/v1/agent/me"]) {
      const res = await cors("GET", path, WEB_ORIGIN);
      expect(res.status).toBe(401);
      expect(res.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
      expect(res.headers.get("access-control-allow-credentials")).toBe("true");
      expect(res.headers.get("vary")).toMatch(/origin/i);
    }
    const preflight = await cors("OPTIONS", "/v1/operator/auth/login", WEB_ORIGIN, { "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(preflight.headers.get("access-control-allow-credentials")).toBe("true");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });

  it("any other origin gets no Access-Control-Allow-Origin and no credentials there", async () => {
    for (const origin of [OTHER_ORIGIN, "null", `${WEB_ORIGIN}.evil.example`, "http://app.assay.example"]) {
      const res = await cors("GET", "/v1/developer/me", origin);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
      const preflight = await cors("OPTIONS", "/v1/developer/me", origin, { "access-control-request-method": "GET", "access-control-request-headers": "authorization" });
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
      expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("the public plane allows any origin, never with credentials", async () => {
    for (const origin of [WEB_ORIGIN, OTHER_ORIGIN]) {
      const res = await cors("GET", "/.well-known/jwks.json", origin);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });
});

describe("no credential in an error body", () => {
  it("wrong password, wrong-plane API key, forged or garbled tokens are not echoed back", async () => {
    const { totpSecret } = await t.platform.operators.create({ email: "echo@example.com", password: "echo password 123", role: "admin" });
    const developer = await t.platform.developers.create({ email: "echo-dev@example.com", name: "Echo" });
    const apiKey = (await t.platform.apiKeys.create(developer.id, "echo")).key;
    const secrets = [apiKey, "echo password 123", "a wrong password 99", totpSecret];
    const bodies = [
      await t.call("POST", "/v1/operator/auth/login", { json: { email: "echo@example.com", password: "a wrong password 99", totp: "123456" }, headers: client() }),
      await t.call("POST", "/v1/operator/auth/login", { json: { email: "echo@example.com", password: "echo password 123", totp: totpSecret }, headers: client() }),
      await t.call("GET", "/v1/public/health", { token: apiKey, headers: client() }),
      await t.call("GET", "/v1/operator/me", { token: apiKey, headers: client() }),
      await t.call("GET", "/v1/agent/me", { token: apiKey, headers: client() }),
      await t.call("GET", "/v1/developer/me", { token: `${apiKey}x`, headers: client() }),
      await t.call("POST", "/v1/public/verify", { token: apiKey, json: {}, headers: client() }),
    ].map((res) => {
      expect(res.status).toBeGreaterThanOrEqual(400);
      return JSON.stringify(res.body);
    });
    for (const body of bodies) for (const secret of secrets) expect(body).not.toContain(secret);
  });
});

describe("the cookie policy check (test/cookies.ts; applied to every response by the test client)", () => {
  it("accepts HttpOnly + SameSite + Secure, and the same without Secure on plain http loopback only", () => {
    expect(cookiePolicyProblems(["s=1; Path=/; HttpOnly; Secure; SameSite=Strict"], "https://api.example/v1")).toEqual([]);
    expect(cookiePolicyProblems(["s=1; Path=/; HttpOnly; SameSite=Lax"], "http://127.0.0.1:3000/v1")).toEqual([]);
    expect(cookiePolicyProblems([], "https://api.example/v1")).toEqual([]);
  });

  it("refuses a cookie without HttpOnly, without SameSite or with SameSite=None, or without Secure off loopback", () => {
    expect(cookiePolicyProblems(["s=1; Secure; SameSite=Strict"], "https://api.example/")).toEqual(["s: no HttpOnly"]);
    expect(cookiePolicyProblems(["s=1; HttpOnly; Secure"], "https://api.example/")).toHaveLength(1);
    expect(cookiePolicyProblems(["s=1; HttpOnly; Secure; SameSite=None"], "https://api.example/")).toHaveLength(1);
    expect(cookiePolicyProblems(["s=1; HttpOnly; SameSite=Strict"], "http://api.example/")).toEqual(["s: no Secure (required except on plain http to loopback)"]);
    expect(cookiePolicyProblems(["s=1; HttpOnly; SameSite=Strict"], "https://127.0.0.1/")).toHaveLength(1);
  });
});
