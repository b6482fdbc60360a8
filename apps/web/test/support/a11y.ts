// Accessibility and screenshots for the browser tests: axe-core runs inside the
// page (its script is injected from node_modules, never downloaded) and the test
// fails on a serious or critical violation; every screen a test visits is saved
// under apps/web/test-results/screens/ (not committed) for a person to look at.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { WEB_DIR } from "./browser";

const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js", { paths: [WEB_DIR] }), "utf8");
export const SCREENS_DIR = join(WEB_DIR, "test-results", "screens");

export type A11yViolation = { id: string; impact: string | null; help: string; targets: string[] };

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<A11yViolation[]> {
  const hasAxe = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === "object");
  if (!hasAxe) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Fails (throws) when axe finds a serious or critical violation; names each one. */
export async function expectNoSeriousA11yViolations(page: Page, screen: string): Promise<void> {
  const found = await seriousA11yViolations(page);
  if (found.length > 0) {
    throw new Error(`${screen}: ${found.length} serious accessibility violation(s):\n` + found.map((v) => `- ${v.id} (${v.impact}): ${v.help} at ${v.targets.slice(0, 3).join(", ")}`).join("\n"));
  }
}

/** Saves a full-page screenshot as test-results/screens/<name>.png. */
export async function saveScreen(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name.replace(/[^a-z0-9._-]+/gi, "-")}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
