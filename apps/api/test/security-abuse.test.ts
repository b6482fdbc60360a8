// Regression tests of the security probe (issue 14 §3 and §8): rate limits key
// on the connection's address unless it is a configured proxy, so a client
// cannot escape them with a fresh X-Forwarded-For per request; operator login
// locks an account after repeated failures; rotating the signing key through the
// operator plane leaves an audit_log row.
import { generate } from "otplib";
import { startApi, type TestApi } from "./helpers";

const PASSWORD = "operator password 1";
const spoofed = (i: number) => ({ "x-forwarded-for": `203.0.113.${i % 250}, 198.51.100.${i % 250}` });

describe("no trusted proxy (the default)", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startApi({ ASSAY_PUBLIC_RATE_LIMIT: "5", ASSAY_LOGIN_LOCKOUT_THRESHOLD: "100" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("a fresh X-Forwarded-For per request does not escape the login limit (10 per minute)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await t.call("POST", "/v1/operator/auth/login", { json: { email: `nobody${i}@example.com`, password: "x", totp: "000000" }, headers: spoofed(i) });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it("nor the public limit, on the Nest routes and on the verify fast path alike", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.call("GET", "/v1/public/health", { headers: spoofed(i) })).status);
    for (let i = 0; i < 3; i++) statuses.push((await t.call("POST", "/v1/public/verify", { json: {}, headers: spoofed(100 + i) })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("with the test client configured as a trusted proxy", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startApi({ ASSAY_TRUSTED_PROXIES: "127.0.0.1,::1", ASSAY_LOGIN_LOCKOUT_THRESHOLD: "100" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("limits per forwarded client: one client is limited, another is not", async () => {
    const login = (client: string) => t.call("POST", "/v1/operator/auth/login", { json: { email: "nobody@example.com", password: "x", totp: "000000" }, headers: { "x-forwarded-for": client } });
    const first: number[] = [];
    for (let i = 0; i < 11; i++) first.push((await login("203.0.113.7")).status);
    expect(first.at(-1)).toBe(429);
    expect((await login("203.0.113.8")).status).toBe(401);
    // A client behind the proxy cannot pick its own address by prepending hops: the proxy's entry is the one used.
    expect((await login("10.9.9.9, 203.0.113.7")).status).toBe(429);
  });
});

describe("operator login lockout and rotation audit over HTTP", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startApi({ ASSAY_LOGIN_LOCKOUT_THRESHOLD: "3", ASSAY_LOGIN_LOCKOUT_BASE_SECONDS: "2", ASSAY_TRUSTED_PROXIES: "127.0.0.1,::1" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("locks after 3 failures (the right credentials are refused alike), unlocks after the backoff", async () => {
    const { operator, totpSecret } = await t.platform.operators.create({ email: "lockme@example.com", password: PASSWORD, role: "admin" });
    // Each attempt from its own forwarded address: the lock is per account, not per client.
    const attempt = (i: number, password: string, totp: string) =>
      t.call("POST", "/v1/operator/auth/login", { json: { email: "lockme@example.com", password, totp }, headers: { "x-forwarded-for": `198.51.100.${i}` } });
    for (let i = 0; i < 3; i++) expect((await attempt(i, "wrong password", "000000")).status).toBe(401);
    const locked = await attempt(10, PASSWORD, await generate({ secret: totpSecret }));
    expect(locked.status).toBe(401);
    const unknown = await t.call("POST", "/v1/operator/auth/login", { json: { email: "ghost@example.com", password: PASSWORD, totp: "000000" }, headers: { "x-forwarded-for": "198.51.100.20" } });
    expect(locked.body).toEqual(unknown.body);
    const row = await t.platform.store.repos.operators.findById(operator.id);
    expect(row!.failedLogins).toBe(3);
    expect(row!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());

    await new Promise((r) => setTimeout(r, row!.lockedUntil!.getTime() - Date.now() + 100));
    // A new 30 s step, so the code is not a replay of the refused one.
    const epoch = Math.floor(Date.now() / 1000) + 30;
    const ok = await attempt(30, PASSWORD, await generate({ secret: totpSecret, epoch }));
    expect(ok.status).toBe(200);
    expect((await t.platform.store.repos.operators.findById(operator.id))!.failedLogins).toBe(0);

    // The session rotates the signing key: the rotation is in the audit log, by this operator.
    const before = await t.platform.signingKeys.ensureActiveKey();
    const rotated = await t.call("POST", "/v1/operator/signing-keys/rotate", { token: ok.body.token });
    expect(rotated.status).toBe(200);
    const rows = await t.platform.store.repos.auditLog.list({ action: "signing_key.rotate", limit: 5 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: `operator:${operator.id}`, target: rotated.body.kid, before: { activeKid: before }, after: { activeKid: rotated.body.kid } });
    const log = await t.call("GET", "/v1/operator/audit-log", { token: ok.body.token });
    if (log.status === 200) expect(JSON.stringify(log.body)).toContain(rotated.body.kid);
  }, 30_000);
});
