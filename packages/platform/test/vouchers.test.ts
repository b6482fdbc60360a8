// Vouchers on PostgreSQL: hashed at rest, shown once, redeemed once per
// developer (also under concurrent duplicates), use limit exact under
// concurrency, expired and revoked codes refused, operator actions audit-logged.
import { randomUUID } from "node:crypto";
import { VOUCHER_CODE_PATTERN } from "@assay/protocol";
import { LedgerService, prepareDatabase, Store, VOUCHER_LIABILITY, VoucherService, voucherCodeHash } from "../src";
import { ConflictError, NotFoundError } from "../src/errors";
import { createTestEnvironment, type TestEnvironment } from "../src/testing";

let env: TestEnvironment;
let store: Store;
let vouchers: VoucherService;
let ledger: LedgerService;
let now = new Date();

beforeAll(async () => {
  env = createTestEnvironment();
  store = new Store((await prepareDatabase(env.config)).db);
  ledger = new LedgerService(store);
  vouchers = new VoucherService(store, ledger, () => now);
}, 60_000);

afterAll(async () => {
  await store.db.$disconnect();
  await env.cleanup();
}, 30_000);

async function developer(): Promise<string> {
  return (await store.repos.developers.create({ email: `${randomUUID()}@example.com`, name: "Dev" })).id;
}

const inAnHour = () => new Date(now.getTime() + 3_600_000).toISOString();

it("stores only the code's hash, logs no code, and credits a developer once", async () => {
  const { voucher, code } = await vouchers.create({ amount: 250, maxUses: 10, expiresAt: inAnHour() }, "operator:test");
  expect(code).toMatch(VOUCHER_CODE_PATTERN);
  const row = await store.db.voucher.findUniqueOrThrow({ where: { id: voucher.id } });
  expect(row.codeHash).toBe(voucherCodeHash(code));
  expect(JSON.stringify({ ...row, amount: String(row.amount) })).not.toContain(code);
  const logged = await store.db.auditLogEntry.findMany({ where: { target: `voucher:${voucher.id}` } });
  expect(logged.map((l) => l.action)).toEqual(["vouchers.create"]);
  expect(JSON.stringify(logged.map((l) => [l.before, l.after, l.target]))).not.toContain(code);

  const dev = await developer();
  // Concurrent duplicates of one developer: exactly one credit.
  const results = await Promise.allSettled(Array.from({ length: 8 }, () => vouchers.redeem(dev, code)));
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "voucher_already_redeemed" });
  expect(await ledger.developerBalance(dev)).toEqual({ available: 250, held: 0, currency: "credits" });
  await expect(vouchers.redeem(dev, code)).rejects.toBeInstanceOf(ConflictError);
  expect((await store.db.voucher.findUniqueOrThrow({ where: { id: voucher.id } })).usedCount).toBe(1);
});

it("a use limit of 3 gives exactly 3 credits under 12 concurrent developers", async () => {
  const { voucher, code } = await vouchers.create({ amount: 40, maxUses: 3, expiresAt: inAnHour() }, "operator:test");
  const devs = await Promise.all(Array.from({ length: 12 }, developer));
  const liabilityBefore = (await store.repos.ledger.balances([VOUCHER_LIABILITY])).get(VOUCHER_LIABILITY)!;
  const results = await Promise.allSettled(devs.map((d) => vouchers.redeem(d, code)));
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
  for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "voucher_used_up" });
  expect((await store.repos.ledger.balances([VOUCHER_LIABILITY])).get(VOUCHER_LIABILITY)! - liabilityBefore).toBe(-120n);
  expect(await store.db.voucherRedemption.count({ where: { voucherId: voucher.id } })).toBe(3);
});

it("refuses unknown, revoked and expired codes with one answer", async () => {
  const dev = await developer();
  const revoked = await vouchers.create({ amount: 5, maxUses: 5, expiresAt: inAnHour() }, "operator:test");
  await vouchers.revoke(revoked.voucher.id, "operator:test");
  const expiring = await vouchers.create({ amount: 5, maxUses: 5, expiresAt: new Date(now.getTime() + 1000).toISOString() }, "operator:test");
  const later = now;
  now = new Date(later.getTime() + 2000);
  try {
    for (const code of [revoked.code, expiring.code, "vch_00000000_AAAAAAAAAAAAAAAAAAAAAA"]) {
      const err = await vouchers.redeem(dev, code).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err).toMatchObject({ code: "voucher_not_redeemable" });
    }
  } finally {
    now = later;
  }
  expect(await ledger.developerBalance(dev)).toEqual({ available: 0, held: 0, currency: "credits" });
  expect(await store.db.auditLogEntry.count({ where: { action: "vouchers.revoke", target: `voucher:${revoked.voucher.id}` } })).toBe(1);
});
