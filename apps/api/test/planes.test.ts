// A credential of each plane is refused on every other plane; protected planes
// answer 401 without a credential. Real PostgreSQL and Redis.
import { credentialsFor, startApi, type TestApi } from "./helpers";

let t: TestApi;
let creds: Awaited<ReturnType<typeof credentialsFor>>;

beforeAll(async () => {
  t = await startApi();
  creds = await credentialsFor(t);
});
afterAll(async () => {
  await t.close();
});

// One representative protected (or, for public, ordinary) route per plane.
const ROUTES = {
  public: "/v1/public/health",
  developer: "/v1/developer/submissions",
  agent: "/v1/agent/me",
  operator: "/v1/operator/me",
} as const;
type Plane = keyof typeof ROUTES;
const PLANES = Object.keys(ROUTES) as Plane[];

// The credential of each plane: public has none.
const CREDENTIALS: Record<Plane, () => string | null> = {
  public: () => null,
  developer: () => creds.apiKey,
  agent: () => creds.agent,
  operator: () => creds.operatorSession,
};

describe.each(PLANES)("a %s credential", (credentialPlane) => {
  it.each(PLANES)("on the %s plane", async (routePlane) => {
    const res = await t.call("GET", ROUTES[routePlane], { token: CREDENTIALS[credentialPlane]() });
    if (credentialPlane === routePlane) {
      expect(res.status).toBe(200);
    } else {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toMatch(/^credential_(missing|wrong_plane)$/);
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
    }
  });
});

it("the developer plane takes API keys only: a developer-audience token made with the session secret is refused everywhere", async () => {
  // What the developer plane accepted before decision 0013 (nothing ever issued it).
  const { createHmac, hkdfSync } = await import("node:crypto");
  const key = Buffer.from(hkdfSync("sha256", t.env.config.secrets.session, "assay-session-tokens", "assay:developer", 32));
  const now = Math.floor(Date.now() / 1000);
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part({ iss: "assay", aud: "assay:developer", sub: creds.developer.id, iat: now, exp: now + 600 })}`;
  const token = `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
  const res = await t.call("GET", "/v1/developer/me", { token });
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe("token_invalid");
  for (const path of [ROUTES.public, ROUTES.agent, ROUTES.operator]) {
    expect((await t.call("GET", path, { token })).status).toBe(401);
  }
});

it.each([
  ["no credential", null, "credential_missing"],
  ["a malformed header", "", "credential_malformed"],
  ["an unknown API key", `ak_000000000000_${"A".repeat(43)}`, "api_key_invalid"],
  ["a forged token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl", "token_invalid"],
])("protected planes answer 401 for %s", async (_label, token, code) => {
  for (const plane of ["developer", "agent", "operator"] as const) {
    const headers: Record<string, string> = token === "" ? { authorization: "Basic Zm9vOmJhcg==" } : {};
    const res = await t.call("GET", ROUTES[plane], { token, headers });
    expect(res.status).toBe(401);
    if (!(plane !== "developer" && code === "api_key_invalid")) expect(res.body.error.code).toBe(code);
  }
});

it("an expired operator token is refused", async () => {
  const { SessionTokens } = await import("@assay/platform");
  const past = new SessionTokens(t.env.config.secrets.session, 60, () => new Date(Date.now() - 3_600_000));
  const old = await past.issue("operator", creds.operator.id, { role: "admin" });
  const res = await t.call("GET", ROUTES.operator, { token: old.token });
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe("token_expired");
});

it("operator roles are enforced (403) after authentication", async () => {
  const { operator } = await t.platform.operators.create({ email: "support@example.com", password: "support password 1", role: "support" });
  const token = (await t.platform.tokens.issue("operator", operator.id, { role: "support" })).token;
  const res = await t.call("POST", "/v1/operator/signing-keys/rotate", { token });
  expect(res.status).toBe(403);
  expect(res.body.error.code).toBe("role_forbidden");
  expect((await t.call("POST", "/v1/operator/signing-keys/rotate", { token: creds.operatorSession })).status).toBe(200);
});
