// The built app in Chromium against the REAL API: `npm start -w @assay/api` run
// as a child process (the web app reaches the server only over HTTP) on a fresh
// PostgreSQL database, with the accounts, a submission and its certificate set
// up through @assay/platform's services, as the workers would. Proves the app's
// routes and shapes are the API's, not only the fake's.
import { spawn, type ChildProcess } from "node:child_process";
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
  sampleUnsignedCertificate,
  type Platform,
  type TestEnvironment,
} from "@assay/platform";
import { apiProxy } from "../server/api-proxy";
import { createWebServer } from "../server/web-server";
import { buildApp, launchChromium, WEB_DIR } from "./support/browser";

const ISSUER = "assay:issuer:web-real-api";
const OPERATOR = { email: `web-ops-${Date.now()}@example.com`, password: "a long operator password" };

let env: TestEnvironment;
let platform: Platform;
let api: ChildProcess | undefined;
let apiOutput = "";
let web: Server;
let webUrl: string;
let distDir: string;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let apiKey: string;
let totpSecret: string;
let submissionId: string;
let certificateId: string;

beforeAll(async () => {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  env = createTestEnvironment({ ASSAY_PUBLIC_URL: apiUrl, ASSAY_ISSUER_ID: ISSUER });
  // Chromium, the build and the database (created and migrated here) in parallel.
  const [launched, built, created] = await Promise.all([
    launchChromium(),
    buildApp(),
    createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) }),
  ]);
  browser = launched;
  distDir = built;
  platform = created;

  const developer = await platform.developers.create({ email: `web-${Date.now()}@example.com`, name: "Web Test" });
  apiKey = (await platform.apiKeys.create(developer.id, "web")).key;
  totpSecret = (await platform.operators.create({ ...OPERATOR, role: "admin" })).totpSecret;
  const submission = await platform.submissions.create(developer.id, samplePackedRuntime());
  submissionId = submission.id;
  await platform.submissions.transition(submissionId, "auditing", { actor: "test" });
  await platform.submissions.transition(submissionId, "in_assembly", { actor: "test" });
  const document = await platform.certificates.issue(submissionId, sampleUnsignedCertificate({ ...submission.runtime, digest: submission.subjectDigest }), "test");
  certificateId = document.id;

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
  await waitForHealth(`${apiUrl}/v1/public/health`, 60_000);

  web = createWebServer({ distDir, api: apiProxy(apiUrl) });
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
}, 180_000);

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
    const queue = new Queue("audit", { connection: redis, prefix: env.queuePrefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    redis.disconnect();
  }
  await platform?.close();
  await env?.cleanup();
  if (distDir) rmSync(distDir, { recursive: true, force: true });
});

let page: Page;
beforeEach(async () => {
  page = await browser.context.newPage();
});
afterEach(async () => {
  await page?.close();
});

test("the API's certificate verifies in the browser, check by check, and the server agrees", async () => {
  await page.goto(`${webUrl}/verify/${certificateId}`);
  await page.locator("[data-verdict]").waitFor();
  expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("valid");
  const outcomes = await page.$$eval("table.checks tbody tr", (rows) => rows.map((r) => [r.getAttribute("data-check"), r.getAttribute("data-ok")]));
  expect(outcomes.every(([, ok]) => ok === "true")).toBe(true);
  expect(outcomes).toHaveLength(9);
  const serverOk = await page.$$eval("td[data-server-ok]", (cells) => cells.map((c) => c.getAttribute("data-server-ok")));
  expect(serverOk).toEqual(Array(9).fill("true"));
  expect(await page.locator(".disagreement").count()).toBe(0);
  // The trusted issuer came from the API's discovery document.
  expect(await page.locator(".trust summary").innerText()).toContain(ISSUER);
  expect(await page.getByTestId("server-status").innerText()).toBe("active");
});

test("the transparency log is checked in the browser against the API's log: included and consistent; a certificate the log does not hold fails", async () => {
  await page.goto(`${webUrl}/verify/${certificateId}`);
  await page.locator('[data-verdict="valid"]').waitFor();
  const logRow = (name: string) => page.locator(`table.log-checks tr[data-check="${name}"]`);
  expect(await logRow("log-inclusion").getAttribute("data-ok")).toBe("true");
  expect(await logRow("log-inclusion").locator("td.detail").innerText()).toMatch(/^included at index 0 of \d+$/);
  expect(await logRow("log-consistency").getAttribute("data-ok")).toBe("true");
  const key = await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith("assay.log-checkpoint:")));
  expect(key).toBe("assay.log-checkpoint:assay:issuer:web-real-api/transparency-log");
  const savedSize = (await page.evaluate((k) => JSON.parse(localStorage.getItem(k!)!) as { treeSize: number }, key)).treeSize;

  // A certificate whose log entry an attacker removed from the database (the tree's nodes are untouched).
  const dev = await platform.developers.create({ email: `web-log-${Date.now()}@example.com`, name: "Web Log" });
  const sub = await platform.submissions.create(dev.id, samplePackedRuntime({ entrySource: "export const hidden = 1;" }));
  await platform.submissions.transition(sub.id, "auditing", { actor: "test" });
  await platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  const hidden = await platform.certificates.issue(sub.id, sampleUnsignedCertificate({ ...sub.runtime, digest: sub.subjectDigest }), "test");
  // One more issuance after it, so removing its entry does not shrink the log.
  const sub2 = await platform.submissions.create(dev.id, samplePackedRuntime({ entrySource: "export const after = 1;" }));
  await platform.submissions.transition(sub2.id, "auditing", { actor: "test" });
  await platform.submissions.transition(sub2.id, "in_assembly", { actor: "test" });
  await platform.certificates.issue(sub2.id, sampleUnsignedCertificate({ ...sub2.runtime, digest: sub2.subjectDigest }), "test");
  expect(await platform.db.$executeRaw`DELETE FROM log_entries WHERE certificate_id = ${hidden.id}`).toBe(1);

  await page.goto(`${webUrl}/verify/${hidden.id}`);
  await page.locator("[data-verdict]").waitFor();
  expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("invalid");
  expect(await page.$$eval("table.checks tbody tr", (rows) => rows.every((r) => r.getAttribute("data-ok") === "true"))).toBe(true);
  expect(await logRow("log-inclusion").getAttribute("data-ok")).toBe("false");
  expect(await logRow("log-inclusion").locator("td.detail").innerText()).toBe(`certificate ${hidden.id} is not in the issuer's transparency log`);

  // The first certificate again: the grown log is proven to extend the checkpoint this browser kept.
  await page.goto(`${webUrl}/verify/${certificateId}`);
  await page.locator('[data-verdict="valid"]').waitFor();
  expect(await logRow("log-consistency").locator("td.detail").innerText()).toBe(`extends the saved checkpoint (size ${savedSize} → ${savedSize + 2})`);
});

test("the developer portal lists the API's submissions with an API key", async () => {
  await page.goto(`${webUrl}/developer`);
  await page.getByText("Use an API key instead").click();
  await page.getByLabel("API key").fill(apiKey);
  await page.getByRole("button", { name: "Use key" }).click();
  await page.locator(`tr[data-submission="${submissionId}"]`).waitFor();
  const row = await page.locator(`tr[data-submission="${submissionId}"]`).innerText();
  expect(row).toContain("certified");
  await page.locator(`tr[data-submission="${submissionId}"] th a`).click();
  await page.getByRole("link", { name: /Verify certificate/ }).waitFor();
  expect(await page.locator(".live [role=status]").innerText()).toContain("finished");
});

test("the operator console signs in with password + TOTP and lists submissions", async () => {
  await page.goto(`${webUrl}/operator`);
  await page.getByLabel("Email").fill(OPERATOR.email);
  await page.getByLabel("Password").fill(OPERATOR.password);
  await page.getByLabel("Authenticator code").fill(await generate({ secret: totpSecret }));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Submissions and certificates" }).click();
  await page.locator(`tr[data-submission="${submissionId}"]`).waitFor();
  expect(await page.locator("main h3").allInnerTexts()).toContain("Certificate status");
  await page.getByRole("button", { name: "Signing keys" }).click();
  await page.locator('tr[data-status="active"]').first().waitFor();
});

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

