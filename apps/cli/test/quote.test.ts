// `assay submit --quote`, `assay credits`, `assay credits redeem` and `assay usage` against the real API with billing on: the breakdown
// (text and --json), and that the quote shown is exactly what intake holds.
import { join } from "node:path";
import { BullJobPublisher, createTestEnvironment, grantEntry, type TestEnvironment } from "@assay/platform";
import { createApp, type ApiApp } from "@assay/api";
import { QuoteSchema } from "@assay/protocol";
import type { AddressInfo } from "node:net";
import { REPO_ROOT, removeTempDirs, runCli, tempDir } from "./helpers";

jest.setTimeout(90_000);

const REFERENCE = join(REPO_ROOT, "examples/runtimes/reference");
let env: TestEnvironment;
let app: ApiApp;
let url: string;
let apiKey: string;
let developerId: string;
let home: string;

beforeAll(async () => {
  env = createTestEnvironment({ ASSAY_BILLING_ENFORCED: "true" });
  app = await createApp(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) });
  await app.app.listen(0, "127.0.0.1");
  url = `http://127.0.0.1:${(app.app.getHttpServer().address() as AddressInfo).port}`;
  const developer = await app.platform.developers.create({ email: `cli-quote-${Date.now()}@example.com`, name: "CLI Quote" });
  developerId = developer.id;
  apiKey = (await app.platform.apiKeys.create(developer.id, "cli")).key;
  home = tempDir("assay-home-");
});

afterAll(async () => {
  await app.close();
  await env.cleanup();
  removeTempDirs();
});

const assay = (args: string[]) => runCli(args, { env: { HOME: home, XDG_CONFIG_HOME: "", NO_COLOR: "1", ASSAY_API_URL: url, ASSAY_API_KEY: apiKey } });

it("assay submit --quote prints the breakdown, submits nothing, and the price shown is the price held", async () => {
  const text = await assay(["submit", REFERENCE, "--quote"]);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/suite\s+suite core v1/);
  expect(text.stdout).toMatch(/credits \(catalogue v0, valid until /);

  const json = await assay(["submit", REFERENCE, "--quote", "--json"]);
  expect(json.code).toBe(0);
  const quote = QuoteSchema.parse(JSON.parse(json.stdout));
  expect(quote).toMatchObject({ currency: "credits", catalogueVersion: 0 });
  expect(quote.lines.every((l) => typeof l.kind === "string" && Number.isInteger(l.amount) && typeof l.detail === "string")).toBe(true);
  expect(await app.platform.db.submission.count()).toBe(0);

  // Without credits the submission is refused (402) with a message; with them, exactly the quote is held.
  const refused = await assay(["submit", REFERENCE, "--json"]);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(/credits/);
  await app.platform.ledger.post(grantEntry({ requestKey: `cli-${developerId}`, developerId, amount: 10_000n, actor: "test" }));
  const submitted = await assay(["submit", REFERENCE, "--json"]);
  expect(submitted.code).toBe(0);
  expect(await app.platform.ledger.developerBalance(developerId)).toEqual({ available: 10_000 - quote.total, held: quote.total, currency: "credits" });
  expect((await assay(["submit", REFERENCE, "--quote", "--wait"])).code).toBe(2);
});

it("assay credits shows the balance; assay credits redeem CODE credits once", async () => {
  const { code } = await app.platform.vouchers.create({ amount: 700, maxUses: 5, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, "operator:test");
  const before = JSON.parse((await assay(["credits", "--json"])).stdout) as { available: number };
  const redeemed = await assay(["credits", "redeem", code, "--json"]);
  expect(redeemed.code).toBe(0);
  expect(JSON.parse(redeemed.stdout)).toMatchObject({ credited: 700, balance: { available: before.available + 700 } });
  const again = await assay(["credits", "redeem", code]);
  expect(again.code).not.toBe(0);
  expect(again.stderr).toMatch(/redeemed this voucher already/);
  const text = await assay(["credits"]);
  expect(text.stdout).toMatch(new RegExp(`^${before.available + 700} credits available, \\d+ held`));
  expect((await assay(["credits", "redeem", "nonsense"])).code).toBe(2);
});

it("assay usage prints the metered totals, by period", async () => {
  const [submission] = await app.platform.db.submission.findMany({ where: { developerId }, take: 1 });
  await app.platform.usage.recordForSubmission(submission!.id, "cli-usage", { model_output_tokens: 77 });
  const json = await assay(["usage", "--json"]);
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toMatchObject({ model_output_tokens: "77" });
  const later = await assay(["usage", "--from", new Date(Date.now() + 3_600_000).toISOString(), "--json"]);
  expect(JSON.parse(later.stdout)).toMatchObject({ model_output_tokens: "0" });
  expect((await assay(["usage"])).stdout).toMatch(/model_output_tokens\s+77/);
  expect((await assay(["usage"])).stdout).toMatch(/assembly_seats\s+\d+/);
  expect((await assay(["usage", "--from", "yesterday"])).code).toBe(2);
  // One submission's usage, assembly seats included.
  const one = await assay(["usage", "--submission", submission!.id, "--json"]);
  expect(JSON.parse(one.stdout)).toMatchObject({ model_output_tokens: "77", assembly_seats: "0" });
  expect((await assay(["usage", "--submission", "not-an-id"])).code).toBe(2);
});
