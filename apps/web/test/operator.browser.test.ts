// The operator's main path in Chromium against the REAL API (`src/main.ts` of
// apps/api as a child process, a fresh PostgreSQL database, Redis): sign in with
// password + TOTP, approve a pending validator, publish a new price catalogue
// version, edit a flag, resolve an escalation, verify the hash-chained audit
// log (intact, then broken by an edit behind the platform's back). Every screen
// passes the shared accessibility check and is saved as a screenshot, at desktop
// width and at 390 px (where the page must not scroll sideways).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, generateKeyPairSync } from "node:crypto";
import { rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "./support/ports";
import { join } from "node:path";
import { Queue } from "bullmq";
import { generate } from "otplib";
import type { Page } from "playwright-core";
import {
  BullJobPublisher,
  createPlatform,
  createRedisConnection,
  createTestEnvironment,
  samplePackedRuntime,
  type Platform,
  type TestEnvironment,
} from "@assay/platform";
import { apiProxy } from "../server/api-proxy";
import { createWebServer } from "../server/web-server";
import { expectNoSeriousA11yViolations, saveScreen } from "./support/a11y";
import { buildApp, launchChromium, WEB_DIR } from "./support/browser";

const ISSUER = "assay:issuer:web-operator";
const OPERATOR = { email: `web-operator-${Date.now()}@example.com`, password: "a long operator password" };
// One account per test: a TOTP code's time step is accepted once per operator (replays fail).
const NARROW = { email: `web-operator-narrow-${Date.now()}@example.com`, password: "another operator password" };
const KEYBOARD = { email: `web-operator-keys-${Date.now()}@example.com`, password: "a third operator password" };
const SCREENS = ["Escalations", "Validators", "Pricing", "Campaigns", "Payment methods", "Vouchers", "Credit grants", "Usage", "Flags", "Audit log", "Signing keys", "Submissions and certificates"];

let env: TestEnvironment;
let platform: Platform;
let api: ChildProcess | undefined;
let apiOutput = "";
let web: Server;
let webUrl: string;
let distDir: string;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let totpSecret: string;
const secrets = new Map<string, string>();
let validatorId: string;
let assemblyId: string;
let escalatedSubmissionId: string;

beforeAll(async () => {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  env = createTestEnvironment({ ASSAY_PUBLIC_URL: apiUrl, ASSAY_ISSUER_ID: ISSUER });
  const [launched, built, created] = await Promise.all([
    launchChromium(),
    buildApp(),
    createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) }),
  ]);
  browser = launched;
  distDir = built;
  platform = created;

  totpSecret = (await platform.operators.create({ ...OPERATOR, role: "admin" })).totpSecret;
  for (const op of [NARROW, KEYBOARD]) secrets.set(op.email, (await platform.operators.create({ ...op, role: "admin" })).totpSecret);
  // A validator waiting for admission, as the agent plane's activation leaves it.
  const publicKey = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
  validatorId = (await platform.validators.activate({ publicKey, stake: "2500", kind: "person", name: "Ada Validator" })).id;
  // An assembly that escalated after its last round, as the tally leaves it (the draw and rounds are the worker tests' subject).
  const developer = await platform.developers.create({ email: `web-op-dev-${Date.now()}@example.com`, name: "Escalated Dev" });
  const submission = await platform.submissions.create(developer.id, samplePackedRuntime({ entrySource: "export const escalated = 1;" }));
  escalatedSubmissionId = submission.id;
  await platform.submissions.transition(submission.id, "auditing", { actor: "test" });
  await platform.submissions.transition(submission.id, "in_assembly", { actor: "test" });
  const digest = () => `0x${randomBytes(32).toString("hex")}`;
  const closedAt = new Date(Date.now() - 60_000);
  assemblyId = (
    await platform.db.assembly.create({
      data: {
        submissionId: submission.id,
        status: "escalated",
        escalated: true,
        round: 2,
        phase: "closed",
        phaseStartedAt: closedAt,
        phaseEndsAt: closedAt,
        params: {},
        findings: { findings: [], claims: [] },
        reportDigest: digest(),
        snapshot: {},
        snapshotDigest: digest(),
        beaconInputs: { format: "assay.beacon/v2", state: "collecting", reportDigest: digest(), commitment: digest(), windowEndsAt: closedAt.toISOString(), afterBlock: null },
        outcome: { kind: "escalate", reason: "max_rounds", rounds: 2, stabilityScore: null },
        recordDigest: digest(),
      },
    })
  ).id;

  api = spawn(process.execPath, [join(WEB_DIR, "..", "..", "node_modules", "tsx", "dist", "cli.mjs"), "src/main.ts"], {
    cwd: join(WEB_DIR, "..", "api"),
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: env.config.database.url,
      ASSAY_CREATE_DATABASE: "false",
      ASSAY_API_HOST: "127.0.0.1",
      ASSAY_API_PORT: String(port),
      ASSAY_PUBLIC_URL: apiUrl,
      ASSAY_ISSUER_ID: ISSUER,
      ASSAY_QUEUE_PREFIX: env.queuePrefix,
      ASSAY_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  api.stdout!.on("data", (c: Buffer) => (apiOutput += c.toString()));
  api.stderr!.on("data", (c: Buffer) => (apiOutput += c.toString()));
  await waitForHealth(`${apiUrl}/v1/public/health`, 90_000);

  web = createWebServer({ distDir, api: apiProxy(apiUrl) });
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (web) {
    web.closeAllConnections();
    await new Promise((resolve) => web.close(resolve));
  }
  if (api && api.exitCode === null) {
    const exited = new Promise((resolve) => api!.once("exit", resolve));
    api.kill("SIGTERM");
    await exited;
  }
  if (env) {
    const redis = createRedisConnection(env.config.redis.url, { forWorker: true });
    for (const name of ["audit", "webhooks", "assembly"]) {
      const queue = new Queue(name, { connection: redis, prefix: env.queuePrefix });
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    redis.disconnect();
  }
  await platform?.close();
  await env?.cleanup();
  if (distDir) rmSync(distDir, { recursive: true, force: true });
}, 60_000);

let page: Page;
beforeEach(async () => {
  page = await browser.context.newPage();
  // A step that cannot happen fails with its locator named, well inside the test's own timeout.
  page.setDefaultTimeout(60_000);
});

async function signIn(op: { email: string; password: string }): Promise<void> {
  await page.goto(`${webUrl}/operator`);
  await page.getByLabel("Email").fill(op.email);
  await page.getByLabel("Password").fill(op.password);
  await page.getByLabel("Authenticator code").fill(await generate({ secret: secrets.get(op.email)! }));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Operator sections" }).waitFor();
}
afterEach(async () => {
  await page?.close();
});

/** The shared accessibility check, then a screenshot. */
async function check(name: string): Promise<void> {
  await expectNoSeriousA11yViolations(page, name);
  await saveScreen(page, name);
}

async function open(screen: string): Promise<void> {
  await page.getByRole("navigation", { name: "Operator sections" }).getByRole("button", { name: screen, exact: true }).click();
  await page.locator(".operator-screen h2", { hasText: screen }).waitFor();
  // Loaded (or failed): no loading line left.
  await page.locator(".operator-screen .busy").first().waitFor({ state: "detached" });
}

async function confirm(label: string, screenName: string): Promise<void> {
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await check(`operator-confirm-${screenName}`);
  await dialog.getByRole("button", { name: label, exact: true }).click();
  await dialog.waitFor({ state: "hidden" });
}

test("the operator's main path: sign in, approve a validator, publish prices, edit a flag, resolve an escalation, verify the audit log", async () => {
  await page.goto(`${webUrl}/operator`);
  await page.getByLabel("Email").fill(OPERATOR.email);
  await check("operator-sign-in");
  await page.getByLabel("Password").fill(OPERATOR.password);
  await page.getByLabel("Authenticator code").fill("12345");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("[role=alert]", { hasText: "The authenticator code is 6 digits." }).waitFor();
  await page.getByLabel("Authenticator code").fill(await generate({ secret: totpSecret }));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${OPERATOR.email} (admin).`).waitFor();

  // The escalation queue is the first screen.
  await page.locator(`tr[data-assembly="${assemblyId}"]`).waitFor();
  expect(await page.locator(`tr[data-assembly="${assemblyId}"]`).innerText()).toContain("max rounds");
  await check("operator-escalations");

  // 1. Approve the pending validator.
  await open("Validators");
  const row = page.locator(`tr[data-validator="${validatorId}"]`);
  await row.waitFor();
  expect(await row.getAttribute("data-standing")).toBe("pending");
  await check("operator-validators");
  await page.getByRole("button", { name: "Approve Ada Validator" }).click();
  expect(await page.getByLabel("Stake the draw weighs").inputValue()).toBe("2500");
  await page.getByLabel("Stake the draw weighs").fill("3000");
  await page.getByRole("button", { name: "Approve…" }).click();
  await confirm("Approve", "validator-approve");
  await page.locator("[role=status]", { hasText: "Approve: Ada Validator is now active with stake 3000." }).waitFor();
  expect(await platform.db.validator.findUniqueOrThrow({ where: { id: validatorId } })).toMatchObject({ standing: "active", stake: 3000n });
  // The pending list is empty now: its empty state.
  await page.locator(".data-empty", { hasText: "No validator is waiting for approval." }).waitFor();

  // 2. Edit a price: a new catalogue version.
  await open("Pricing");
  expect(await page.getByTestId("catalogue-version").innerText()).toBe("0");
  const before = await platform.pricing.current();
  const suite = before.catalogue.suites[0]!;
  await check("operator-pricing");
  const priceField = page.getByLabel(`Price of ${suite.suite} ${suite.version}`);
  await priceField.fill("abc");
  await page.getByRole("button", { name: "Publish new version…" }).click();
  await page.locator("[role=alert]", { hasText: "Prices and counts are whole numbers." }).waitFor();
  await priceField.fill(String(suite.price + 7));
  await page.getByRole("button", { name: "Publish new version…" }).click();
  await confirm("Publish", "pricing-publish");
  await page.locator("[role=status]", { hasText: "Catalogue version 1 is now in force." }).waitFor();
  await page.locator('tr[data-version="1"]').waitFor();
  expect(await page.getByTestId("catalogue-version").innerText()).toBe("1");
  const after = await platform.pricing.current();
  expect(after.version).toBe(1);
  expect(after.catalogue.suites[0]!.price).toBe(suite.price + 7);

  // 3. Edit a flag through its typed input (integer 1..101).
  await open("Flags");
  const flagRow = page.locator('tr[data-flag="assembly.seatCount"]');
  await flagRow.waitFor();
  await check("operator-flags");
  await page.getByRole("button", { name: "Edit assembly.seatCount" }).click();
  const valueField = page.getByLabel("New value of assembly.seatCount");
  expect(await valueField.getAttribute("type")).toBe("number");
  expect(await valueField.getAttribute("max")).toBe("101");
  await valueField.fill("7");
  await page.getByRole("button", { name: "Save…" }).click();
  await confirm("Save flag", "flag-save");
  await page.locator("[role=status]", { hasText: "assembly.seatCount is now 7." }).waitFor();
  await page.locator('tr[data-flag="assembly.seatCount"] .flag-value', { hasText: "7" }).waitFor();

  // 4. Resolve the escalation (reject).
  await open("Escalations");
  await page.getByRole("button", { name: `Resolve assembly ${assemblyId.slice(0, 8)}` }).click();
  await page.getByLabel("Reject the submission").check();
  await page.getByLabel("Reason (kept in the audit log)").fill("split panel, evidence insufficient");
  await page.getByRole("button", { name: "Resolve…" }).click();
  await confirm("Reject", "escalation-resolve");
  await page.locator("[role=status]", { hasText: `Assembly ${assemblyId.slice(0, 8)} resolved: the submission is rejected.` }).waitFor();
  await page.locator(".data-empty", { hasText: "No assembly is waiting for a decision." }).waitFor();
  expect((await platform.db.assembly.findUniqueOrThrow({ where: { id: assemblyId } })).status).toBe("resolved");
  expect((await platform.submissions.get(escalatedSubmissionId)).status).toBe("rejected");

  // 5. The audit log holds every action above, and its chain verifies.
  await open("Audit log");
  await page.locator('[data-audit-verified="true"]').waitFor();
  const entries = (await platform.store.repos.auditLog.chainRows()).length;
  expect(entries).toBeGreaterThanOrEqual(4);
  expect(await page.locator('[data-audit-verified="true"]').innerText()).toContain(`All ${entries} entries chain correctly.`);
  for (const action of ["validator.approve", "pricing.catalogue.publish", "flag.set", "assembly.resolve"]) await page.locator(`tr[data-action="${action}"]`).first().waitFor();
  await check("operator-audit-log");
  // Filtering the table narrows it to one action.
  await page.getByLabel("Filter operator actions, newest first (latest 200)").fill("assembly.resolve");
  expect(await page.locator("tr[data-action]").count()).toBe(1);

  // An entry edited in the database behind the platform's back: verification names it.
  const rows = await platform.store.repos.auditLog.chainRows();
  const edited = rows[1]!;
  await platform.db.$executeRawUnsafe(`UPDATE audit_log SET actor = 'operator:someone-else' WHERE id = $1::uuid`, edited.id);
  await page.getByRole("button", { name: "Verify again" }).click();
  await page.locator('[data-audit-verified="false"]').waitFor();
  expect(await page.locator('[data-audit-verified="false"]').innerText()).toContain(`broken at entry ${edited.seq} (${edited.id})`);
  await check("operator-audit-log-broken");

  // Signing-key rotation, confirmed; the old key retires.
  await open("Signing keys");
  await check("operator-signing-keys");
  await page.getByRole("button", { name: "Rotate signing key…" }).click();
  await confirm("Rotate key", "signing-key-rotate");
  await page.locator("[role=status]", { hasText: /New signing key .+ is active\./ }).waitFor();
  await page.locator('tr[data-status="retired"]').waitFor();

  // Every other screen loads against the real API and passes the check.
  for (const screen of ["Campaigns", "Payment methods", "Vouchers", "Credit grants", "Usage", "Submissions and certificates"]) {
    await open(screen);
    expect(await page.locator(".operator-screen [role=alert]").count()).toBe(0);
    await check(`operator-${screen.toLowerCase().replace(/\s+/g, "-")}`);
  }
}, 420_000);

test("at 390 px every screen fits the width (wide tables scroll inside their own region) and passes the check", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(NARROW);
  for (const screen of SCREENS) {
    await open(screen);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect({ screen, overflow }).toEqual({ screen, overflow: 0 });
    await check(`operator-390-${screen.toLowerCase().replace(/\s+/g, "-")}`);
  }
}, 420_000);

test("keyboard only: the section navigation and a confirmation dialog work without a mouse; Escape cancels", async () => {
  await page.goto(`${webUrl}/operator`);
  await page.getByLabel("Email").focus();
  await page.keyboard.type(KEYBOARD.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(KEYBOARD.password);
  await page.keyboard.press("Tab");
  await page.keyboard.type(await generate({ secret: secrets.get(KEYBOARD.email)! }));
  await page.keyboard.press("Enter");
  await page.getByRole("navigation", { name: "Operator sections" }).waitFor();
  const nav = page.getByRole("navigation", { name: "Operator sections" });
  await nav.getByRole("button", { name: "Signing keys", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.locator(".operator-screen h2", { hasText: "Signing keys" }).waitFor();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("operator-screen-heading");
  await page.getByRole("button", { name: "Rotate signing key…" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("dialog").waitFor();
  // Focus starts on Cancel (the safe choice); Escape closes without rotating.
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Cancel");
  const keys = await platform.signingKeys.list();
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "hidden" });
  expect(await platform.signingKeys.list()).toEqual(keys);
}, 240_000);

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (api?.exitCode !== null) throw new Error(`the API exited (${api?.exitCode}): ${apiOutput}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the API did not become healthy at ${url}: ${apiOutput}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

