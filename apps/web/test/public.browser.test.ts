// A first-time visitor's path through the public pages, in Chromium against the
// REAL API, at 1280 and 390 px: find the certificate in the registry, open its
// permanent page (the badge loads), verify it in the browser (per-claim result,
// each check labelled computed / server-reported / not performed), see that a
// tampered certificate is not presented as a statement, paste JSON into the
// verify box. Every screen: no horizontal overflow, no serious axe violation,
// a screenshot under test-results/screens/.
import type { CertificateDocument } from "@assay/protocol";
import type { Page } from "playwright-core";
import { expectNoSeriousA11yViolations, saveScreen } from "./support/a11y";
import { launchChromium } from "./support/browser";
import { startPublicStack, type PublicStack } from "./support/public-stack";

const ISSUER = "assay:issuer:web-public";
const RUNTIME = `harbor-pilot-${Date.now().toString(36)}`;

let stack: PublicStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let certificate: CertificateDocument;

beforeAll(async () => {
  const [started, launched] = await Promise.all([startPublicStack(ISSUER), launchChromium()]);
  stack = started;
  browser = launched;
  certificate = await stack.issue(RUNTIME);
  // Another runtime, so the search has something to leave out.
  await stack.issue("other-runtime");
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function noHorizontalOverflow(page: Page, width: number): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.scrollingElement!.scrollWidth);
  if (scrollWidth > width) {
    // Name the elements that stick out, so a failure says where to look.
    const culprits = await page.evaluate((w) => {
      const out: string[] = [];
      for (const el of Array.from(document.querySelectorAll("body *"))) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 1 && out.length < 8) out.push(`${el.tagName.toLowerCase()}.${(el.className as unknown as string) || ""} right=${Math.round(r.right)}`);
      }
      return out;
    }, width);
    throw new Error(`horizontal overflow at ${width}px: scrollWidth ${scrollWidth}; ${culprits.join("; ")}`);
  }
}

async function checkScreen(page: Page, width: number, name: string): Promise<void> {
  await saveScreen(page, `public-${name}-${width}`);
  await noHorizontalOverflow(page, width);
  await expectNoSeriousA11yViolations(page, `${name} at ${width}px`);
}

describe.each([1280, 390])("at %i px wide", (width) => {
  let page: Page;
  beforeEach(async () => {
    page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 900 });
  });
  afterEach(async () => {
    await page.close();
  });

  test("registry → permanent page with its badge → verified in the browser, check by check", async () => {
    await page.goto(`${stack.webUrl}/registry`);
    await page.locator(".registry-results li").first().waitFor();
    await checkScreen(page, width, "registry");

    // Search by name: only this runtime's certificate.
    await page.getByLabel("Runtime name contains").fill(RUNTIME.slice(0, 12));
    await page.getByLabel("Claim", { exact: true }).selectOption("SRIP-03");
    await page.getByLabel("Status", { exact: true }).selectOption("certified");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/registry\?name=/);
    await page.waitForFunction((id) => {
      const items = document.querySelectorAll(".registry-results > li");
      return items.length === 1 && items[0]!.getAttribute("data-certificate") === id;
    }, certificate.id);
    // A search that matches nothing says so, with a way out.
    await page.getByLabel("Runtime name contains").fill("no-such-runtime-anywhere");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByTestId("registry-empty").waitFor();
    await checkScreen(page, width, "registry-empty");
    await page.getByLabel("Runtime name contains").fill(RUNTIME);
    await page.getByRole("button", { name: "Search" }).click();
    await page.locator(`li[data-certificate="${certificate.id}"] h2 a`).click();

    // The permanent page: registry facts and the API's badge.
    await page.waitForURL(`**/registry/${certificate.id}`);
    await page.locator("article.certificate-page").waitFor();
    const badge = page.getByTestId("badge");
    await badge.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="badge"]');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    expect(await badge.getAttribute("alt")).toContain(RUNTIME);
    expect(await page.locator("[data-registry-status]").first().getAttribute("data-registry-status")).toBe("certified");
    const claims = page.getByTestId("claims-evidence");
    expect(await claims.locator('li[data-srip="SRIP-03"]').getAttribute("data-granted")).toBe("true");
    expect(await claims.locator('li[data-srip="SRIP-13"]').getAttribute("data-granted")).toBe("false");
    expect(await claims.locator('li[data-srip="SRIP-03"]').innerText()).toMatch(/drift/i);
    await checkScreen(page, width, "certificate-page");

    // Verify it in the browser.
    await page.getByRole("link", { name: "Verify this certificate in your browser" }).click();
    await page.locator("[data-verdict]").waitFor();
    expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("valid");
    const rows = await page.$$eval("table.checks tbody tr", (trs) => trs.map((r) => [r.getAttribute("data-check"), r.getAttribute("data-provenance"), r.getAttribute("data-ok")]));
    const provenance = Object.fromEntries(rows.map(([name, p]) => [name, p]));
    expect(provenance).toEqual({
      schema: "computed",
      id: "computed",
      "jws-payload": "computed",
      signature: "computed",
      issuer: "computed",
      "time-window": "computed",
      status: "server-reported",
      anchor: "server-reported",
      artifact: "not-performed",
    });
    // A check not performed shows no tick.
    expect(await page.locator('tr[data-check="artifact"] td').first().innerText()).toMatch(/not performed/);
    expect(await page.locator('tr[data-check="artifact"] td').first().innerText()).not.toContain("✓");
    expect(await page.locator('tr[data-check="status"] td').first().innerText()).toContain("as reported by the server");
    // Per-claim result, with what each SRIP means, and metrics by name with threshold and result.
    expect(await page.locator("[data-trusted=true]").count()).toBe(1);
    expect(await page.getByTestId("claims-granted").locator("ul.claims li").allInnerTexts()).toEqual(["SRIP-03", "SRIP-05"]);
    expect(await page.locator(".srip-descriptions").innerText()).toMatch(/SRIP-05\s*Synchronisation is contained/);
    const metric = page.locator('tr[data-metric="srs.composite_drift_index.v1"]');
    expect(await metric.getAttribute("data-result")).toBe("pass");
    expect(await metric.innerText()).toContain("Drift index (DI), max");
    expect(await page.getByTestId("assembly-words").innerText()).toContain("3 pseudonymous validators");
    // Human times, not ISO strings.
    expect(await page.locator(".details").innerText()).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC/);
    await checkScreen(page, width, "verify-valid");
  });

  test("a tampered certificate pasted as JSON is not presented as a statement; an untouched one pasted verifies", async () => {
    // The subject renamed after signing: still well formed, but its id and signed bytes no longer match.
    const tampered = { ...certificate, payload: { ...certificate.payload, subject: { ...certificate.payload.subject, name: "someone-elses-runtime" } } };
    await page.goto(stack.webUrl);
    const box = page.getByLabel("Certificate id or certificate JSON");
    await box.fill(JSON.stringify(tampered, null, 2));
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await page.locator("[data-verdict]").waitFor();
    expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("invalid");
    expect(await page.locator('tr[data-check="id"]').getAttribute("data-ok")).toBe("false");
    // No trusted statement: the content is behind an explicit, closed "show the unverified content".
    expect(await page.locator("[data-trusted=true]").count()).toBe(0);
    const untrusted = page.locator("details.untrusted[data-trusted=false]");
    expect(await untrusted.count()).toBe(1);
    expect(await untrusted.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await page.getByTestId("claims-granted").isVisible()).toBe(false);
    await checkScreen(page, width, "verify-tampered");
    await untrusted.locator("summary").click();
    expect(await untrusted.innerText()).toContain("Unverified: this certificate failed verification");
    await checkScreen(page, width, "verify-tampered-open");

    // The genuine document, pasted: verified in the browser (its status looked up by id).
    await box.fill(JSON.stringify(certificate));
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await page.locator('[data-verdict="valid"]').waitFor();
    expect(await page.locator("[data-verdict]").innerText()).toContain("pasted JSON");
    // Broken JSON is explained in words.
    await box.fill('{"id": ');
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    expect(await page.locator(".id-form [role=alert]").innerText()).toContain("does not parse");
  });

  test("an unknown certificate and a bad id get plain words and a next step", async () => {
    await page.goto(`${stack.webUrl}/verify/0x${"ab".repeat(32)}`);
    const alert = page.locator("main [role=alert]").first();
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/no certificate with that id.*search the registry/);
    await checkScreen(page, width, "verify-unknown");
    await page.goto(`${stack.webUrl}/registry/not-an-id`);
    expect(await page.locator("main [role=alert]").first().innerText()).toContain("0x followed by 64 hexadecimal digits");
    await page.goto(`${stack.webUrl}/registry/0x${"cd".repeat(32)}`);
    expect(await page.locator("main [role=alert]").first().innerText()).toMatch(/no certificate with that id/);
    await checkScreen(page, width, "registry-unknown");
  });
});
