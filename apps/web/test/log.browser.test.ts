// The verify page checks the transparency log in the browser (docs/decisions/0016)
// with @assay/protocol's checkTransparencyLog, the function `assay verify` runs:
// inclusion of the certificate under the latest checkpoint, the checkpoint's
// signed-note Ed25519 signature against the issuer's JWKS, and consistency with
// the checkpoint this browser saw before (kept in localStorage). The fake API's
// log is a real RFC 9162 log (test/support/fake-log.ts) that a test can rewrite.
import { rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { generateSigningKey, issuedEntry, logLeafText, logOrigin, signCertificate, type CertificateDocument } from "@assay/protocol";
import { createWebServer } from "../server/web-server";
import { buildApp, launchChromium } from "./support/browser";
import { ISSUER_ID, makeFixtures, type Fixtures } from "./support/certificates";
import { fakeApi, type StoredCertificate } from "./support/fake-api";

jest.setTimeout(120_000);

let browser: Awaited<ReturnType<typeof launchChromium>>;
let distDir: string;
let server: Server;
let baseUrl: string;
let fixtures: Fixtures;
let fake: ReturnType<typeof fakeApi>;
let unlogged: CertificateDocument;
let page: Page;
const pageErrors: string[] = [];
const STORAGE_KEY = `assay.log-checkpoint:${logOrigin(ISSUER_ID)}`;

beforeAll(async () => {
  const [launched, built, made] = await Promise.all([launchChromium(), buildApp(), makeFixtures()]);
  browser = launched;
  distDir = built;
  fixtures = made;
  // A genuine certificate (signed by the issuer's key) that the issuer never put in its log.
  const payload = { ...fixtures.valid.payload, audit: { ...fixtures.valid.payload.audit, seed: 99 } } as Parameters<typeof signCertificate>[0];
  unlogged = await signCertificate(payload, { privateKey: fixtures.key.privateJwk, kid: fixtures.key.kid });
  const certificates = new Map<string, StoredCertificate>([
    [fixtures.valid.id, { document: fixtures.valid }],
    [fixtures.second.id, { document: fixtures.second }],
    [unlogged.id, { document: unlogged, notInLog: true }],
  ]);
  fake = fakeApi(fixtures, certificates);
  server = createWebServer({ distDir, api: fake.handler });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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

async function verify(id: string): Promise<{ verdict: string; log: Record<string, { ok: string; detail: string }>; certificateChecksOk: boolean }> {
  await page.goto(`${baseUrl}/verify/${id}`);
  await page.locator("[data-verdict]").waitFor();
  const log = await page.$$eval("table.log-checks tbody tr", (rows) =>
    Object.fromEntries(rows.map((r) => [r.getAttribute("data-check"), { ok: r.getAttribute("data-ok") ?? "", detail: (r.querySelector("td.detail") as HTMLElement).innerText }])),
  );
  const certificateChecks = await page.$$eval("table.checks tbody tr", (rows) => rows.map((r) => r.getAttribute("data-ok")));
  return { verdict: (await page.locator("[data-verdict]").getAttribute("data-verdict")) ?? "", log, certificateChecksOk: certificateChecks.length === 9 && certificateChecks.every((ok) => ok === "true") };
}

const saved = () => page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY).then((raw) => (raw ? (JSON.parse(raw) as { treeSize: number; rootHash: string }) : null));

test("passes: the certificate is included under a checkpoint signed with the issuer's key; the first checkpoint is kept in localStorage, later ones must extend it", async () => {
  const first = await verify(fixtures.valid.id);
  expect(first.verdict).toBe("valid");
  expect(first.log["log-inclusion"]).toEqual({ ok: "true", detail: "included at index 0 of 2" });
  expect(first.log["log-consistency"]).toEqual({ ok: "true", detail: "first checkpoint seen (size 2); saved" });
  expect(await saved()).toMatchObject({ treeSize: 2 });

  // The log grows (another issuance): the new checkpoint is proven to extend the saved one, which it replaces.
  fake.log.leaves.push(logLeafText(issuedEntry(`0x${"7".repeat(64)}`, fixtures.valid.payload.issuedAt)));
  const second = await verify(fixtures.second.id);
  expect(second.verdict).toBe("valid");
  expect(second.log["log-inclusion"]).toEqual({ ok: "true", detail: "included at index 1 of 3" });
  expect(second.log["log-consistency"]).toEqual({ ok: "true", detail: "extends the saved checkpoint (size 2 → 3)" });
  expect(await saved()).toMatchObject({ treeSize: 3 });
  expect(await page.locator("section.log").getAttribute("data-log-ok")).toBe("true");
});

test("fails: a certificate the log does not hold (log-inclusion), though every check of the certificate itself passes", async () => {
  const result = await verify(unlogged.id);
  expect(result.certificateChecksOk).toBe(true);
  expect(result.verdict).toBe("invalid");
  expect(result.log["log-inclusion"]).toEqual({ ok: "false", detail: `certificate ${unlogged.id} is not in the issuer's transparency log` });
  expect(await page.locator("[data-verdict]").innerText()).toContain("log-inclusion");
  // The server's verify does not know about the log, so this is not a disagreement with it.
  expect(await page.locator(".disagreement").count()).toBe(0);
});

test("fails: a checkpoint not signed by a key of the issuer's JWKS (signed-note Ed25519 signature)", async () => {
  const genuine = fake.log.key;
  fake.log.key = await generateSigningKey();
  try {
    const result = await verify(fixtures.valid.id);
    expect(result.verdict).toBe("invalid");
    expect(result.log["log-inclusion"]).toEqual({ ok: "false", detail: "checkpoint rejected: no signature on the checkpoint verifies with the issuer's keys" });
    expect(result.log["log-consistency"]?.ok).toBe("false");
  } finally {
    fake.log.key = genuine;
  }
  expect(await saved()).toMatchObject({ treeSize: 3 }); // nothing replaced the saved checkpoint
});

test("fails: a log rewritten since the checkpoint saved in this browser (a fork), and one truncated below it", async () => {
  await page.goto(baseUrl);
  const before = await saved();
  expect(before).toMatchObject({ treeSize: 3 });
  const honest = [...fake.log.leaves];
  try {
    fake.log.leaves[2] = logLeafText(issuedEntry(`0x${"8".repeat(64)}`, fixtures.valid.payload.issuedAt));
    fake.log.leaves.push(logLeafText(issuedEntry(`0x${"9".repeat(64)}`, fixtures.valid.payload.issuedAt)));
    const forked = await verify(fixtures.valid.id);
    expect(forked.verdict).toBe("invalid");
    expect(forked.log["log-inclusion"]?.ok).toBe("true");
    expect(forked.log["log-consistency"]).toEqual({ ok: "false", detail: "the log at size 4 does not extend the saved checkpoint of size 3 (forked or rewritten)" });

    fake.log.leaves = honest.slice(0, 2);
    const truncated = await verify(fixtures.valid.id);
    expect(truncated.log["log-consistency"]).toEqual({ ok: "false", detail: "the log shrank from 3 to 2 entries since the saved checkpoint (truncated or rolled back)" });
  } finally {
    fake.log.leaves = honest;
  }
  expect(await saved()).toEqual(before);
  // The honest log again: consistent with what this browser saved.
  expect((await verify(fixtures.valid.id)).log["log-consistency"]).toEqual({ ok: "true", detail: "same checkpoint as saved (size 3)" });
});
