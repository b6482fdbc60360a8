// Builds the app once into a temporary directory and starts Debian's Chromium
// through playwright-core (never a downloaded browser; RECIPES "Web and browser tests").
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM_PATH = process.env.ASSAY_CHROMIUM_PATH ?? "/usr/bin/chromium";
export const WEB_DIR = join(__dirname, "..", "..");

export async function buildApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), "assay-web-dist-"));
  const vite = join(dirname(require.resolve("vite/package.json", { paths: [WEB_DIR] })), "bin", "vite.js");
  // process.execPath: the Node 22 that runs jest under npm/npx.
  await promisify(execFile)(process.execPath, [vite, "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "error"], {
    cwd: WEB_DIR,
    // NODE_ENV=production: jest runs with NODE_ENV=test, which Vite would pass on to React (its development build,
    // ~1.5× the bytes); the tests and the bench should load what `npm start` serves.
    env: { ...process.env, NODE_ENV: "production", VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
  });
  return outDir;
}

export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need Debian's Chromium. ` +
        "Install it with `apt-get update && apt-get install -y chromium` (never `npx playwright install`), " +
        "or point ASSAY_CHROMIUM_PATH at a Chromium binary.",
    );
  }
  const profile = mkdtempSync(join(tmpdir(), "assay-web-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1200, height: 900 },
    // The accessibility check injects axe-core as a script; the web server's CSP (script-src 'self',
    // asserted by test/server.test.ts) would refuse it. Only the tests' browser bypasses it.
    bypassCSP: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
