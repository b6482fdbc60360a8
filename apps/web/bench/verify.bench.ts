// The verify page in Chromium against the REAL API and a REAL Hardhat node: time
// to a verified result (the verdict on screen after every in-browser check,
// transparency log included, the anchor read from the chain in the browser and
// the assembly record's digest checked with its validator table shown) for a
// certificate with a full assembly record (real seats, commits, reveals, tally)
// and an on-chain anchor, median of 5, with a cold cache (a fresh browser
// profile per run) and a warm one (the same profile, after one load); and the
// JavaScript each route downloads (code-split routes and vendor chunks).
// Writes bench-results/web.json. Asserts nothing about absolute times.
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { launchChromium, WEB_DIR } from "../test/support/browser";
import { startPublicStack, type PublicStack } from "../test/support/public-stack";

const RUNS = 5;
const ROUTES = ["/", "/registry", "/developer", "/validator", "/operator"];

let stack: PublicStack;
beforeAll(async () => {
  stack = await startPublicStack("assay:issuer:web-bench", { chain: true });
}, 420_000);
afterAll(async () => {
  await stack?.stop();
});

/** Milliseconds from navigation start to the verdict being on screen, measured in the page. */
async function timeToVerified(context: BrowserContext, url: string): Promise<{ ms: number; verdict: string | null }> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    // Verified: the verdict, the anchor computed from the chain in this browser, the record checked and its validators on screen.
    const handle = await page.waitForFunction(
      () =>
        document.querySelector("section[data-verdict]") &&
        document.querySelector('table.checks tr[data-check="anchor"][data-provenance="computed"]') &&
        document.querySelector('[data-testid="assembly"][data-record-ok="true"] [data-testid="validator-table"]')
          ? performance.now()
          : false,
      undefined,
      { polling: "raf", timeout: 120_000 },
    );
    const ms = (await handle.jsonValue()) as number;
    return { ms: Math.round(ms), verdict: await page.locator("section[data-verdict]").getAttribute("data-verdict") };
  } finally {
    await page.close();
  }
}

type RouteJs = { files: number; encodedBytes: number; decodedBytes: number; chunks: string[] };

async function scriptBytes(context: BrowserContext, url: string, ready: string): Promise<RouteJs> {
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.locator(ready).first().waitFor({ timeout: 120_000 });
    // Late chunks (the verify page's viem import) arrive after the first heading: let the network settle.
    await page.waitForLoadState("networkidle").catch(() => undefined);
    return await page.evaluate(() => {
      const js = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((e) => e.initiatorType === "script" || e.name.endsWith(".js"));
      const name = (url: string) => new URL(url).pathname.split("/").pop()!.replace(/-[A-Za-z0-9_-]{8}\.js$/, "");
      return { files: js.length, encodedBytes: js.reduce((s, e) => s + e.encodedBodySize, 0), decodedBytes: js.reduce((s, e) => s + e.decodedBodySize, 0), chunks: js.map((e) => name(e.name)).sort() };
    });
  } finally {
    await page.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test("verify page: time to a verified result (cold and warm cache) and JS per route", async () => {
  const { document: certificate, assembly } = await stack.issueWithAssembly("bench-runtime");
  expect(certificate.payload.level).toBe("assembly");
  await stack.anchor([certificate.id]);
  const url = `${stack.webUrl}/verify/${certificate.id}`;

  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const browser = await launchChromium();
    try {
      const r = await timeToVerified(browser.context, url);
      expect(r.verdict).toBe("valid");
      cold.push(r.ms);
    } finally {
      await browser.close();
    }
  }

  const warm: number[] = [];
  const browser = await launchChromium();
  const perRoute: Record<string, RouteJs> = {};
  try {
    await timeToVerified(browser.context, url);
    for (let i = 0; i < RUNS; i++) {
      const r = await timeToVerified(browser.context, url);
      expect(r.verdict).toBe("valid");
      warm.push(r.ms);
    }
  } finally {
    await browser.close();
  }
  // JS per route, each in a fresh profile (nothing cached, so every script is fetched and counted).
  for (const route of [...ROUTES, `/verify/${certificate.id}`, `/registry/${certificate.id}`]) {
    const fresh = await launchChromium();
    try {
      perRoute[route.replace(certificate.id, ":id")] = await scriptBytes(fresh.context, `${stack.webUrl}${route}`, "main h1, main h2");
    } finally {
      await fresh.close();
    }
  }

  const result = {
    bench: "web verify page",
    when: new Date().toISOString(),
    loadAverageAtEnd: loadavg()[0],
    certificate: {
      level: certificate.payload.level,
      seats: certificate.payload.assembly?.seats ?? null,
      validatorsInRecord: assembly.votes.length,
      anchored: true,
    },
    timeToVerifiedMs: {
      cold: { median: median(cold), min: Math.min(...cold), max: Math.max(...cold), runs: cold },
      warm: { median: median(warm), min: Math.min(...warm), max: Math.max(...warm), runs: warm },
    },
    javascriptPerRoute: perRoute,
  };
  const outDir = join(WEB_DIR, "bench-results");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "web.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
});
