// The public plane: health, discovery, JWKS, certificate lookup and verify,
// security headers, rate limiting, OpenAPI documents.
import { samplePackedRuntime, sampleUnsignedCertificate, type Platform } from "@assay/platform";
import type { CertificateDocument } from "@assay/protocol";
import { startApi, type TestApi } from "./helpers";

let t: TestApi;
let document: CertificateDocument;

async function issueCertificate(platform: Platform, source: string): Promise<CertificateDocument> {
  const dev = await platform.developers.create({ email: `p-${Math.random()}@example.com`, name: "P" });
  const sub = await platform.submissions.create(dev.id, samplePackedRuntime({ entrySource: source }));
  await platform.submissions.transition(sub.id, "auditing", { actor: "test" });
  await platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  return platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test");
}

beforeAll(async () => {
  t = await startApi();
  document = await issueCertificate(t.platform, "export const p = 1;");
});
afterAll(async () => {
  await t.close();
});

it("health reports the database and the queue", async () => {
  const res = await t.call("GET", "/v1/public/health");
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: "ok", checks: { database: "ok", queue: "ok" } });
});

it("sets security headers", async () => {
  const res = await t.call("GET", "/v1/public/health");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
  expect(res.headers.get("strict-transport-security")).toBeTruthy();
  expect(res.headers.get("x-powered-by")).toBeNull();
});

it("lets any origin call the public plane (CORS), but not the other planes", async () => {
  const jwks = await t.call("GET", "/.well-known/jwks.json", { headers: { origin: "https://verifier.example" } });
  expect(jwks.headers.get("access-control-allow-origin")).toBe("*");
  const preflight = await t.call("OPTIONS", "/v1/public/verify", {
    headers: { origin: "https://verifier.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
  const verify = await t.call("POST", "/v1/public/verify", { json: document, headers: { origin: "https://verifier.example" } });
  expect(verify.headers.get("access-control-allow-origin")).toBe("*");
  const developer = await t.call("GET", "/v1/developer/me", { headers: { origin: "https://verifier.example" } });
  expect(developer.headers.get("access-control-allow-origin")).toBeNull();
});

it("publishes the JWKS and the discovery document", async () => {
  const jwks = await t.call("GET", "/.well-known/jwks.json");
  expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toContain(document.payload.issuer.kid);
  expect(jwks.body.keys.every((k: Record<string, unknown>) => k.d === undefined)).toBe(true);
  const discovery = await t.call("GET", "/.well-known/assay.json");
  expect(discovery.body).toMatchObject({
    apiBase: `${t.env.config.api.publicUrl}/v1`,
    jwksUri: `${t.env.config.api.publicUrl}/.well-known/jwks.json`,
    chainId: null,
    registry: null,
    supportedSuites: ["core"],
  });
});

it("looks up a certificate with its status; verify reports every check; revocation and tampering fail", async () => {
  const lookup = await t.call("GET", `/v1/public/certificates/${document.id.toUpperCase().replace("0X", "0x")}`);
  expect(lookup.status).toBe(200);
  expect(lookup.body).toMatchObject({ id: document.id, jws: document.jws, payload: document.payload, status: { state: "active", reason: null } });

  const ok = await t.call("POST", "/v1/public/verify", { json: document });
  expect(ok.status).toBe(200);
  expect(ok.body.valid).toBe(true);
  expect(ok.body.checks.map((c: { name: string }) => c.name)).toEqual(["schema", "id", "jws-payload", "signature", "issuer", "time-window", "status", "anchor", "artifact"]);

  const tampered = { ...document, payload: { ...document.payload, subject: { ...document.payload.subject, version: "9.9.9" } } };
  const bad = await t.call("POST", "/v1/public/verify", { json: tampered });
  expect(bad.body.valid).toBe(false);
  expect(bad.body.checks.find((c: { name: string }) => c.name === "id").ok).toBe(false);

  const garbage = await t.call("POST", "/v1/public/verify", { json: { hello: "world" } });
  expect(garbage.status).toBe(200);
  expect(garbage.body).toMatchObject({ valid: false, checks: expect.arrayContaining([expect.objectContaining({ name: "schema", ok: false })]) });

  // Rotation keeps the old key: still valid. Revocation: invalid, with the reason.
  await t.platform.signingKeys.rotate();
  expect((await t.call("POST", "/v1/public/verify", { json: document })).body.valid).toBe(true);
  await t.platform.certificates.changeStatus(document.id, "revoked", { reasonCode: "superseded", actor: "test" });
  const revoked = await t.call("POST", "/v1/public/verify", { json: document });
  expect(revoked.body.valid).toBe(false);
  expect(revoked.body.checks.find((c: { name: string }) => c.name === "status")).toMatchObject({ ok: false, detail: "revoked: superseded" });
  expect((await t.call("GET", `/v1/public/certificates/${document.id}`)).body.status).toEqual({ state: "revoked", reason: "superseded" });
});

it("serves one OpenAPI document per plane, each with only its own routes, all reachable from /docs", async () => {
  const docs = await t.call("GET", "/docs");
  expect(docs.status).toBe(200);
  expect(String(docs.body)).toContain("swagger");
  const prefixes = { public: ["/v1/public/", "/.well-known/", "/badge/"], developer: ["/v1/developer/"], agent: ["/v1/agent/"], operator: ["/v1/operator/"] };
  for (const [plane, allowed] of Object.entries(prefixes)) {
    const spec = await t.call("GET", `/docs/${plane}-json`);
    expect(spec.status).toBe(200);
    const paths = Object.keys(spec.body.paths);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => allowed.some((a) => p.startsWith(a)))).toBe(true);
  }
  const init = await t.call("GET", "/docs/swagger-ui-init.js");
  for (const plane of Object.keys(prefixes)) expect(String(init.body)).toContain(`/docs/${plane}-json`);
});

describe("rate limiting", () => {
  let limited: TestApi;
  beforeAll(async () => {
    limited = await startApi({ ASSAY_PUBLIC_RATE_LIMIT: "3", ASSAY_PUBLIC_RATE_WINDOW_MS: "60000" });
  });
  afterAll(async () => {
    await limited.close();
  });

  it("answers 429 with Retry-After once a client exceeds the public limit", async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await limited.call("GET", "/v1/public/health");
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.body.error.code).toBe("rate_limited");
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
