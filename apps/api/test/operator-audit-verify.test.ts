// GET /v1/operator/audit-log/verify over HTTP on real PostgreSQL: the chain of
// operator actions verifies (entries, head hash); a row edited in the database
// is named as the first broken one; another plane's credential is refused.
import { AuditLogVerificationSchema } from "@assay/protocol";
import { credentialsFor, startApi, type TestApi } from "./helpers";

let t: TestApi;
let creds: Awaited<ReturnType<typeof credentialsFor>>;

beforeAll(async () => {
  t = await startApi();
  creds = await credentialsFor(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

it("verifies the chain, then names the row edited behind the API's back", async () => {
  const token = creds.operatorSession;
  for (const value of [true, false]) expect((await t.call("PUT", "/v1/operator/flags/assembly.required", { token, json: { value } })).status).toBe(200);

  const good = await t.call("GET", "/v1/operator/audit-log/verify", { token });
  expect(good.status).toBe(200);
  const ok = AuditLogVerificationSchema.parse(good.body);
  expect(ok.ok).toBe(true);
  expect(ok.entries).toBeGreaterThanOrEqual(2);
  if (ok.ok) expect(ok.head).toMatch(/^[0-9a-f]{64}$/);

  const rows = await t.platform.store.repos.auditLog.chainRows();
  const target = rows[rows.length - 1]!;
  await t.platform.db.$executeRawUnsafe(`UPDATE audit_log SET actor = 'operator:someone-else' WHERE id = $1::uuid`, target.id);
  const bad = await t.call("GET", "/v1/operator/audit-log/verify", { token });
  expect(bad.status).toBe(200);
  expect(AuditLogVerificationSchema.parse(bad.body)).toEqual({ ok: false, entries: rows.length, firstBroken: { seq: target.seq.toString(), id: target.id, reason: "hash_mismatch" } });

  expect((await t.call("GET", "/v1/operator/audit-log/verify", { token: creds.apiKey })).status).toBe(401);
});
