// Pricing and charges: the quote as a pure function (fast-check), and on real
// PostgreSQL + Redis the intake hold (402 writes nothing), the capture by
// outcome, the release on a platform failure, and a first-N campaign under 20
// concurrent submissions.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { PriceCatalogue } from "@assay/protocol";
import {
  BullJobPublisher,
  captureFor,
  computeQuote,
  createPlatform,
  DEFAULT_CATALOGUE,
  developerAccount,
  grantEntry,
  PLATFORM_REVENUE,
  type CampaignState,
  type Platform,
} from "../src";
import { PaymentRequiredError } from "../src/errors";
import { createTestEnvironment, sampleManifest, samplePackedRuntime, type TestEnvironment } from "../src/testing";

const NOW = new Date("2026-12-02T01:00:00.000Z");
const facts = { suite: "core", bundleBytes: 1000, claims: 2, assemblySeats: 5 };

function campaign(overrides: Partial<CampaignState> = {}): CampaignState {
  return {
    id: "c1",
    name: "launch",
    discount: { kind: "percent", bps: 2500 },
    maxUses: null,
    usedCount: 0,
    perDeveloperLimit: null,
    usedByDeveloper: 0,
    startsAt: new Date("2026-12-01T00:00:00Z"),
    endsAt: new Date("2026-12-31T00:00:00Z"),
    disabledAt: null,
    ...overrides,
  };
}

describe("quote (pure)", () => {
  it("follows the documented formulas on the default catalogue", () => {
    const q = computeQuote({ catalogue: DEFAULT_CATALOGUE, catalogueVersion: 0, campaigns: [], facts, now: NOW });
    // suite 100; turn budget 64 (included), bundle under 256 KiB, 2 claims: +5 % → ceil(100 × 0.05) = 5; assembly of 5 seats: 50.
    expect(q.lines.map((l) => [l.kind, l.amount])).toEqual([["suite", 100], ["complexity", 5], ["assembly", 50]]);
    expect(q).toMatchObject({ total: 155, currency: "credits", catalogueVersion: 0, campaign: null, expiresAt: "2026-12-02T01:15:00.000Z" });
    const discounted = computeQuote({ catalogue: DEFAULT_CATALOGUE, catalogueVersion: 0, campaigns: [campaign()], facts, now: NOW });
    expect(discounted.lines.at(-1)).toEqual({ kind: "discount", amount: -38, detail: "campaign launch (25 %)" });
    expect(discounted.total).toBe(117);
  });

  it("is a pure function: same inputs, same quote; total = sum of lines, 0 ≤ total ≤ undiscounted", () => {
    const arbCampaign = fc.record({
      id: fc.uuid(),
      bps: fc.integer({ min: 1, max: 10_000 }),
      fixed: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
      maxUses: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
      usedCount: fc.integer({ min: 0, max: 6 }),
      startOffset: fc.integer({ min: -10, max: 10 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(arbCampaign, { maxLength: 4 }),
        (bundleBytes, claims, seats, cs) => {
          const campaigns = cs.map((c) =>
            campaign({
              id: c.id,
              discount: c.fixed !== undefined ? { kind: "fixed", credits: c.fixed } : { kind: "percent", bps: c.bps },
              maxUses: c.maxUses,
              usedCount: c.usedCount,
              startsAt: new Date(NOW.getTime() + c.startOffset * 60_000),
            }),
          );
          const input = { catalogue: DEFAULT_CATALOGUE, catalogueVersion: 3, campaigns, facts: { suite: "core", bundleBytes, claims, assemblySeats: seats }, now: NOW };
          const q = computeQuote(input);
          expect(computeQuote(input)).toEqual(q);
          expect(q.total).toBe(q.lines.reduce((s, l) => s + l.amount, 0));
          const undiscounted = computeQuote({ ...input, campaigns: [] }).total;
          expect(q.total).toBeGreaterThanOrEqual(0);
          expect(q.total).toBeLessThanOrEqual(undiscounted);
          // No campaign that is exhausted or not yet started is ever applied.
          if (q.campaign) {
            const used = campaigns.find((c) => c.id === q.campaign!.id)!;
            expect(used.maxUses === null || used.usedCount < used.maxUses).toBe(true);
            expect(used.startsAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
          }
          for (const status of ["certified", "rejected", "failed"] as const) {
            for (const assemblyConvened of [true, false]) {
              const c = captureFor(q, { status, assemblyConvened });
              expect(c.captured >= 0n && c.captured <= BigInt(q.total)).toBe(true);
              expect(c.rewardsShare >= 0n && c.rewardsShare <= c.captured).toBe(true);
              if (status === "failed") expect(c.captured).toBe(0n);
              if (status === "certified") expect(c.captured).toBe(BigInt(q.total));
            }
          }
        },
      ),
    );
  });

  it("prices per suite version (the suite's last entry is in force) and per assembly size", () => {
    const catalogue: PriceCatalogue = {
      ...DEFAULT_CATALOGUE,
      suites: [
        { suite: "core", version: "1", price: 100, turnBudget: 64 },
        { suite: "core", version: "2", price: 140, turnBudget: 64 },
      ] as unknown as PriceCatalogue["suites"],
      assembly: { sizes: [{ seats: 3, price: 20 }, { seats: 5, price: 50 }], perSeat: 10 },
    };
    const at = (f: Partial<typeof facts> & { suiteVersion?: string }) => computeQuote({ catalogue, catalogueVersion: 4, campaigns: [], facts: { ...facts, claims: 1, ...f }, now: NOW });
    expect(at({ assemblySeats: 0 }).lines).toEqual([{ kind: "suite", amount: 140, detail: "suite core v2" }]);
    expect(at({ assemblySeats: 0, suiteVersion: "1" }).total).toBe(100);
    expect(() => at({ suiteVersion: "9" })).toThrow(/no price for suite core version 9/);
    expect(at({ assemblySeats: 3 }).lines.at(-1)).toEqual({ kind: "assembly", amount: 20, detail: "validator assembly of 3 seats" });
    expect(at({ assemblySeats: 5 }).total).toBe(190);
    expect(at({ assemblySeats: 4 }).total).toBe(180); // unlisted: 10 per seat
  });

  it("a campaign applies in [startsAt, endsAt), not disabled, under its limits; percent and fixed", () => {
    const c = campaign({ startsAt: new Date(NOW.getTime() - 1000), endsAt: new Date(NOW.getTime() + 1000) });
    const q = (cs: CampaignState[], now = NOW) => computeQuote({ catalogue: DEFAULT_CATALOGUE, catalogueVersion: 0, campaigns: cs, facts, now });
    expect(q([c]).campaign).toEqual({ id: "c1", name: "launch" });
    expect(q([c], new Date(NOW.getTime() - 1001)).campaign).toBeNull(); // before the start
    expect(q([c], new Date(NOW.getTime() + 999)).campaign).not.toBeNull();
    expect(q([c], new Date(NOW.getTime() + 1000)).campaign).toBeNull(); // the end is exclusive
    expect(q([{ ...c, disabledAt: NOW }]).campaign).toBeNull();
    expect(q([{ ...c, maxUses: 3, usedCount: 3 }]).campaign).toBeNull(); // first-N used up
    expect(q([{ ...c, perDeveloperLimit: 1, usedByDeveloper: 1 }]).campaign).toBeNull();
    expect(q([{ ...c, discount: { kind: "fixed", credits: 30 } }]).total).toBe(155 - 30);
    expect(q([{ ...c, discount: { kind: "fixed", credits: 10_000 } }]).total).toBe(0); // never below zero
    // The largest discount wins.
    expect(q([c, { ...c, id: "c2", name: "big", discount: { kind: "fixed", credits: 60 } }]).campaign).toEqual({ id: "c2", name: "big" });
  });

  it("caps the complexity multiplier and prices an unlisted assembly size per seat", () => {
    const big = computeQuote({ catalogue: DEFAULT_CATALOGUE, catalogueVersion: 0, campaigns: [], facts: { suite: "core", bundleBytes: 50_000_000, claims: 3, assemblySeats: 7 }, now: NOW });
    expect(big.lines.find((l) => l.kind === "complexity")!.amount).toBe(200); // ×3 cap on 100
    expect(big.lines.find((l) => l.kind === "assembly")!.amount).toBe(70);
    const catalogue: PriceCatalogue = { ...DEFAULT_CATALOGUE, suites: [] as unknown as PriceCatalogue["suites"] };
    expect(() => computeQuote({ catalogue, catalogueVersion: 0, campaigns: [], facts, now: NOW })).toThrow(/no price for suite/);
  });
});

describe("charges on PostgreSQL", () => {
  let env: TestEnvironment;
  let platform: Platform;

  beforeAll(async () => {
    env = createTestEnvironment({ ASSAY_BILLING_ENFORCED: "true" });
    platform = await createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) });
  }, 60_000);

  afterAll(async () => {
    await platform.close();
    await env.cleanup();
  }, 30_000);

  async function developer(credits: number): Promise<string> {
    const id = (await platform.developers.create({ email: `${randomUUID()}@example.com`, name: "Dev" })).id;
    if (credits > 0) await platform.ledger.post(grantEntry({ requestKey: randomUUID(), developerId: id, amount: BigInt(credits), actor: "test" }));
    return id;
  }

  const runtime = (version = "1.0.0", name = "sample-runtime") => samplePackedRuntime({ manifest: sampleManifest({ version, name }) });

  it("without enough credits: 402 insufficient_credits, no row written, no job queued", async () => {
    const dev = await developer(10);
    const before = await platform.store.rowCounts();
    const err = await platform.submissions.create(dev, runtime()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentRequiredError);
    expect(err).toMatchObject({ code: "insufficient_credits", details: { needed: 105, available: 10, currency: "credits" } });
    expect(await platform.store.rowCounts()).toEqual(before);
  });

  it("with enough: the quote is snapshotted and held, and certification captures exactly the quote", async () => {
    const dev = await developer(1000);
    const quote = await platform.submissions.quote(dev, runtime());
    expect(quote.total).toBe(105); // audit-only environment: no assembly line
    const view = await platform.submissions.create(dev, runtime());
    const charge = await platform.db.submissionCharge.findUniqueOrThrow({ where: { submissionId: view.id } });
    expect({ ...(charge.quote as object), expiresAt: "x" }).toEqual({ ...quote, expiresAt: "x" });
    expect(charge).toMatchObject({ status: "held", total: 105n, catalogueVersion: 0 });
    expect(await platform.ledger.developerBalance(dev)).toEqual({ available: 895, held: 105, currency: "credits" });

    // A later catalogue never touches the snapshot.
    await platform.pricing.publish({ ...DEFAULT_CATALOGUE, suites: [{ suite: "core", version: "1", price: 500, turnBudget: 64 }] }, "operator:test");
    const revenueBefore = (await platform.store.repos.ledger.balances([PLATFORM_REVENUE])).get(PLATFORM_REVENUE)!;
    await platform.submissions.transition(view.id, "auditing", { actor: "test" });
    await platform.submissions.transition(view.id, "in_assembly", { actor: "test" });
    await platform.submissions.transition(view.id, "certified", { actor: "test" });
    expect(await platform.ledger.developerBalance(dev)).toEqual({ available: 895, held: 0, currency: "credits" });
    expect((await platform.store.repos.ledger.balances([PLATFORM_REVENUE])).get(PLATFORM_REVENUE)! - revenueBefore).toBe(105n);
    expect(await platform.db.submissionCharge.findUniqueOrThrow({ where: { submissionId: view.id } })).toMatchObject({ status: "captured", settledBy: "certified" });
    // The new catalogue prices the next one.
    expect((await platform.submissions.quote(dev, runtime())).catalogueVersion).toBe(1);
    await platform.pricing.publish(DEFAULT_CATALOGUE, "operator:test");
  });

  it("a platform failure releases the hold; a rejection by the audit captures it", async () => {
    const dev = await developer(1000);
    const failed = await platform.submissions.create(dev, runtime("2.0.0"));
    await platform.submissions.transition(failed.id, "failed", { actor: "test", reasonCode: "engine_error" });
    expect(await platform.ledger.developerBalance(dev)).toEqual({ available: 1000, held: 0, currency: "credits" });
    expect(await platform.db.submissionCharge.findUniqueOrThrow({ where: { submissionId: failed.id } })).toMatchObject({ status: "released", settledBy: "failed:engine_error" });

    const rejected = await platform.submissions.create(dev, runtime("2.0.1"));
    await platform.submissions.transition(rejected.id, "auditing", { actor: "test" });
    await platform.submissions.transition(rejected.id, "rejected", { actor: "test", reasonCode: "critical_finding" });
    expect(await platform.ledger.developerBalance(dev)).toEqual({ available: 895, held: 0, currency: "credits" });
  });

  it("a campaign limited to 5 uses gives exactly 5 discounts under 20 concurrent submissions", async () => {
    const created = await platform.pricing.createCampaign(
      { name: "first-five", discount: { kind: "percent", bps: 5000 }, maxUses: 5, perDeveloperLimit: null, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() },
      "operator:test",
    );
    const devs = await Promise.all(Array.from({ length: 20 }, () => developer(1000)));
    const results = await Promise.allSettled(devs.map((dev, i) => platform.submissions.create(dev, runtime(`3.0.${i}`))));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const charges = await platform.db.submissionCharge.findMany({ where: { developerId: { in: devs } } });
    expect(charges).toHaveLength(20);
    expect(charges.filter((c) => c.campaignId === created.id)).toHaveLength(5);
    expect(charges.filter((c) => c.campaignId === created.id).every((c) => c.total === 53n)).toBe(true);
    expect(charges.filter((c) => c.campaignId === null).every((c) => c.total === 105n)).toBe(true);
    expect(await platform.db.campaign.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ usedCount: 5 });
    expect(await platform.db.campaignUse.count({ where: { campaignId: created.id } })).toBe(5);
    // The operator action was audit-logged.
    expect(await platform.db.auditLogEntry.count({ where: { action: "pricing.campaign.create", target: `campaign:${created.id}` } })).toBe(1);
  }, 60_000);

  it("a per-developer limit holds under concurrent submissions of one developer", async () => {
    const created = await platform.pricing.createCampaign(
      { name: "two-each", discount: { kind: "fixed", credits: 30 }, maxUses: null, perDeveloperLimit: 2, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString() },
      "operator:test",
    );
    const dev = await developer(5000);
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => platform.submissions.create(dev, runtime("4.0.0", `per-dev-${i}`))));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await platform.db.campaignUse.count({ where: { campaignId: created.id, developerId: dev } })).toBe(2);
    expect((await platform.ledger.developerBalance(dev)).held).toBe(6 * 105 - 2 * 30);
    expect((await platform.store.repos.ledger.balances([developerAccount(dev)])).get(developerAccount(dev))).toBe(BigInt(5000 - (6 * 105 - 2 * 30)));
    await platform.pricing.disableCampaign(created.id, "operator:test");
  }, 60_000);
});
