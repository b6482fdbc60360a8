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

it("the developer plane also takes developer session tokens, and they are refused elsewhere", async () => {
  expect((await t.call("GET", "/v1/developer/me", { token: creds.developerSession })).body).toMatchObject({ id: creds.developer.id });
  for (const path of [ROUTES.public, ROUTES.agent, ROUTES.operator]) {
    expect((await t.call("GET", path, { token: creds.developerSession })).status).toBe(401);
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
