// `assay submit --quote`, `assay credits`, `assay credits redeem` and `assay usage` against the real API with billing on: the breakdown
// (text and --json), and that the quote shown is exactly what intake holds.
import { join } from "node:path";
import { BullJobPublisher, createTestEnvironment, grantEntry, PLATFORM_REVENUE, sampleUnsignedCertificate, type TestEnvironment } from "@assay/platform";
import { loadRuntimeDirectory } from "../src/runtime-dir";
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
  const printed = JSON.parse(json.stdout) as Record<string, unknown>;
  // Exactly the issue's shape: { total, currency: "credits", lines: [{ kind, amount, detail }], catalogueVersion, expiresAt }.
  expect(Object.keys(printed)).toEqual(["total", "currency", "lines", "catalogueVersion", "expiresAt"]);
  const quote = QuoteSchema.omit({ campaign: true }).parse(printed);
  expect(quote.lines.every((l) => Object.keys(l).join() === "kind,amount,detail")).toBe(true);
  expect(quote).toMatchObject({ currency: "credits", catalogueVersion: 0 });
  expect(quote.lines.every((l) => typeof l.kind === "string" && Number.isInteger(l.amount) && typeof l.detail === "string")).toBe(true);
  expect(await app.platform.db.submission.count()).toBe(0);

  // Without credits the submission is refused (402) with a message; with them, exactly the quote is held.
  const before = await app.platform.store.rowCounts();
  const refused = await assay(["submit", REFERENCE, "--json"]);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(/credits/);
  expect(await app.platform.store.rowCounts()).toEqual(before); // 402: no row in any table
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
  const one = await assay(["usage", "--submission", submission!.id, "--json"]);
  expect(one.code).toBe(0);
  expect(JSON.parse(one.stdout)).toEqual(await app.platform.usage.totals({ submissionId: submission!.id }));
  expect((await assay(["usage", "--submission", "not-an-id"])).code).toBe(2);
  expect((await assay(["usage", "--from", "yesterday"])).code).toBe(2);
  // One submission's usage, assembly seats included.
  expect(JSON.parse(one.stdout)).toMatchObject({ model_output_tokens: "77", assembly_seats: "0" });
});

it("with enough credits, the quote shown by --quote --json is exactly what is captured once the submission is certified", async () => {
  // A running campaign makes the price non-trivial (suite + complexity − discount).
  const campaign = await app.platform.pricing.createCampaign(
    { name: `cli-e2e-${Date.now()}`, discount: { kind: "fixed", credits: 7 }, maxUses: null, perDeveloperLimit: null, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() },
    "operator:test",
  );
  const shown = JSON.parse((await assay(["submit", REFERENCE, "--quote", "--json"])).stdout) as { total: number; lines: { kind: string; amount: number }[] };
  expect(shown.lines.map((l) => l.kind)).toContain("discount");
  const balanceBefore = await app.platform.ledger.developerBalance(developerId);
  const submitted = await assay(["submit", REFERENCE, "--json"]);
  expect(submitted.code).toBe(0);
  const { id } = JSON.parse(submitted.stdout) as { id: string };

  // What the workers do (as in real-api.test.ts): audit, then certification issues the certificate (→ certified, which settles the hold).
  const runtime = await loadRuntimeDirectory(REFERENCE);
  await app.platform.submissions.transition(id, "auditing", { actor: "test" });
  await app.platform.submissions.transition(id, "in_assembly", { actor: "test" });
  await app.platform.certificates.issue(id, sampleUnsignedCertificate({ name: runtime.manifest.name, version: runtime.manifest.version, digest: runtime.subjectDigest }), "test");
  expect((await app.platform.submissions.get(id)).status).toBe("certified");

  // The ledger's settle entry: the hold comes off held, and what is captured (every leg that is not the developer's own
  // accounts: platform revenue and the validators' share) is the total shown; nothing returns to the developer.
  const entry = await app.platform.db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: `settle:${id}` }, include: { lines: true } });
  const own = [`developer:${developerId}`, `developer_held:${developerId}`];
  expect(entry.lines.filter((l) => !own.includes(l.account)).map((l) => l.account)).toContain(PLATFORM_REVENUE);
  expect(entry.lines.find((l) => l.account === `developer:${developerId}`)).toBeUndefined();
  const captured = entry.lines.filter((l) => !own.includes(l.account)).reduce((s, l) => s + l.amount, 0n);
  expect(captured).toBe(BigInt(shown.total));
  expect(entry.lines.find((l) => l.account === `developer_held:${developerId}`)!.amount).toBe(-BigInt(shown.total));
  expect(await app.platform.db.submissionCharge.findUniqueOrThrow({ where: { submissionId: id } })).toMatchObject({ status: "captured", total: BigInt(shown.total) });
  expect(await app.platform.ledger.developerBalance(developerId)).toEqual({ ...balanceBefore, available: balanceBefore.available - shown.total });
  await app.platform.pricing.disableCampaign(campaign.id, "operator:test");
});
