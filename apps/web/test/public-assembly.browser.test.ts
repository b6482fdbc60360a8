// The assembly as validators and the anchor read from the chain, in Chromium
// against the REAL API and a REAL Hardhat node (docs/decisions/0031): a
// certificate naming a real finished assembly record, anchored through the
// anchor service, verified on the verify page and shown on its registry page.
// The validator table shows the seated validators' pseudonymous ids, weights and
// per-claim verdicts; the anchor check is computed in this browser against the
// chain (a local development chain, labelled as such); a tampered anchor and a
// tampered record are flagged; with no RPC reachable the anchor falls back to
// server-reported. At 1280 and 390 px: no overflow, no serious axe violation, a
// screenshot per screen under test-results/screens/.
import type { CertificateDocument } from "@assay/protocol";
import type { FinishedAssemblyFixture } from "@assay/platform";
import type { Page } from "playwright-core";
import { expectNoSeriousA11yViolations, saveScreen } from "./support/a11y";
import { launchChromium } from "./support/browser";
import { startPublicStack, type PublicStack } from "./support/public-stack";

jest.setTimeout(300_000);

let stack: PublicStack;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let certificate: CertificateDocument;
let assembly: FinishedAssemblyFixture;
/** The public lookup's document (with its anchor block) after anchoring. */
let anchoredDocument: Record<string, unknown>;

beforeAll(async () => {
  const [started, launched] = await Promise.all([startPublicStack("assay:issuer:web-assembly", { chain: true }), launchChromium()]);
  stack = started;
  browser = launched;
  ({ document: certificate, assembly } = await stack.issueWithAssembly(`assembled-${Date.now().toString(36)}`));
  await stack.anchor([certificate.id]);
  const lookup = (await (await fetch(`${stack.apiUrl}/v1/public/certificates/${certificate.id}`)).json()) as Record<string, unknown>;
  expect(lookup.anchorState).toMatchObject({ state: "anchored" });
  const { status: _s, statusHistory: _h, anchorState: _a, registry: _r, report: _p, ...document } = lookup;
  anchoredDocument = document;
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function noHorizontalOverflow(page: Page, width: number): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.scrollingElement!.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(width);
}

async function checkScreen(page: Page, width: number, name: string): Promise<void> {
  await saveScreen(page, `public-assembly-${name}-${width}`);
  await noHorizontalOverflow(page, width);
  await expectNoSeriousA11yViolations(page, `${name} at ${width}px`);
}

/** The validator table holds exactly the seated validators, with their weights and revealed verdicts per claim. */
async function expectValidatorTable(page: Page): Promise<void> {
  const table = page.getByTestId("validator-table");
  await table.waitFor();
  expect(await table.locator("tbody tr").count()).toBe(assembly.votes.length);
  for (const seat of assembly.votes) {
    const row = table.locator(`tr[data-validator="${seat.validatorId}"]`);
    expect(await row.getAttribute("data-weight")).toBe(seat.weight);
    expect(await row.locator("code").getAttribute("title")).toBe(seat.validatorId);
    if (seat.vote) {
      expect(await row.getAttribute("data-seat-verdict")).toBe(seat.vote.verdict);
      for (const [srip, verdict] of Object.entries(seat.vote.claims)) expect((await row.locator(`td[data-claim="${srip}"]`).textContent())?.trim()).toBe(verdict);
    } else {
      expect(await row.getAttribute("data-seat-verdict")).toBe("no_show");
      expect(await row.textContent()).toContain("did not act");
    }
  }
}

async function anchorRow(page: Page) {
  const row = page.locator('table.checks tr[data-check="anchor"]');
  return { ok: await row.getAttribute("data-ok"), provenance: await row.getAttribute("data-provenance"), text: (await row.textContent()) ?? "" };
}

async function pasteDocument(page: Page, document: unknown): Promise<void> {
  await page.goto(`${stack.webUrl}/`);
  await page.getByLabel("Certificate id or certificate JSON").fill(JSON.stringify(document));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.locator("[data-verdict]").waitFor({ timeout: 120_000 });
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

  test("verify page: the validators of the assembly, the record bound to the certificate, the anchor read from the chain in this browser", async () => {
    await page.goto(`${stack.webUrl}/verify/${certificate.id}`);
    await page.locator("[data-verdict]").waitFor({ timeout: 120_000 });
    await page.locator('[data-testid="assembly"][data-record-ok="true"]').waitFor({ timeout: 60_000 });
    expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("valid");

    const anchor = await anchorRow(page);
    expect(anchor).toMatchObject({ ok: "true", provenance: "computed" });
    expect(anchor.text).toContain("computed in this browser");
    expect(anchor.text).toContain("local development chain (id 31337)");
    expect(anchor.text).toContain(`tx ${(anchoredDocument.anchor as { tx: string }).tx}`);

    expect(await page.locator('tr[data-check="record-digest"]').getAttribute("data-ok")).toBe("true");
    expect(await page.locator('tr[data-check="record-digest"]').textContent()).toContain(assembly.recordDigest);
    await expectValidatorTable(page);
    await page.getByTestId("validator-table").scrollIntoViewIfNeeded();
    await checkScreen(page, width, "verify");
  });

  test("a tampered anchor block is flagged by the chain read, in this browser", async () => {
    const anchorBlock = anchoredDocument.anchor as { root: string };
    const tampered = { ...anchoredDocument, anchor: { ...anchorBlock, root: `0x${"ee".repeat(32)}` } };
    await pasteDocument(page, tampered);
    expect(await page.locator("[data-verdict]").getAttribute("data-verdict")).toBe("invalid");
    const anchor = await anchorRow(page);
    expect(anchor).toMatchObject({ ok: "false", provenance: "computed" });
    expect(anchor.text).toContain("the batch root is not anchored on this registry");
    await checkScreen(page, width, "tampered-anchor");

    // Another transaction than the one that anchored the root: also caught.
    const otherTx = { ...anchoredDocument, anchor: { ...(anchoredDocument.anchor as object), block: 1 } };
    await pasteDocument(page, otherTx);
    expect(await anchorRow(page)).toMatchObject({ ok: "false", provenance: "computed" });
  });

  test("a record that is not the certificate's is flagged and its validators are not shown", async () => {
    await page.route("**/v1/public/certificates/*/assembly", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { record: { rounds: { tally: { ballots: { weight: string }[] } }[] }; seats: { weight: string }[] };
      // A server inflating one validator's weight, consistently in the rows and the record: only the digest can tell.
      body.record.rounds[0]!.tally.ballots[0]!.weight = "999999999";
      body.seats[0]!.weight = "999999999";
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${stack.webUrl}/verify/${certificate.id}`);
    await page.locator('[data-testid="assembly"][data-record-ok="false"]').waitFor({ timeout: 120_000 });
    expect(await page.locator('tr[data-check="record-digest"]').getAttribute("data-ok")).toBe("false");
    expect(await page.getByTestId("validator-table").count()).toBe(0);
    await page.getByTestId("assembly-untrusted").waitFor();
    await checkScreen(page, width, "tampered-record");
  });

  test("no RPC reachable: the anchor check is shown as server-reported", async () => {
    await page.route(`${stack.chain!.rpcUrl}/**`, (route) => route.abort());
    await page.route(stack.chain!.rpcUrl, (route) => route.abort());
    await page.goto(`${stack.webUrl}/verify/${certificate.id}`);
    await page.locator("[data-verdict]").waitFor({ timeout: 120_000 });
    const anchor = await anchorRow(page);
    expect(anchor).toMatchObject({ ok: "true", provenance: "server-reported" });
    expect(anchor.text).toContain("as reported by the server");
  });

  test("the certificate's registry page shows the same validators", async () => {
    await page.goto(`${stack.webUrl}/registry/${certificate.id}`);
    await page.locator('[data-testid="assembly"][data-record-ok="true"]').waitFor({ timeout: 120_000 });
    await expectValidatorTable(page);
    await checkScreen(page, width, "certificate-page");
  });
});
