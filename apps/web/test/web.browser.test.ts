// The built app in Debian's Chromium against a fake API on the same origin.
// The certificates are real (signed in this test), so the page's in-browser
// verification really computes ids, JWS bytes and Ed25519 signatures.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { createWebServer } from "../server/web-server";
import { buildApp, launchChromium, WEB_DIR } from "./support/browser";
import { ARTIFACT, makeFixtures, type Fixtures } from "./support/certificates";
import { DEVELOPER_KEY, fakeApi, OPERATOR, SUBMISSIONS, type StoredCertificate } from "./support/fake-api";

let distDir: string;
let server: Server;
let baseUrl: string;
let browser: { context: BrowserContext; close: () => Promise<void> };
let fixtures: Fixtures;
let page: Page;
let fake: ReturnType<typeof fakeApi>;
const pageErrors: string[] = [];

beforeAll(async () => {
  // Chromium first: when it is missing, the message says how to install it.
  const [launched, built, made] = await Promise.all([launchChromium(), buildApp(), makeFixtures()]);
  browser = launched;
  distDir = built;
  fixtures = made;
  const certificates = new Map<string, StoredCertificate>([[fixtures.valid.id, { document: fixtures.valid, report: fixtures.report }]]);
  fake = fakeApi(fixtures, certificates);
  server = createWebServer({ distDir, api: fake.handler });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The tampered document is served under an id of its own (its id field is the valid one's).
  certificates.set(fixtures.second.id, { document: fixtures.second });
  certificates.set(PENDING_ID, { document: fixtures.valid, anchor: { state: "pending" } });
  certificates.set(TAMPERED_ID, { document: fixtures.tampered });
  certificates.set(fixtures.legacy.id, { document: fixtures.legacy });
  const lying = { ...fixtures.tampered, payload: { ...fixtures.tampered.payload, subject: { ...fixtures.tampered.payload.subject, name: "impostor" } } };
  certificates.set(LYING_ID, { document: lying, serverLies: true });
});

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  if (distDir) rmSync(distDir, { recursive: true, force: true });
});

beforeEach(async () => {
  page = await browser.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterEach(async () => {
  await page?.close();
  expect(pageErrors).toEqual([]);
});

const PENDING_ID = "0x" + "dd".repeat(32);
const TAMPERED_ID = "0x" + "ee".repeat(32);
const LYING_ID = "0x" + "ff".repeat(32);

async function checkOutcomes(p: Page): Promise<Record<string, string>> {
  await p.locator("table.checks tbody tr").first().waitFor();
  return p.$$eval("table.checks tbody tr", (rows) => Object.fromEntries(rows.map((r) => [r.getAttribute("data-check"), r.getAttribute("data-ok")])));
}

test("the browser bundle imports no Node built-ins (verification uses WebCrypto and @noble/hashes)", () => {
  const scripts = readdirSync(join(distDir, "assets")).filter((f) => f.endsWith(".js"));
  expect(scripts.length).toBeGreaterThan(0);
  for (const file of scripts) {
    const code = readFileSync(join(distDir, "assets", file), "utf8");
    expect(code).not.toMatch(/["'`]node:[a-z_/]+["'`]/);
    expect(code).not.toMatch(/\brequire\(["'](crypto|fs|path|buffer)["']\)/);
  }
});

test("a valid certificate verifies in the browser: every check green, details, drift plots, server agrees", async () => {
  await page.goto(`${baseUrl}/verify/${fixtures.valid.id}`);
  const verdict = page.locator("[data-verdict]");
  await verdict.waitFor();
  expect(await verdict.getAttribute("data-verdict")).toBe("valid");
  const outcomes = await checkOutcomes(page);
  expect(Object.keys(outcomes)).toEqual(["schema", "id", "jws-payload", "signature", "issuer", "time-window", "status", "anchor", "artifact"]);
  expect(Object.values(outcomes).every((ok) => ok === "true")).toBe(true);
  // The server's answer sits beside each check and agrees.
  const serverOk = await page.$$eval("table.checks tbody tr td[data-server-ok]", (cells) => cells.map((c) => c.getAttribute("data-server-ok")));
  expect(serverOk).toEqual(Array(9).fill("true"));
  expect(await page.locator(".disagreement").count()).toBe(0);
  // Evidence: subject, issuer kid, integer metrics shown as decimals, server-reported status.
  const details = await page.locator(".details").innerText();
  expect(details).toContain("reference-runtime");
  expect(details).toContain(fixtures.key.kid);
  expect(details).toContain("0.3120");
  // Granted claims, and the claim asked for and withheld, with its reason and findings.
  expect(await page.getByTestId("claims-granted").locator("li").allInnerTexts()).toEqual(["SRIP-03", "SRIP-05"]);
  const withheld = page.getByTestId("claims-not-granted").locator("li");
  expect(await withheld.count()).toBe(1);
  expect(await withheld.getAttribute("data-srip")).toBe("SRIP-13");
  expect(await withheld.getAttribute("data-reason")).toBe("not-evidenced");
  expect(await withheld.innerText()).toMatch(/SRIP-13 not evidenced.*findings ALIAS_SCOPE_LEAK, SESSION_LEAK/);
  expect(await page.getByTestId("server-status").innerText()).toBe("active");
  expect(await page.getByTestId("anchor-state").innerText()).toBe("not anchored");
  expect(await page.locator(".drift-chart svg[role=img]").count()).toBe(2);
  expect(await page.locator(".drift-chart .band").count()).toBe(6);

  await page.screenshot({ path: join(WEB_DIR, ".test-results", "verify-page.png"), fullPage: true });
});

test("a legacy v1 certificate still verifies in the browser and says it does not record withheld claims", async () => {
  await page.goto(`${baseUrl}/verify/${fixtures.legacy.id}`);
  const verdict = page.locator("[data-verdict]");
  await verdict.waitFor();
  expect(await verdict.getAttribute("data-verdict")).toBe("valid");
  expect(Object.values(await checkOutcomes(page)).every((ok) => ok === "true")).toBe(true);
  expect(await page.getByTestId("claims-granted").locator("li").allInnerTexts()).toEqual(["SRIP-03", "SRIP-05", "SRIP-13"]);
  expect(await page.getByTestId("claims-not-granted").innerText()).toMatch(/not recorded \(assay\.certificate\/v1/);
});

test("trusted issuers are the reader's choice: changing them re-verifies locally without asking the server again", async () => {
  await page.goto(`${baseUrl}/verify/${fixtures.valid.id}`);
  await page.locator('[data-verdict="valid"]').waitFor();
  const lookups = () => fake.requests.filter((r) => r === `GET /v1/public/certificates/${fixtures.valid.id}`).length;
  const before = lookups();
  await page.locator(".trust summary").click();
  await page.getByLabel("Issuer ids to trust (comma-separated)").fill("someone-else");
  await page.locator('tr[data-check="issuer"][data-ok="false"]').waitFor();
  expect(await page.locator('tr[data-check="issuer"] td.detail').innerText()).toBe("issuer assay-test is not in the allowed list");
  expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("invalid");
  // The server trusts its own issuer, so the two now disagree on that check, and it is flagged.
  expect(await page.locator(".disagreement").innerText()).toContain("issuer: this browser fail, server pass");
  expect(lookups()).toBe(before);
});

test("the anchor state is shown as the server reports it: pending", async () => {
  await page.goto(`${baseUrl}/verify/${PENDING_ID}`);
  await page.getByTestId("anchor-state").waitFor();
  expect(await page.getByTestId("anchor-state").innerText()).toBe("pending");
  expect((await checkOutcomes(page)).anchor).toBe("true");
  expect(await page.locator('tr[data-check="anchor"] td.detail').innerText()).toBe("pending");
});

test("a tampered certificate (payload field changed) fails the id check and is invalid", async () => {
  await page.goto(`${baseUrl}/verify/${TAMPERED_ID}`);
  await page.locator("[data-verdict]").waitFor();
  expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("invalid");
  const outcomes = await checkOutcomes(page);
  expect(outcomes.id).toBe("false");
  expect(outcomes["jws-payload"]).toBe("false");
  // The JWS itself is intact: the signature over the original bytes still verifies.
  expect(outcomes.signature).toBe("true");
  expect(await page.locator('tr[data-check="id"] td.detail').innerText()).toContain("hashes to");
});

test("a server that calls a tampered certificate valid is flagged as disagreeing", async () => {
  await page.goto(`${baseUrl}/verify/${LYING_ID}`);
  await page.locator(".disagreement").waitFor();
  expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("invalid");
  const text = await page.locator(".disagreement").innerText();
  expect(text).toContain("verdict: this browser invalid, server valid");
  expect(text).toContain("id: this browser fail, server pass");
});

test("dropping a certificate file verifies it, and a local artifact is checked against the subject digest", async () => {
  await page.goto(baseUrl);
  await page.getByLabel("Certificate id").waitFor();
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "certificate.json", { type: "application/json" }));
    return transfer;
  }, JSON.stringify(fixtures.valid));
  await page.getByTestId("certificate-drop").dispatchEvent("drop", { dataTransfer });
  await page.locator("[data-verdict]").waitFor();
  expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("valid");
  expect(await page.locator("[data-verdict]").innerText()).toContain("file certificate.json");

  await page.getByLabel("Artifact files").setInputFiles([
    { name: "sigma-runtime.json", mimeType: "application/json", buffer: Buffer.from(ARTIFACT.manifest) },
    { name: "index.js", mimeType: "text/javascript", buffer: Buffer.from(ARTIFACT.bundle) },
  ]);
  await page.locator('tr[data-check="artifact"] td.detail', { hasText: "local artifact matches" }).waitFor();
  expect(await page.locator(".artifact-check [role=status]").innerText()).toContain("matches");

  await page.getByLabel("Artifact files").setInputFiles([
    { name: "sigma-runtime.json", mimeType: "application/json", buffer: Buffer.from(ARTIFACT.manifest) },
    { name: "index.js", mimeType: "text/javascript", buffer: Buffer.from(ARTIFACT.bundle + "// changed\n") },
  ]);
  await page.locator('tr[data-check="artifact"][data-ok="false"]').waitFor();
  expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("invalid");
});

test("an unknown id shows the API's error as a sentence", async () => {
  await page.goto(`${baseUrl}/verify/0x${"12".repeat(32)}`);
  const alert = page.locator("main [role=alert]").first();
  await alert.waitFor();
  expect(await alert.innerText()).toContain("no certificate");
  expect(await alert.innerText()).toContain("HTTP 404, certificate_not_found");
});

test("the developer portal lists submissions from the API and follows one live", async () => {
  await page.goto(`${baseUrl}/developer`);
  await page.getByText("Use an API key instead").click();
  await page.getByLabel("API key").fill("ak_wrong");
  await page.getByRole("button", { name: "Use key" }).click();
  // A rejected key is an error in plain words with the API's detail, and never "Signed in".
  await page.locator("[role=alert]", { hasText: "The API rejected this API key." }).waitFor();
  expect(await page.locator("[role=alert]").innerText()).toContain("a valid API key is required");
  expect(await page.locator("main").innerText()).not.toContain("Signed in");

  await page.getByLabel("API key").fill(DEVELOPER_KEY);
  await page.getByRole("button", { name: "Use key" }).click();
  await page.locator("table.submissions tbody tr").first().waitFor();
  const rows = await page.$$eval("table.submissions tbody tr", (trs) => trs.map((tr) => (tr as HTMLElement).innerText));
  expect(rows).toHaveLength(SUBMISSIONS.length);
  expect(rows[0]).toContain("reference-runtime");
  expect(rows[1]).toContain("rejected");
  expect(rows[1]).toContain("SYNC_NOT_CONTAINED");

  // The key stays in this tab's session storage only (localStorage holds only the log checkpoints the verify page accepted).
  expect(await page.evaluate(() => [sessionStorage.length, Object.keys(localStorage).filter((k) => !k.startsWith("assay.log-checkpoint:")).length])).toEqual([1, 0]);

  await page.locator("table.submissions tbody tr").first().getByRole("link").first().click();
  await page.locator(".timeline li", { hasText: "certified" }).waitFor();
  const timeline = await page.$$eval(".timeline li .status", (badges) => badges.map((b) => (b as HTMLElement).innerText));
  expect(timeline).toEqual(["auditing", "in assembly", "certified"]);
  expect(await page.locator(".sparkline").count()).toBe(1);
  expect(await page.locator(".live").innerText()).toContain("DI of the latest turn (long-horizon, turn 3): measured 0.3100, reported by the runtime 0.3000");
  // Without a report the live figures are labelled as live.
  expect(await page.locator(".live").innerText()).toContain("Scenarios 7 of 7 (live)");
  expect(await page.locator(".drift-chart svg[role=img]").count()).toBe(1);
  await page.screenshot({ path: join(WEB_DIR, ".test-results", "submission-page.png"), fullPage: true });

  // The certificate the stream announced opens on the verify page and verifies.
  await page.getByRole("link", { name: /Verify certificate/ }).click();
  await page.locator("[data-verdict]").waitFor();
  expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("valid");
});

test("without an event stream the submission page polls to the final state", async () => {
  await page.goto(`${baseUrl}/developer`);
  await page.getByText("Use an API key instead").click();
  await page.getByLabel("API key").fill(DEVELOPER_KEY);
  await page.getByRole("button", { name: "Use key" }).click();
  await page.getByRole("link", { name: SUBMISSIONS[1]!.id.slice(0, 10), exact: false }).click();
  await page.locator(".live [role=status]", { hasText: "polling" }).waitFor();
  expect(await page.locator(".live [role=status]").innerText()).toContain("Cannot GET events (HTTP 404, not_found)");
  await page.locator(".timeline li .status", { hasText: "rejected" }).waitFor({ timeout: 15_000 });
  const timeline = await page.$$eval(".timeline li .status", (badges) => badges.map((b) => (b as HTMLElement).innerText));
  expect(timeline).toEqual(["auditing", "rejected"]);
});

test("the operator console: password + TOTP login, submissions, signing keys, revoking a certificate (confirmed)", async () => {
  await page.goto(`${baseUrl}/operator`);
  await page.getByLabel("Email").fill(OPERATOR.email);
  await page.getByLabel("Password").fill(OPERATOR.password);
  await page.getByLabel("Authenticator code").fill("000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("[role=alert]", { hasText: "email, password or authenticator code is wrong (HTTP 401, login_failed)" }).waitFor();

  await page.getByLabel("Authenticator code").fill(OPERATOR.totp);
  await page.getByRole("button", { name: "Sign in" }).click();
  // A route this fake does not have: the screen says so in plain words, with a next step.
  await page.locator("[role=alert]", { hasText: "Could not load the escalation queue" }).waitFor();
  expect(await page.locator("[role=alert]").innerText()).toContain("reload the list");
  await page.getByRole("button", { name: "Signing keys" }).click();
  await page.locator(`tr[data-kid="${fixtures.key.kid}"]`).waitFor();
  await page.getByRole("button", { name: "Submissions and certificates" }).click();
  await page.locator("table.submissions tbody tr").first().waitFor();
  expect(await page.locator("table.submissions tbody tr").count()).toBe(SUBMISSIONS.length);

  await page.getByLabel("Certificate id").fill(fixtures.second.id);
  await page.getByLabel("New status").selectOption("revoked");
  await page.getByRole("button", { name: "Change status" }).click();
  await page.locator("[role=alert]", { hasText: "needs a reason code" }).waitFor();
  await page.getByLabel(/Reason code/).fill("key_compromise");
  await page.getByRole("button", { name: "Change status" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Mark revoked" }).click();
  await page.locator("[role=status]", { hasText: "Certificate is now revoked (key_compromise)" }).waitFor();
  await page.getByRole("link", { name: "Verify it" }).click();

  await page.locator("[data-verdict]").waitFor();
  expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("invalid");
  // An invalid certificate's content is behind "show the unverified content"; the verdict names the status.
  expect(await page.getByTestId("verdict-status").innerText()).toContain("revoked (key_compromise)");
  await page.locator("details.untrusted summary").click();
  expect(await page.getByTestId("server-status").innerText()).toBe("revoked (key_compromise)");
  expect(await page.locator('tr[data-check="status"]').getAttribute("data-ok")).toBe("false");
  expect(await page.locator('tr[data-check="status"] td.detail').innerText()).toBe("revoked: key_compromise");
  expect(await page.locator(".disagreement").count()).toBe(0);
  await page.screenshot({ path: join(WEB_DIR, ".test-results", "verify-revoked.png"), fullPage: false });
});
