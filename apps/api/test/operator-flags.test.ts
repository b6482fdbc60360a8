// Operator flags over HTTP: GET lists every flag with its default; PUT (admin)
// validates the whole set with the assembly params schema, writes one audit-log
// row per change, and a refused change writes nothing. Real PostgreSQL.
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
