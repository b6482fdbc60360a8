// Operator plane roles (issue 9 item 6): admin edits money (and everything
// else that changes state); support reads; reviewer reads and resolves
// assemblies. The table below names every route of the served operator
// OpenAPI document — a route missing from it fails the test, so a new
// operator route needs a role decision here. Each (role × route) is called
// with a real session of that role: a refused role gets 403 `role_forbidden`
// (the guard runs before any body or parameter is read), an allowed one never
// does. Bodies and ids are deliberately invalid or unknown, so allowed calls
// end in 400/404 and change nothing (except GETs, which answer 200).
//
// Then: every state-changing operator action writes an audit-log row — shown
// here for the ones no other test covers (certificate status, certificate-flag
// resolution, key rotation); the money actions are covered in money.test.ts,
// platform vouchers/charges tests and payment methods, flags in
// operator-flags.test.ts, validators in validator-admission.test.ts.
import { randomUUID } from "node:crypto";
import { AuditLogChainService, sampleManifest, samplePackedRuntime, sampleUnsignedCertificate } from "@assay/platform";
import { startApi, type TestApi } from "./helpers";

type Role = "admin" | "support" | "reviewer";
const ROLES: Role[] = ["admin", "support", "reviewer"];
const ANY: Role[] = ["admin", "support", "reviewer"];
const ADMIN: Role[] = ["admin"];

/** Allowed roles per documented operator route (`METHOD path` as in the OpenAPI document). */
const TABLE: Record<string, Role[] | "no session"> = {
  "POST /v1/operator/auth/login": "no session",
  "GET /v1/operator/me": ANY,
  "GET /v1/operator/submissions": ANY,
  "GET /v1/operator/submissions/{id}": ANY,
  "GET /v1/operator/signing-keys": ANY,
  "POST /v1/operator/signing-keys/rotate": ADMIN,
  "POST /v1/operator/certificates/{id}/status": ADMIN,
  "GET /v1/operator/certificate-flags": ANY,
  "POST /v1/operator/certificate-flags/{id}/resolve": ADMIN,
  "GET /v1/operator/flags": ANY,
  "PUT /v1/operator/flags": ADMIN,
  "PUT /v1/operator/flags/{key}": ADMIN,
  "GET /v1/operator/audit-log": ANY,
  "GET /v1/operator/audit-log/verify": ANY,
  "GET /v1/operator/validators": ANY,
  "GET /v1/operator/validators/{id}/rewards": ANY,
  "POST /v1/operator/validators/{id}/approve": ADMIN,
  "POST /v1/operator/validators/{id}/suspend": ADMIN,
  "POST /v1/operator/validators/{id}/reinstate": ADMIN,
  "POST /v1/operator/validators/{id}/slash": ADMIN,
  "POST /v1/operator/validators/{id}/developer": ADMIN,
  "DELETE /v1/operator/validators/{id}/developer": ADMIN,
  "GET /v1/operator/assemblies": ANY,
  "GET /v1/operator/assemblies/{id}": ANY,
  "POST /v1/operator/assemblies/{id}/resolve": ["admin", "reviewer"],
  "GET /v1/operator/pricing/catalogue": ANY,
  "GET /v1/operator/pricing/catalogue/versions": ANY,
  "POST /v1/operator/pricing/catalogue": ADMIN,
  "GET /v1/operator/campaigns": ANY,
  "POST /v1/operator/campaigns": ADMIN,
  "POST /v1/operator/campaigns/{id}/disable": ADMIN,
  "POST /v1/operator/credits/grants": ADMIN,
  "GET /v1/operator/developers/{id}/credits": ANY,
  "GET /v1/operator/vouchers": ANY,
  "POST /v1/operator/vouchers": ADMIN,
  "POST /v1/operator/vouchers/{id}/revoke": ADMIN,
  "GET /v1/operator/payment-methods": ANY,
  "PUT /v1/operator/payment-methods": ADMIN,
  "GET /v1/operator/usage": ANY,
  "GET /v1/operator/usage.csv": ANY,
  "GET /v1/operator/deposits": ANY,
};

let t: TestApi;
const sessions = {} as Record<Role, string>;
let documented: string[] = [];

beforeAll(async () => {
  t = await startApi();
  for (const role of ROLES) {
    const { operator } = await t.platform.operators.create({ email: `${role}-${randomUUID()}@example.com`, password: "operator password 1", role });
    sessions[role] = (await t.platform.tokens.issue("operator", operator.id, { role })).token;
  }
  const doc = await t.call("GET", "/docs/operator-json");
  expect(doc.status).toBe(200);
  documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}, 60_000);

afterAll(async () => {
  await t?.close();
}, 30_000);

it("the table names every documented operator route, and nothing else", () => {
  expect([...documented].sort()).toEqual(Object.keys(TABLE).sort());
});

it("(role × route) → allowed or 403 role_forbidden, for every operator route", async () => {
  const results: string[] = [];
  const wrong: string[] = [];
  for (const [route, allowed] of Object.entries(TABLE)) {
    if (allowed === "no session") continue;
    const [method, template] = route.split(" ") as [string, string];
    // An unknown (well-formed) id: allowed roles get 404 (or 400 where the id has another format), never a change.
    const path = template.replace(/\{id\}/g, randomUUID());
    for (const role of ROLES) {
      const res = await t.call(method, path, { token: sessions[role], ...(method === "GET" || method === "DELETE" ? {} : { json: { invalid: true } }) });
      const refused = res.status === 403 && res.body?.error?.code === "role_forbidden";
      results.push(`${role.padEnd(8)} ${route} → ${res.status}`);
      if (allowed.includes(role) === refused) wrong.push(`${role} ${route}: ${res.status} ${JSON.stringify(res.body?.error ?? null)}`);
      if (allowed.includes(role) && method === "GET") expect([route, res.status]).toEqual([route, route.includes("{id}") ? res.status : 200]);
      if (allowed.includes(role)) expect([route, res.status < 500]).toEqual([route, true]);
    }
  }
  expect(wrong).toEqual([]);
  expect(results.length).toBe((Object.keys(TABLE).length - 1) * ROLES.length);
}, 120_000);

it("refused calls change nothing: no row anywhere, no audit-log entry", async () => {
  const before = await t.platform.store.rowCounts();
  for (const role of ["support", "reviewer"] as const) {
    expect((await t.call("POST", "/v1/operator/signing-keys/rotate", { token: sessions[role] })).status).toBe(403);
    expect((await t.call("PUT", "/v1/operator/payment-methods", { token: sessions[role], json: { vouchers: false } })).status).toBe(403);
    expect((await t.call("POST", "/v1/operator/campaigns", { token: sessions[role], json: { name: "x", discount: { kind: "percent", bps: 100 }, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 60_000).toISOString() } })).status).toBe(403);
  }
  expect(await t.platform.store.rowCounts()).toEqual(before);
});

describe("every operator action writes an audit-log row", () => {
  async function certificate(): Promise<string> {
    const developer = await t.platform.developers.create({ email: `${randomUUID()}@example.com`, name: "Dev" });
    const name = `audit-${randomUUID().slice(0, 8)}`;
    const view = await t.platform.submissions.create(developer.id, samplePackedRuntime({ manifest: sampleManifest({ name, version: "1.0.0" }) }));
    await t.platform.submissions.transition(view.id, "auditing", { actor: "test" });
    await t.platform.submissions.transition(view.id, "in_assembly", { actor: "test" });
    const stored = await t.platform.submissions.get(view.id);
    return (await t.platform.certificates.issue(view.id, sampleUnsignedCertificate({ name, version: "1.0.0", digest: stored.subjectDigest }), "test")).id;
  }
  const rows = (action: string, target: string) => t.platform.db.auditLogEntry.findMany({ where: { action, target } });

  it("certificate status change (admin), in the same transaction as the change", async () => {
    const id = await certificate();
    const res = await t.call("POST", `/v1/operator/certificates/${id}/status`, { token: sessions.admin, json: { status: "suspended", reasonCode: "under_review" } });
    expect(res.status).toBe(200);
    const [row, ...more] = await rows("certificate.status", `certificate:${id}`);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ actor: expect.stringMatching(/^operator:/), before: { status: "active" }, after: { status: "suspended", reasonCode: "under_review" } });
    // A refused change (illegal transition) writes no row.
    expect((await t.call("POST", `/v1/operator/certificates/${id}/status`, { token: sessions.admin, json: { status: "suspended" } })).status).toBe(409);
    expect(await rows("certificate.status", `certificate:${id}`)).toHaveLength(1);
  }, 60_000);

  it("certificate-flag resolution (admin): the decision, and the suspension it causes", async () => {
    const id = await certificate();
    const flag = await t.platform.certificateFlags.submit(id, { category: "security", text: "leaks keys" }, "203.0.113.9");
    const res = await t.call("POST", `/v1/operator/certificate-flags/${flag.id}/resolve`, { token: sessions.admin, json: { action: "suspend", outcome: "confirmed" } });
    expect(res.status).toBe(200);
    expect(await rows("certificate_flag.resolve", `certificate_flag:${flag.id}`)).toEqual([
      expect.objectContaining({ before: { status: "open" }, after: { status: "suspended", action: "suspend", outcome: "confirmed", certificateId: id } }),
    ]);
    expect(await rows("certificate.status", `certificate:${id}`)).toHaveLength(1);
    // Resolved twice: 409 and no second row.
    expect((await t.call("POST", `/v1/operator/certificate-flags/${flag.id}/resolve`, { token: sessions.admin, json: { action: "dismiss", outcome: "again" } })).status).toBe(409);
    expect(await rows("certificate_flag.resolve", `certificate_flag:${flag.id}`)).toHaveLength(1);
  }, 60_000);

  it("signing-key rotation (admin)", async () => {
    const before = await t.platform.db.auditLogEntry.count({ where: { action: { contains: "rotate" } } });
    expect((await t.call("POST", "/v1/operator/signing-keys/rotate", { token: sessions.admin })).status).toBe(200);
    expect(await t.platform.db.auditLogEntry.count({ where: { action: { contains: "rotate" } } })).toBe(before + 1);
  });

  it("each money and flag edit over HTTP writes exactly one row with its action (admin)", async () => {
    const token = sessions.admin;
    const developer = await t.platform.developers.create({ email: `${randomUUID()}@example.com`, name: "Dev" });
    const catalogue = (await t.call("GET", "/v1/operator/pricing/catalogue", { token })).body;
    const ids: Record<string, string> = {};
    const steps: [action: string, call: () => Promise<{ status: number; body: any }>][] = [
      ["pricing.catalogue.publish", () => t.call("POST", "/v1/operator/pricing/catalogue", { token, json: catalogue.catalogue ?? catalogue })],
      [
        "pricing.campaign.create",
        () => t.call("POST", "/v1/operator/campaigns", { token, json: { name: `audit-${randomUUID()}`, discount: { kind: "percent", bps: 100 }, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 60_000).toISOString() } }),
      ],
      ["pricing.campaign.disable", () => t.call("POST", `/v1/operator/campaigns/${ids["pricing.campaign.create"]}/disable`, { token })],
      ["credits.grant", () => t.call("POST", "/v1/operator/credits/grants", { token, json: { developerId: developer.id, amount: 5, requestKey: `audit-${randomUUID()}`, reason: "audit" } })],
      ["vouchers.create", () => t.call("POST", "/v1/operator/vouchers", { token, json: { amount: 5, maxUses: 1, expiresAt: new Date(Date.now() + 60_000).toISOString() } })],
      ["vouchers.revoke", () => t.call("POST", `/v1/operator/vouchers/${ids["vouchers.create"]}/revoke`, { token })],
      // (A switch to the value it already has changes nothing and writes no row: a real change here.)
      ["payments.set", () => t.call("PUT", "/v1/operator/payment-methods", { token, json: { vouchers: false } })],
      ["flag.set", () => t.call("PUT", "/v1/operator/flags", { token, json: { "assembly.commitSeconds": 77 } })],
    ];
    for (const [action, call] of steps) {
      const before = await t.platform.db.auditLogEntry.count({ where: { action } });
      const res = await call();
      expect([action, res.status]).toEqual([action, expect.any(Number)]);
      expect([action, res.status < 300]).toEqual([action, true]);
      ids[action] = res.body?.id ?? res.body?.voucher?.id;
      expect([action, await t.platform.db.auditLogEntry.count({ where: { action } })]).toEqual([action, before + 1]);
    }
    expect((await t.call("PUT", "/v1/operator/payment-methods", { token, json: { vouchers: true } })).status).toBe(200);
  }, 60_000);

  it("the chain verifies over all of it", async () => {
    expect(await new AuditLogChainService(t.platform.store).verify()).toMatchObject({ ok: true });
  });
});
