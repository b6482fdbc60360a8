// Per-account operator lockout with exponential backoff (issue 14 §3,
// docs/decisions/0013), on a controlled clock: failures count, the account
// locks at the threshold, the lock doubles per further failure up to the cap,
// a lock refuses even the right credentials and is not extended by failures
// made during it, and a success resets everything. Unknown accounts and known
// ones answer alike and cost alike.
import fc from "fast-check";
import { generate } from "otplib";
import { createPlatform, OperatorService, lockoutSeconds, type JobPublisher, type Platform } from "../src";
import { createTestEnvironment, type TestEnvironment } from "../src/testing";

const NO_QUEUE: JobPublisher = { publish: () => Promise.reject(new Error("no queues here")), ping: () => Promise.resolve(true), close: () => Promise.resolve() };
const POLICY = { threshold: 3, baseSeconds: 30, maxSeconds: 200 };
const PASSWORD = "correct horse battery";

let env: TestEnvironment;
let platform: Platform;
let now = new Date("2026-12-02T00:00:00.000Z");
let operators: OperatorService;

beforeAll(async () => {
  env = createTestEnvironment();
  platform = await createPlatform(env.config, { publisher: NO_QUEUE });
  operators = new OperatorService(platform.store, platform.secrets, "Assay", () => now, POLICY);
});
afterAll(async () => {
  await platform?.close();
  await env?.cleanup();
});

const advance = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));
const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(now.getTime() / 1000) });
const state = async (id: string) => {
  const row = await platform.store.repos.operators.findById(id);
  return { failedLogins: row!.failedLogins, lockedSeconds: row!.lockedUntil ? (row!.lockedUntil.getTime() - now.getTime()) / 1000 : null };
};

it("lockoutSeconds: zero below the threshold, doubling from base, never above the cap (property)", () => {
  expect([1, 2, 3, 4, 5, 6, 7].map((n) => lockoutSeconds(n, POLICY))).toEqual([0, 0, 30, 60, 120, 200, 200]);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 86_400 }), (n, threshold, base, max) => {
      const policy = { threshold, baseSeconds: base, maxSeconds: max };
      const s = lockoutSeconds(n, policy);
      expect(s).toBeLessThanOrEqual(max);
      expect(s >= 0 && Number.isFinite(s)).toBe(true);
      expect(lockoutSeconds(n + 1, policy)).toBeGreaterThanOrEqual(s);
      if (n < threshold) expect(s).toBe(0);
    }),
  );
});

it("locks after the threshold, doubles per failure, refuses the right credentials while locked, resets on success", async () => {
  const { operator, totpSecret } = await operators.create({ email: "lock@example.com", password: PASSWORD, role: "admin" });
  const wrong = () => operators.login({ email: "lock@example.com", password: "wrong password!!", totp: "000000" });
  const right = async () => operators.login({ email: "lock@example.com", password: PASSWORD, totp: await codeAt(totpSecret) });

  await expect(wrong()).rejects.toMatchObject({ code: "invalid_credentials" });
  await expect(wrong()).rejects.toMatchObject({ code: "invalid_credentials" });
  expect(await state(operator.id)).toEqual({ failedLogins: 2, lockedSeconds: null });
  await expect(wrong()).rejects.toMatchObject({ code: "invalid_credentials" });
  expect(await state(operator.id)).toEqual({ failedLogins: 3, lockedSeconds: 30 });

  // Locked: the right password and code are refused with the same answer, and nothing is counted.
  await expect(right()).rejects.toMatchObject({ code: "invalid_credentials" });
  await expect(wrong()).rejects.toMatchObject({ code: "invalid_credentials" });
  expect(await state(operator.id)).toEqual({ failedLogins: 3, lockedSeconds: 30 });

  // After the lock, one more failure locks twice as long; then four times (capped at 200).
  advance(31);
  await expect(wrong()).rejects.toMatchObject({ code: "invalid_credentials" });
  expect(await state(operator.id)).toEqual({ failedLogins: 4, lockedSeconds: 60 });
  advance(61);
  await expect(wrong()).rejects.toMatchObject({ code: "invalid_credentials" });
  expect(await state(operator.id)).toEqual({ failedLogins: 5, lockedSeconds: 120 });
  advance(121);
  await expect(wrong()).rejects.toMatchObject({ code: "invalid_credentials" });
  expect(await state(operator.id)).toEqual({ failedLogins: 6, lockedSeconds: 200 });

  advance(201);
  await expect(right()).resolves.toMatchObject({ id: operator.id });
  expect(await state(operator.id)).toEqual({ failedLogins: 0, lockedSeconds: null });
});

it("an unknown email gets the same answer and writes nothing", async () => {
  const before = await platform.store.rowCounts();
  const error = await operators.login({ email: "nobody@example.com", password: PASSWORD, totp: "123456" }).catch((e: unknown) => e);
  const known = await operators.create({ email: "known@example.com", password: PASSWORD, role: "support" });
  const wrongPassword = await operators.login({ email: "known@example.com", password: "nope nope nope", totp: "123456" }).catch((e: unknown) => e);
  expect(JSON.stringify(error)).toBe(JSON.stringify(wrongPassword));
  expect((error as Error).message).toBe((wrongPassword as Error).message);
  expect((await platform.store.rowCounts()).operators).toBe(before.operators! + 1);
  expect(await state(known.operator.id)).toEqual({ failedLogins: 1, lockedSeconds: null });
});

it("unknown email and wrong password take the same time (interleaved medians within 35%)", async () => {
  await operators.create({ email: "timing@example.com", password: PASSWORD, role: "support" });
  const time = async (email: string) => {
    const started = process.hrtime.bigint();
    await operators.login({ email, password: "wrong password!!", totp: "123456" }).catch(() => undefined);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  // Far apart in time, so the known account's lock never engages during the measurement.
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < 10; i++) {
    advance(10_000);
    unknown.push(await time("ghost@example.com"));
    wrong.push(await time("timing@example.com"));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratio = median(wrong) / median(unknown);
  console.log(`login timing: unknown email median ${median(unknown).toFixed(1)} ms, wrong password median ${median(wrong).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`);
  expect(ratio).toBeGreaterThan(0.65);
  expect(ratio).toBeLessThan(1.35);
}, 60_000);

it("an account whose TOTP secret was sealed under another key-encryption secret is refused like a wrong password (not a 500)", async () => {
  const { SecretBox } = await import("../src");
  const { LEGACY_DEV_KEY_ENCRYPTION_SECRET } = await import("../src/testing");
  const legacy = new OperatorService(platform.store, new SecretBox(LEGACY_DEV_KEY_ENCRYPTION_SECRET), "Assay", () => now, POLICY);
  const { totpSecret } = await legacy.create({ email: "old@example.com", password: PASSWORD, role: "admin" });
  const error = await operators.login({ email: "old@example.com", password: PASSWORD, totp: await codeAt(totpSecret) }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: "invalid_credentials" });
});
