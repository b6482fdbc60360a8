// The hash-chained audit log: the database chains every insert (also
// concurrent ones, from any writer), verify passes on a real log, and after a
// row is edited or deleted in the database both the service and
// `npm run audit-log:verify` name the first broken entry.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { AuditLogChainService, prepareDatabase, Store, verifyAuditChain } from "../src";
import { createTestEnvironment, type TestEnvironment } from "../src/testing";

let env: TestEnvironment;
let store: Store;
let chain: AuditLogChainService;

beforeAll(async () => {
  env = createTestEnvironment();
  store = new Store((await prepareDatabase(env.config)).db);
  chain = new AuditLogChainService(store);
}, 60_000);

afterAll(async () => {
  await store.db.$disconnect();
  await env.cleanup();
}, 30_000);

function raw(): pg.Client {
  const { host, port, user, password, database } = env.config.database;
  return new pg.Client({ host, port, user, password, database });
}

function runVerifyScript() {
  const { host, port, user, database } = env.config.database;
  return spawnSync("npm", ["run", "-s", "audit-log:verify"], {
    cwd: join(__dirname, ".."),
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `postgresql://${user}@${host}:${port}/${database}`, ASSAY_LOG_LEVEL: "silent" },
  });
}

it("chains every insert, concurrent ones included, and verify passes on the real log", async () => {
  await store.repos.auditLog.record({ actor: "operator:a", action: "pricing.campaign.create", target: "campaign:1", after: { b: 1, a: [1, "x"] } });
  await Promise.all(Array.from({ length: 20 }, (_, i) => store.transaction((repos) => repos.auditLog.record({ actor: `operator:${i}`, action: "credits.grant", target: `developer:${i}`, after: { amount: i } }))));
  const rows = await store.repos.auditLog.chainRows();
  expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  expect(rows[0]!.prevHash).toBe("");
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
  expect(await chain.verify()).toEqual({ ok: true, entries: 21, head: rows[20]!.hash });
  // Determinism: verifying twice gives the same answer.
  expect(await chain.verify()).toEqual(await chain.verify());
  const script = runVerifyScript();
  expect(script.status).toBe(0);
  expect(JSON.parse(script.stdout.trim().split("\n").at(-1)!)).toMatchObject({ ok: true, entries: 21 });
}, 120_000);

it("names the entry after a row is edited in the database, and the one after a deletion", async () => {
  const client = raw();
  await client.connect();
  try {
    const target = (await store.repos.auditLog.chainRows())[6]!;
    const original = (await client.query(`SELECT after::text AS after FROM audit_log WHERE id = $1`, [target.id])).rows[0].after as string;
    await client.query(`UPDATE audit_log SET after = '{"amount": 1000000}' WHERE id = $1`, [target.id]);
    expect(await chain.verify()).toEqual({ ok: false, entries: 21, firstBroken: { seq: "7", id: target.id, reason: "hash_mismatch" } });
    const script = runVerifyScript();
    expect(script.status).toBe(1);
    expect(script.stderr).toContain(`seq 7 (id ${target.id})`);

    // Putting the original back restores the chain; deleting a row breaks it at the next one.
    await client.query(`UPDATE audit_log SET after = $2::jsonb WHERE id = $1`, [target.id, original]);
    expect((await chain.verify()).ok).toBe(true);
    const eleventh = (await store.repos.auditLog.chainRows())[10]!;
    await client.query(`DELETE FROM audit_log WHERE seq = 10`);
    expect(await chain.verify()).toEqual({ ok: false, entries: 20, firstBroken: { seq: "11", id: eleventh.id, reason: "seq_gap" } });
  } finally {
    await client.end();
  }
}, 120_000);
