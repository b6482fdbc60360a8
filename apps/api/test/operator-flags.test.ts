// Operator flags over HTTP: GET lists every flag of the registry with its type,
// default, current value and description; PUT (admin) validates the whole set
// (each value against its flag's zod type, the assembly parameters together),
// writes one audit-log row per change, and a refused change writes nothing;
// PUT /flags/:key sets one flag. Real PostgreSQL.
import { randomUUID } from "node:crypto";
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

const flag = (body: { flags: { key: string; value: unknown; overridden: boolean }[] }, key: string) => body.flags.find((f) => f.key === key);

it("lists, sets and restores flags with an audit-log row per change", async () => {
  const token = creds.operatorSession;
  const listed = await t.call("GET", "/v1/operator/flags", { token });
  expect(listed.status).toBe(200);
  expect(flag(listed.body, "assembly.required")).toMatchObject({ value: false, overridden: false });
  expect(flag(listed.body, "assembly.seatCount")).toMatchObject({ value: 5, overridden: false });

  const set = await t.call("PUT", "/v1/operator/flags", { token, json: { "assembly.required": true, "assembly.commitSeconds": 2 } });
  expect(set.status).toBe(200);
  expect(flag(set.body, "assembly.commitSeconds")).toMatchObject({ value: 2, overridden: true });
  expect(await t.platform.flags.assemblyRequired()).toBe(true);
  expect((await t.platform.flags.assemblyParams()).commitSeconds).toBe(2);
  const log = await t.call("GET", "/v1/operator/audit-log", { token });
  expect(log.body.entries.map((e: { target: string }) => e.target).sort()).toEqual(["assembly.commitSeconds", "assembly.required"]);

  const restored = await t.call("PUT", "/v1/operator/flags", { token, json: { "assembly.commitSeconds": null } });
  expect(flag(restored.body, "assembly.commitSeconds")).toMatchObject({ value: 1800, overridden: false });
});

it("refuses an invalid set as a whole (unknown key, bad value, invalid combination) and writes nothing", async () => {
  const token = creds.operatorSession;
  const before = await t.platform.store.rowCounts();
  for (const json of [{ "assembly.seatsCount": 3 }, { "assembly.seatCount": 0 }, { "assembly.supermajorityNumerator": 1, "assembly.supermajorityDenominator": 2 }, { "assembly.required": 1 }]) {
    const res = await t.call("PUT", "/v1/operator/flags", { token, json });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toMatch(/^flag_(unknown|invalid)$/);
  }
  expect(await t.platform.store.rowCounts()).toEqual(before);
  // Another plane's credential is refused.
  expect((await t.call("PUT", "/v1/operator/flags", { token: creds.apiKey, json: {} })).status).toBe(401);
});

it("lists every registered flag with its type and description, srip13.mode and the payment switches included", async () => {
  const listed = await t.call("GET", "/v1/operator/flags", { token: creds.operatorSession });
  expect(flag(listed.body, "srip13.mode")).toMatchObject({ type: '"off" | "shadow" | "enforce"', value: "enforce", default: "enforce", overridden: false });
  expect(flag(listed.body, "payments.vouchers")).toMatchObject({ type: "boolean", value: true });
  expect(flag(listed.body, "assembly.seatCount")).toMatchObject({ type: "integer 1..101" });
  for (const f of listed.body.flags) expect(f.description.length).toBeGreaterThan(0);
});

it("PUT /flags/:key sets one flag (admin), audit-logged; wrong type or unknown flag → 400 with the typed error; other roles → 403", async () => {
  const token = creds.operatorSession;
  const set = await t.call("PUT", "/v1/operator/flags/srip13.mode", { token, json: { value: "shadow" } });
  expect(set.status).toBe(200);
  expect(set.body).toMatchObject({ key: "srip13.mode", value: "shadow", overridden: true });
  expect(await t.platform.flags.get("srip13.mode")).toBe("shadow");
  const row = await t.platform.db.auditLogEntry.findFirst({ where: { target: "srip13.mode" }, orderBy: { seq: "desc" } });
  expect(row).toMatchObject({ action: "flag.set", before: null, after: "shadow", actor: `operator:${creds.operator.id}` });

  const before = await t.platform.store.rowCounts();
  const wrong = await t.call("PUT", "/v1/operator/flags/srip13.mode", { token, json: { value: "loud" } });
  expect(wrong.status).toBe(400);
  expect(wrong.body.error.code).toBe("flag_invalid");
  const wrongType = await t.call("PUT", "/v1/operator/flags/assembly.required", { token, json: { value: "yes" } });
  expect(wrongType.body.error.code).toBe("flag_invalid");
  const unknown = await t.call("PUT", "/v1/operator/flags/srip14.mode", { token, json: { value: "off" } });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.code).toBe("flag_unknown");
  expect(await t.platform.store.rowCounts()).toEqual(before);

  const { operator } = await t.platform.operators.create({ email: `support-${randomUUID()}@example.com`, password: "operator password 1", role: "support" });
  const support = (await t.platform.tokens.issue("operator", operator.id, { role: "support" })).token;
  expect((await t.call("GET", "/v1/operator/flags", { token: support })).status).toBe(200);
  expect((await t.call("PUT", "/v1/operator/flags/srip13.mode", { token: support, json: { value: "off" } })).status).toBe(403);
  expect((await t.call("PUT", "/v1/operator/flags", { token: support, json: { "srip13.mode": "off" } })).status).toBe(403);

  const restored = await t.call("PUT", "/v1/operator/flags/srip13.mode", { token, json: { value: null } });
  expect(restored.body).toMatchObject({ value: "enforce", overridden: false });
});
