// The operator's main path in Chromium against the REAL API and worker (`src/main.ts`
// of apps/api and apps/worker as child processes, a fresh PostgreSQL database,
// Redis): two reference-runtime submissions pass their audits, convene validator
// assemblies whose three admitted validators never vote, and escalate after the
// last round — the escalation queue is filled by the real flow, not by rows
// written into the database. The operator signs in with password + TOTP,
// approves a pending validator, then suspends, reinstates and slashes it, pages
// and searches the validators through the API, publishes a new price catalogue
// version, edits a flag, rejects one escalation and certifies the other, pages
// and filters the audit log through the API and verifies its chain (intact, then
// broken by an edit behind the platform's back), rotates the signing key,
// creates a campaign, a voucher and a credit grant, and downloads the usage CSV.
// Every destructive action is confirmed and its result shown. Every screen
// passes the shared accessibility check and is saved as a screenshot, at desktop
// width and at 390 px (where the page must not scroll sideways).
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
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
let worker: ChildProcess | undefined;
/** Two assemblies that escalated through the real flow: the first is rejected, the second certified. */
let assemblyIds: string[] = [];
const escalatedSubmissionIds: string[] = [];
let usageDeveloperId: string;
const TSX = join(WEB_DIR, "..", "..", "node_modules", "tsx", "dist", "cli.mjs");
const REFERENCE = join(WEB_DIR, "..", "..", "examples", "runtimes", "reference");

/** The reference runtime as `assay submit` packs it (its manifest and entry file). */
function referenceRuntime() {
  const manifestText = readFileSync(join(REFERENCE, "sigma-runtime.json"), "utf8");
  const manifest = JSON.parse(manifestText) as { entry: string };
  return {
    manifest,
    files: [
      { path: "sigma-runtime.json", contentBase64: Buffer.from(manifestText).toString("base64") },
      { path: manifest.entry, contentBase64: readFileSync(join(REFERENCE, manifest.entry)).toString("base64") },
    ],
  } as Parameters<Platform["submissions"]["create"]>[1];
}

beforeAll(async () => {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  env = createTestEnvironment({ ASSAY_PUBLIC_URL: apiUrl, ASSAY_ISSUER_ID: ISSUER, ASSAY_ASSEMBLY_REQUIRED: "true" });
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
  // Escalations from the real flow: three admitted validators, none of which ever votes, one round per
  // assembly. Two reference-runtime submissions pass their audits in a real worker, convene assemblies,
  // get no commitment before the deadlines and escalate after the last round (outcome max_rounds).
  await platform.flags.update(
    { "assembly.seatCount": 3, "assembly.maxRounds": 1, "assembly.beaconSeconds": 1, "assembly.reviewSeconds": 1, "assembly.commitSeconds": 2, "assembly.revealSeconds": 2, "assembly.modelFamilyDiversity": false },
    "test",
  );
  for (let i = 0; i < 3; i++) {
    const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
    const { id } = await platform.validators.activate({ publicKey: x, stake: "1000000", kind: "agent", modelFamily: `family-${i}`, name: `Silent Validator ${i}` });
    await platform.admission.approve(id, { stake: "1000000" }, "operator:test");
  }
  const developer = await platform.developers.create({ email: `web-op-dev-${Date.now()}@example.com`, name: "Escalated Dev" });
  for (let i = 0; i < 2; i++) escalatedSubmissionIds.push((await platform.submissions.create(developer.id, referenceRuntime())).id);
  // Usage to export: one measurement of the first submission (the audits add their own).
  await platform.usage.recordForSubmission(escalatedSubmissionIds[0]!, "web-operator-test", { model_input_tokens: 1234, sandbox_cpu_ms: 56 });
  usageDeveloperId = developer.id;

  const childEnv = {
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: env.config.database.url,
    ASSAY_CREATE_DATABASE: "false",
    ASSAY_PUBLIC_URL: apiUrl,
    ASSAY_ISSUER_ID: ISSUER,
    ASSAY_QUEUE_PREFIX: env.queuePrefix,
    ASSAY_ARTIFACT_DIR: env.config.artifacts.dir,
    ASSAY_ASSEMBLY_REQUIRED: "true",
    ASSAY_LOG_LEVEL: "warn",
  };
  worker = spawn(process.execPath, [TSX, "src/main.ts"], {
    cwd: join(WEB_DIR, "..", "worker"),
    env: { ...childEnv, ASSAY_WORKER_CONCURRENCY: "1", ASSAY_RECONCILE_INTERVAL_MS: "1000", ASSAY_RECONCILE_QUIET_MS: "5000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker.stdout!.on("data", (c: Buffer) => (apiOutput += c.toString()));
  worker.stderr!.on("data", (c: Buffer) => (apiOutput += c.toString()));
  api = spawn(process.execPath, [TSX, "src/main.ts"], {
    cwd: join(WEB_DIR, "..", "api"),
    env: { ...childEnv, ASSAY_API_HOST: "127.0.0.1", ASSAY_API_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  api.stdout!.on("data", (c: Buffer) => (apiOutput += c.toString()));
  api.stderr!.on("data", (c: Buffer) => (apiOutput += c.toString()));
  await waitForHealth(`${apiUrl}/v1/public/health`, 90_000);
  // Both assemblies escalate on their own (audit, draw, deadlines with no commitment, tally).
  const deadline = Date.now() + 420_000;
  for (;;) {
    const escalated = (await platform.assemblies.list({ escalated: true })).filter((a) => escalatedSubmissionIds.includes(a.submissionId) && a.status === "escalated");
    if (escalated.length === 2) {
      assemblyIds = escalatedSubmissionIds.map((sid) => escalated.find((a) => a.submissionId === sid)!.id);
      break;
    }
    const failed = await Promise.all(escalatedSubmissionIds.map((sid) => platform.submissions.get(sid)));
    const ended = failed.find((v) => v.status === "failed" || v.status === "rejected" || v.status === "certified");
    if (ended) throw new Error(`submission ${ended.id} ended ${ended.status} (${JSON.stringify(ended.outcome)}) instead of escalating: ${apiOutput.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the assemblies did not escalate: ${apiOutput.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }

  web = createWebServer({ distDir, api: apiProxy(apiUrl) });
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (web) {
    web.closeAllConnections();
    await new Promise((resolve) => web.close(resolve));
  }
  for (const child of [worker, api]) {
    if (!child || child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
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

test("the operator's main path: sign in, approve/suspend/reinstate/slash a validator, publish prices, edit a flag, resolve two real escalations, page the audit log, money screens, usage CSV", async () => {
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

  // The escalation queue is the first screen: both assemblies that escalated through the real flow.
  for (const id of assemblyIds) {
    await page.locator(`tr[data-assembly="${id}"]`).waitFor();
    expect(await page.locator(`tr[data-assembly="${id}"]`).innerText()).toContain("max rounds");
  }
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

  // 1b. Suspend, reinstate and slash her, each confirmed, each result shown and stored.
  await page.getByLabel("Standing").selectOption("");
  await page.getByLabel("Name, id or public key").fill("Ada");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await row.waitFor();
  await page.getByRole("button", { name: "Suspend Ada Validator" }).click();
  await page.getByRole("button", { name: "Suspend…" }).click();
  await page.locator("[role=alert]", { hasText: "Write why you suspend this validator" }).waitFor();
  await page.getByLabel("Reason (required)").fill("missed three deadlines");
  await page.getByRole("button", { name: "Suspend…" }).click();
  await confirm("Suspend", "validator-suspend");
  await page.locator("[role=status]", { hasText: "Suspend: Ada Validator is now suspended" }).waitFor();
  expect(await platform.db.validator.findUniqueOrThrow({ where: { id: validatorId } })).toMatchObject({ standing: "suspended" });
  await page.locator(`tr[data-validator="${validatorId}"][data-standing="suspended"]`).waitFor();
  await page.getByRole("button", { name: "Reinstate Ada Validator" }).click();
  await page.getByRole("button", { name: "Reinstate…" }).click();
  await confirm("Reinstate", "validator-reinstate");
  await page.locator("[role=status]", { hasText: "Reinstate: Ada Validator is now active" }).waitFor();
  expect(await platform.db.validator.findUniqueOrThrow({ where: { id: validatorId } })).toMatchObject({ standing: "active" });
  await page.locator(`tr[data-validator="${validatorId}"][data-standing="active"]`).waitFor();
  await page.getByRole("button", { name: "Slash Ada Validator" }).click();
  await page.getByLabel("Stake to slash").fill("500");
  await page.getByLabel("Reason (required)").fill("equivocation in round 2");
  await page.getByRole("button", { name: "Slash…" }).click();
  await confirm("Slash", "validator-slash");
  await page.locator("[role=status]", { hasText: "Slash: Ada Validator is now" }).waitFor();
  expect((await platform.db.validator.findUniqueOrThrow({ where: { id: validatorId } })).stake).toBe(2500n);
  for (const action of ["validator.suspend", "validator.reinstate", "validator.slash"]) {
    expect(await platform.db.auditLogEntry.count({ where: { action, target: validatorId } })).toBe(1);
  }

  // 1c. The list pages through the API: six more pending validators, five per page (page 2 holds the sixth).
  const pagers: string[] = [];
  for (let i = 0; i < 6; i++) {
    const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
    pagers.push((await platform.validators.activate({ publicKey: x, stake: "100", kind: "person", name: `Pager ${i}` })).id);
  }
  await page.getByLabel("Name, id or public key").fill("");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.getByLabel("Standing").selectOption("pending");
  await page.getByLabel("Rows per page").selectOption("5");
  await page.locator("[data-page]", { hasText: "Page 1, 5 rows" }).waitFor();
  expect(await page.locator("tr[data-validator]").count()).toBe(5);
  const pageOne = await page.$$eval("tr[data-validator]", (trs) => trs.map((t) => t.getAttribute("data-validator")));
  expect(pageOne).toEqual(pagers.slice(0, 5));
  await page.getByRole("button", { name: "Next page" }).click();
  await page.locator('[data-page="2"]').waitFor();
  expect(await page.locator("[data-page]").innerText()).toBe("Page 2 (last), 1 row");
  expect(await page.$$eval("tr[data-validator]", (trs) => trs.map((t) => t.getAttribute("data-validator")))).toEqual([pagers[5]]);
  expect(await page.getByRole("button", { name: "Next page" }).isDisabled()).toBe(true);
  await page.getByRole("button", { name: "Previous page" }).click();
  await page.locator('[data-page="1"]').waitFor();
  expect(await page.locator(`tr[data-validator="${pagers[0]}"]`).count()).toBe(1);
  // A search runs on the server over every page.
  await page.getByLabel("Name, id or public key").fill("pager 5");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page.locator("[data-page]", { hasText: "Page 1 (last), 1 row" }).waitFor();
  expect(await page.$$eval("tr[data-validator]", (trs) => trs.map((t) => t.getAttribute("data-validator")))).toEqual([pagers[5]]);
  await check("operator-validators-paged");

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

  // 4. Resolve both escalations: reject the first, certify the second (an audit-only certificate).
  await open("Escalations");
  const [rejectId, certifyId] = assemblyIds as [string, string];
  await page.getByRole("button", { name: `Resolve assembly ${rejectId.slice(0, 8)}` }).click();
  await page.getByLabel("Reject the submission").check();
  await page.getByLabel("Reason (kept in the audit log)").fill("split panel, evidence insufficient");
  await page.getByRole("button", { name: "Resolve…" }).click();
  await confirm("Reject", "escalation-resolve");
  await page.locator("[role=status]", { hasText: `Assembly ${rejectId.slice(0, 8)} resolved: the submission is rejected.` }).waitFor();
  await page.locator(`tr[data-assembly="${rejectId}"]`).waitFor({ state: "detached" });
  expect((await platform.db.assembly.findUniqueOrThrow({ where: { id: rejectId } })).status).toBe("resolved");
  expect((await platform.submissions.get(escalatedSubmissionIds[0]!)).status).toBe("rejected");

  await page.getByRole("button", { name: `Resolve assembly ${certifyId.slice(0, 8)}` }).click();
  await page.getByLabel("Certify (audit-only certificate)").check();
  await page.getByLabel("Reason (kept in the audit log)").fill("the audit is clean; the panel never convened");
  await page.getByRole("button", { name: "Resolve…" }).click();
  await confirm("Certify", "escalation-certify");
  const certified = await platform.submissions.get(escalatedSubmissionIds[1]!);
  expect(certified.status).toBe("certified");
  expect(certified.certificateId).toMatch(/^0x[0-9a-f]{64}$/);
  await page
    .locator("[role=status]", { hasText: `Assembly ${certifyId.slice(0, 8)} resolved: the submission is certified (certificate ${certified.certificateId!.slice(0, 12)}…).` })
    .waitFor();
  await page.locator(".data-empty", { hasText: "No assembly is waiting for a decision." }).waitFor();
  expect((await platform.db.assembly.findUniqueOrThrow({ where: { id: certifyId } })).status).toBe("resolved");

  // 5. The audit log holds every action above, and its chain verifies.
  await open("Audit log");
  await page.locator('[data-audit-verified="true"]').waitFor();
  const entries = (await platform.store.repos.auditLog.chainRows()).length;
  expect(entries).toBeGreaterThanOrEqual(4);
  expect(await page.locator('[data-audit-verified="true"]').innerText()).toContain(`All ${entries} entries chain correctly.`);
  for (const action of ["validator.approve", "pricing.catalogue.publish", "flag.set", "assembly.resolve"]) await page.locator(`tr[data-action="${action}"]`).first().waitFor();
  await check("operator-audit-log");
  // The API pages the log: five rows per page, walked to the last page, give every entry once.
  await page.getByLabel("Rows per page").selectOption("5");
  await page.locator("[data-page]", { hasText: "Page 1, 5 rows" }).waitFor();
  const seen: string[] = [];
  for (let n = 1; ; n++) {
    await page.locator(`[data-page="${n}"]`).waitFor();
    seen.push(...(await page.$$eval("tr[data-action]", (trs) => trs.map((t) => t.getAttribute("data-action")!))));
    if (await page.getByRole("button", { name: "Next page" }).isDisabled()) break;
    await page.getByRole("button", { name: "Next page" }).click();
  }
  expect(seen.length).toBe(entries);
  // Filtering runs on the server: the two resolutions, across all pages.
  await page.getByLabel("Action (exact, e.g. flag.set)").fill("assembly.resolve");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.locator("[data-page]", { hasText: "Page 1 (last), 2 rows" }).waitFor();
  expect(await page.locator("tr[data-action]").count()).toBe(2);

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

  // A campaign, a voucher and a credit grant, each created through its form; the results shown and stored.
  await open("Campaigns");
  await page.getByLabel("Name", { exact: true }).fill("Winter launch");
  await page.getByLabel("Percent off (e.g. 20)").fill("20");
  await page.getByLabel("At most this many submissions (optional)").fill("50");
  await page.getByLabel("Starts").fill("2026-01-01T00:00");
  await page.getByLabel("Ends").fill("2099-01-01T00:00");
  await page.getByRole("button", { name: "Create campaign" }).click();
  await page.locator("[role=status]", { hasText: "Campaign “Winter launch” created." }).waitFor();
  await page.getByRole("button", { name: "End now: campaign Winter launch" }).waitFor();
  expect((await platform.pricing.listCampaigns()).map((c) => c.name)).toContain("Winter launch");
  await check("operator-campaign-created");

  await open("Vouchers");
  await page.getByRole("textbox", { name: "Credits", exact: true }).fill("250");
  await page.getByLabel("Developers who may redeem it").fill("3");
  await page.getByLabel("Expires").fill("2099-01-01T00:00");
  await page.getByRole("button", { name: "Create voucher" }).click();
  const code = (await page.getByTestId("voucher-code").innerText()).trim();
  expect(code.length).toBeGreaterThan(8);
  const vouchers = await platform.vouchers.list();
  const made = vouchers.find((v) => code.startsWith(v.prefix));
  expect(made).toMatchObject({ amount: 250, maxUses: 3 });
  await page.getByRole("button", { name: `Revoke voucher ${made!.prefix}` }).waitFor();
  await check("operator-voucher-created");

  await open("Credit grants");
  await page.getByLabel("Developer id").fill(usageDeveloperId);
  await page.getByRole("textbox", { name: "Credits", exact: true }).fill("75");
  await page.getByLabel("Reason (kept in the audit log)").fill("launch partner");
  await page.getByRole("button", { name: "Grant…" }).click();
  await confirm("Grant credits", "credit-grant");
  await page.locator("[role=status]", { hasText: "Granted 75 credits: the developer now has" }).waitFor();
  expect(Number((await platform.ledger.developerBalance(usageDeveloperId)).available)).toBeGreaterThanOrEqual(75);

  // Usage: the CSV download carries the header and the developer's measured usage.
  await open("Usage");
  await page.locator(".data-table caption", { hasText: "Usage per developer" }).waitFor();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toBe("assay-usage.csv");
  const csv = await new Promise<string>((resolve, reject) => {
    void download.createReadStream().then((stream) => {
      let text = "";
      stream.on("data", (c: Buffer) => (text += c.toString()));
      stream.on("end", () => resolve(text));
      stream.on("error", reject);
    }, reject);
  });
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("developer_id,model_input_tokens,model_output_tokens,sandbox_cpu_ms,storage_bytes,assembly_seats");
  const mine = lines.find((l) => l.startsWith(`${usageDeveloperId},`));
  // The real audits metered usage too; the row is the platform's totals for the developer (which include the 1234 / 56 recorded above).
  const totals = await platform.usage.totals({ developerId: usageDeveloperId });
  expect(mine?.split(",").slice(1)).toEqual([totals.model_input_tokens, totals.model_output_tokens, totals.sandbox_cpu_ms, totals.storage_bytes, totals.assembly_seats]);
  expect(Number(totals.model_input_tokens)).toBeGreaterThanOrEqual(1234);
  expect(csv).toBe(await platform.usage.perDeveloperCsv({}));
  await page.locator("[role=status]", { hasText: `Exported ${lines.length - 1} developer row(s) as CSV.` }).waitFor();

  // Every other screen loads against the real API and passes the check.
  for (const screen of ["Payment methods", "Submissions and certificates"]) {
    await open(screen);
    expect(await page.locator(".operator-screen [role=alert]").count()).toBe(0);
    await check(`operator-${screen.toLowerCase().replace(/\s+/g, "-")}`);
  }
}, 600_000);

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
  // Focus moves to the heading on the next animation frame (OperatorConsole), which a loaded machine may
  // paint after the new heading text is already in the DOM: wait for it (bounded) instead of reading at once.
  await page.waitForFunction(() => document.activeElement?.id === "operator-screen-heading", undefined, { timeout: 5_000 }).catch(() => undefined);
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

