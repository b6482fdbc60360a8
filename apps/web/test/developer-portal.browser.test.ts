// The developer portal end to end in Chromium against the REAL platform: the API
// (`tsx src/main.ts`) and an audit worker (`tsx src/main.ts` in apps/worker) run
// as child processes on a fresh PostgreSQL database and Redis prefix, with
// billing enforced and the audit-only path (ASSAY_ASSEMBLY_REQUIRED=false, the
// fastest certification the platform offers). A developer signs up in the
// browser, redeems a voucher, gets a quote, creates an API key, submits with
// the real CLI (spawned, using that key) and watches the submission certify in
// the portal; then the report's claims table, the certificate's share link,
// usage, the journal, 390 px layout, sign-out and a keyboard-only sign-in.
// Every screen is checked with axe (no serious/critical violation) and saved
// under test-results/screens/.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "./support/ports";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { BullJobPublisher, createPlatform, createTestEnvironment, JOB_NAMES, type Platform, type TestEnvironment } from "@assay/platform";
import { apiProxy } from "../server/api-proxy";
import { createWebServer } from "../server/web-server";
import { expectNoSeriousA11yViolations, saveScreen } from "./support/a11y";
import { buildApp, launchChromium, WEB_DIR } from "./support/browser";

jest.setTimeout(600_000);

const REPO = join(WEB_DIR, "..", "..");
const TSX = join(REPO, "node_modules", "tsx", "dist", "cli.mjs");
const CLI = join(REPO, "apps", "cli", "bin", "assay.cjs");
const REFERENCE = join(REPO, "examples", "runtimes", "reference");
const ISSUER = "assay:issuer:web-developer-portal";
const DEVELOPER = { name: "Portal Person", email: `portal-${Date.now()}@example.com`, password: "a long portal passphrase" };

let env: TestEnvironment;
let platform: Platform;
let publisher: BullJobPublisher;
const children: ChildProcess[] = [];
let output = "";
let web: Server;
let webUrl: string;
let distDir: string;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let voucherCode: string;
let cliHome: string;

beforeAll(async () => {
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  env = createTestEnvironment({ ASSAY_PUBLIC_URL: apiUrl, ASSAY_ISSUER_ID: ISSUER, ASSAY_BILLING_ENFORCED: "true" });
  const [launched, built, created] = await Promise.all([
    launchChromium(),
    buildApp(),
    createPlatform(env.config, { publisher: (publisher = new BullJobPublisher(env.config.redis.url, env.queuePrefix)), flagChangeNotices: false }),
  ]);
  browser = launched;
  distDir = built;
  platform = created;
  voucherCode = (await platform.vouchers.create({ amount: 1000, maxUses: 5, expiresAt: new Date(Date.now() + 86_400_000).toISOString() }, "test")).code;
  cliHome = mkdtempSync(join(tmpdir(), "assay-portal-cli-home-"));

  const shared = {
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: env.config.database.url,
    ASSAY_CREATE_DATABASE: "false",
    ASSAY_ARTIFACT_DIR: env.config.artifacts.dir,
    ASSAY_QUEUE_PREFIX: env.queuePrefix,
    ASSAY_PUBLIC_URL: apiUrl,
    ASSAY_ISSUER_ID: ISSUER,
    ASSAY_ASSEMBLY_REQUIRED: "false",
    ASSAY_BILLING_ENFORCED: "true",
    ASSAY_LOG_LEVEL: "warn",
  };
  start(join(REPO, "apps", "api"), { ...shared, ASSAY_API_HOST: "127.0.0.1", ASSAY_API_PORT: String(port) });
  start(join(REPO, "apps", "worker"), { ...shared, ASSAY_WORKER_CONCURRENCY: "1", ASSAY_RECONCILE_INTERVAL_MS: "1000", ASSAY_RECONCILE_QUIET_MS: "5000" });
  await waitForHealth(`${apiUrl}/v1/public/health`, 240_000);

  web = createWebServer({ distDir, api: apiProxy(apiUrl) });
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
}, 420_000);

afterAll(async () => {
  await browser?.close();
  if (web) {
    web.closeAllConnections();
    await new Promise((resolve) => web.close(resolve));
  }
  for (const child of children) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
    clearTimeout(timer);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  if (platform) {
    for (const name of JOB_NAMES) await publisher.queue(name).obliterate({ force: true }).catch(() => undefined);
    await platform.close();
  }
  await env?.cleanup();
  if (distDir) rmSync(distDir, { recursive: true, force: true });
  if (cliHome) rmSync(cliHome, { recursive: true, force: true });
});

function start(cwd: string, childEnv: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [TSX, "src/main.ts"], { cwd, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  children.push(child);
}

async function screen(page: Page, name: string) {
  await expectNoSeriousA11yViolations(page, name);
  await saveScreen(page, `developer-${name}`);
}

async function tab(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Developer portal" }).getByRole("link", { name }).click();
  await page.getByRole("heading", { level: 2, name }).waitFor();
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, HOME: cliHome, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", NO_COLOR: "1", ASSAY_API_URL: "", ASSAY_API_KEY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("sign up, voucher, quote, API key, CLI submit, live certification, report, share link, usage, 390 px, sign-out, keyboard sign-in", async () => {
  const page = await browser.context.newPage();
  try {
    // Signed out: the sign-in screen.
    await page.goto(`${webUrl}/developer`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await screen(page, "sign-in");

    // A rejected API key is an error in plain words, never "Signed in".
    await page.getByText("Use an API key instead").click();
    await page.getByLabel("API key").fill("ak_000000000000_0000000000000000000000000000000000000000000");
    await page.getByRole("button", { name: "Use key" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).toContain("The API rejected this API key.");
    expect(await page.locator("main").innerText()).not.toMatch(/Signed in/);
    await screen(page, "api-key-rejected");

    // Sign up.
    await page.getByRole("button", { name: "Create account" }).first().click();
    await page.getByLabel("Name").fill(DEVELOPER.name);
    await page.getByLabel("Email").fill(DEVELOPER.email);
    await page.getByLabel("Password").fill("too short");
    await screen(page, "sign-up");
    await page.getByLabel("Password").fill(DEVELOPER.password);
    await page.locator("form").getByRole("button", { name: "Create account" }).click();
    await page.getByTestId("signed-in-as").waitFor();
    expect(await page.getByTestId("signed-in-as").innerText()).toBe(`Signed in as ${DEVELOPER.name} (${DEVELOPER.email}).`);
    // The session cookie is HttpOnly: scripts on the page cannot read it.
    expect(await page.evaluate(() => document.cookie)).toBe("");
    await page.getByText("No submissions yet.").waitFor();
    await screen(page, "submissions-empty");

    // Credits: redeem the voucher; the balance and the journal show it.
    await tab(page, "Credits");
    await page.getByText("No credit movements yet.").waitFor();
    await page.getByLabel("Voucher code").fill("vch_notacode");
    await page.getByRole("button", { name: "Redeem voucher" }).click();
    await page.getByRole("alert").waitFor();
    await screen(page, "credits-voucher-error");
    await page.getByLabel("Voucher code").fill(voucherCode);
    await page.getByRole("button", { name: "Redeem voucher" }).click();
    await page.getByText("Redeemed: 1000 credits added.").waitFor();
    await page.locator('[data-testid="credit-journal"] tr[data-kind="voucher"]').waitFor();
    expect(await page.locator("[data-available]").getAttribute("data-available")).toBe("1000");
    await screen(page, "credits");

    // Quote: the reference runtime's files.
    await tab(page, "Quote");
    await page.getByLabel("Runtime files").setInputFiles([join(REFERENCE, "sigma-runtime.json"), join(REFERENCE, "runtime.js")]);
    await page.getByRole("button", { name: "Get quote" }).click();
    await page.getByTestId("quote").waitFor();
    const quoted = Number(await page.locator("[data-quote-total]").getAttribute("data-quote-total"));
    expect(quoted).toBeGreaterThan(0);
    await screen(page, "quote");

    // API keys: create one, shown once.
    await tab(page, "API keys");
    await page.getByText("You have no active API keys.").waitFor();
    await page.getByLabel("Name of the new key").fill("laptop CLI");
    await page.getByRole("button", { name: "Create key" }).click();
    const apiKey = (await page.getByTestId("new-api-key").innerText()).trim();
    expect(apiKey).toMatch(/^ak_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    await page.locator("tr[data-api-key]").first().waitFor();
    await screen(page, "api-keys");

    // The CLI, as a process, with the key made in the portal.
    const apiUrl = env.config.api.publicUrl;
    const login = await cli(["login", "--api-url", apiUrl, "--api-key", apiKey, "--json"]);
    expect(login.stderr).toBe("");
    expect(login.code).toBe(0);
    const submit = await cli(["submit", REFERENCE, "--json"]);
    expect(submit.stderr).toBe("");
    expect(submit.code).toBe(0);
    const submissionId = (JSON.parse(submit.stdout) as { id: string }).id;

    // The portal lists it; its page follows it live until it is certified.
    await tab(page, "Submissions");
    await page.locator(`tr[data-submission="${submissionId}"]`).waitFor();
    await page.locator(`tr[data-submission="${submissionId}"] th a`).click();
    await page.locator(".live").waitFor();
    await screen(page, "submission-live");
    await page.locator(".live [role=status]", { hasText: "finished" }).waitFor({ timeout: 300_000 });
    const status = await page.locator(".facts .status").first().innerText();
    expect(status).toBe("certified");
    const timeline = await page.$$eval(".timeline li .status", (els) => els.map((e) => e.textContent));
    expect(timeline.at(-1)).toBe("certified");
    // The report's claims table and the certificate with its share link.
    await page.locator("table.claims tbody tr").first().waitFor();
    const claims = await page.$$eval("table.claims tbody th", (ths) => ths.map((t) => t.textContent));
    expect(claims).toEqual(expect.arrayContaining(["SRIP-03", "SRIP-05"]));
    const certificateId = (await platform.submissions.getForDeveloper((await platform.developers.findByEmail(DEVELOPER.email))!.id, submissionId)).certificateId!;
    await page.locator('[data-certificate-state="active"]').waitFor();
    expect(await page.getByTestId("share-link").inputValue()).toBe(`${webUrl}/verify/${certificateId}`);
    await screen(page, "submission-certified");

    // Every count on the page agrees with the stored report: one chart per scenario run, each with the
    // 0.45 / 0.5 / 0.6 bands; the scenario count and the composite DI are the report's own.
    const developerId = (await platform.developers.findByEmail(DEVELOPER.email))!.id;
    const stored = (await platform.submissions.reportForDeveloper(developerId, submissionId)).report as {
      scenarios: { id: string; completed: boolean; series?: (number | null)[] }[];
      metrics: { id: string; value: number | null }[];
    };
    const withSeries = stored.scenarios.filter((s) => (s.series ?? []).length > 0).length;
    expect(withSeries).toBe(stored.scenarios.length);
    await page.getByTestId("scenario-list").waitFor();
    expect(await page.locator("[data-testid=scenario-list] figure.drift-chart").count()).toBe(stored.scenarios.length);
    expect(await page.locator("[data-testid=scenario-list] table.scenarios tbody tr").count()).toBe(stored.scenarios.length);
    for (const band of [4500, 5000, 6000]) {
      expect(await page.locator(`[data-testid=scenario-list] figure.drift-chart .band-${band} line`).count()).toBe(stored.scenarios.length);
    }
    const completedMetric = stored.metrics.find((m) => m.id === "srs.scenarios_completed.v1")!.value;
    expect(completedMetric).toBe(stored.scenarios.filter((s) => s.completed).length);
    expect(await page.getByTestId("scenario-count").innerText()).toBe(`${completedMetric} of ${stored.scenarios.length}`);
    expect(await page.getByTestId("final-scenario-count").innerText()).toContain(`${completedMetric} of ${stored.scenarios.length} completed`);
    const composite = stored.metrics.find((m) => m.id === "srs.composite_drift_index.v1")!.value;
    expect(await page.getByTestId("composite-di").innerText()).toBe(composite === null ? "unverified" : (composite / 10_000).toFixed(4));
    // The live figures (the last turn's DI, the worker's scenario counter) are gone once the report is the record.
    expect(await page.getByTestId("live-scenario-count").count()).toBe(0);
    expect(await page.locator("main").innerText()).not.toMatch(/DI of the latest turn/);

    // The public report switch: off by default (the public lookup carries no report); on, confirmed, it does; off again, it does not.
    const publicLookup = async () => ((await (await fetch(`${apiUrl}/v1/public/certificates/${certificateId}`)).json()) as { report?: unknown }).report ?? null;
    expect(await page.getByTestId("report-visibility-state").getAttribute("data-public")).toBe("false");
    expect(await publicLookup()).toBeNull();
    await page.getByRole("button", { name: "Make the report public…" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Make public" }).click();
    await page.getByText("The audit report is now public.").waitFor();
    expect(await page.getByTestId("report-visibility-state").getAttribute("data-public")).toBe("true");
    expect(((await publicLookup()) as { digest?: string } | null)?.digest).toMatch(/^0x[0-9a-f]{64}$/);
    await screen(page, "submission-report-public");
    await page.getByRole("button", { name: "Make the report private…" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Make private" }).click();
    await page.getByText("The audit report is now private.").waitFor();
    expect(await publicLookup()).toBeNull();
    // A reload reads the stored choice back.
    await page.reload();
    await page.getByTestId("report-visibility-state").waitFor();
    expect(await page.getByTestId("report-visibility-state").getAttribute("data-public")).toBe("false");

    // Credits after the audit: the hold and its capture are in the journal.
    await page.goto(`${webUrl}/developer/credits`);
    await page.locator('[data-testid="credit-journal"] tr[data-kind="capture"]').waitFor();
    expect(Number(await page.locator("[data-available]").getAttribute("data-available"))).toBeLessThan(1000);

    // Usage: the plot and its table.
    await tab(page, "Usage");
    await page.locator(".dev-plot svg").waitFor();
    await screen(page, "usage");

    // The share link opens the public verify page.
    await page.goto(`${webUrl}/developer/submissions/${submissionId}`);
    await page.getByRole("link", { name: "Open the public verify page" }).click();
    await page.waitForURL(`${webUrl}/verify/${certificateId}`);

    // 390 px wide: no screen scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [
      ["/developer", "submissions"],
      ["/developer/credits", "credits"],
      ["/developer/keys", "api-keys"],
      ["/developer/quote", "quote"],
      ["/developer/usage", "usage"],
      [`/developer/submissions/${submissionId}`, "submission"],
    ] as const) {
      await page.goto(`${webUrl}${path}`);
      await page.getByTestId("signed-in-as").waitFor();
      await page.waitForLoadState("networkidle").catch(() => undefined);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect({ name, overflow }).toEqual({ name, overflow: 0 });
      await screen(page, `390-${name}`);
    }
    await page.setViewportSize({ width: 1200, height: 900 });

    // Sign out: the session ends (a reload stays signed out).
    await page.goto(`${webUrl}/developer`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("You are signed out.").waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.locator("main").innerText()).not.toMatch(/Signed in as/);

    // Sign in with the keyboard only: Tab to the email field, type, Tab, type, Enter.
    await page.locator("body").focus();
    let guard = 0;
    while ((await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)) !== "email" && guard++ < 30) await page.keyboard.press("Tab");
    await page.keyboard.type(DEVELOPER.email);
    await page.keyboard.press("Tab");
    await page.keyboard.type(DEVELOPER.password);
    await page.keyboard.press("Enter");
    await page.getByTestId("signed-in-as").waitFor();
    await page.locator(`tr[data-submission="${submissionId}"]`).waitFor();
    await screen(page, "submissions");
  } catch (error) {
    await saveScreen(page, "developer-failure").catch(() => undefined);
    throw new Error(`${(error as Error).message}\n--- API/worker output ---\n${output.slice(-4000)}`);
  } finally {
    await page.close();
  }
});

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = children.find((c) => c.exitCode !== null);
    if (dead) throw new Error(`a child process exited (${dead.exitCode}): ${output}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the API did not become healthy at ${url}: ${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

