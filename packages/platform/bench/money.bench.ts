// `npm run bench -w @assay/platform` → bench-results/money.json
// Ledger postings per second on a fresh PostgreSQL database, next to a baseline
// measured in the same run (one single-row INSERT per transaction, the least a
// posting can cost), so the ratio compares across machines better than the
// raw rate; on-chain deposit recordings per second (the chain_deposits row and
// its ledger entry in one transaction, as the deposit indexer and the API
// record a confirmed log); and the p50/p99 of quote computation (the pure
// function, and the service with its database reads).
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { depositReference } from "@assay/protocol";
import { computeQuote, DEFAULT_CATALOGUE, DepositService, grantEntry, holdEntry, LedgerService, PricingService, prepareDatabase, Store, type CampaignState } from "../src";
import { createTestEnvironment } from "../src/testing";

const POSTINGS = 1_000;
const CONCURRENCY = 8;
const QUOTES = 20_000;
const SERVICE_QUOTES = 300;

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function rate(count: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await fn(next++);
    }),
  );
  return Math.round((count / (performance.now() - t0)) * 1000);
}

async function main(): Promise<void> {
  const env = createTestEnvironment();
  const store = new Store((await prepareDatabase(env.config)).db);
  try {
    const ledger = new LedgerService(store);
    await store.db.$executeRawUnsafe("CREATE TABLE bench_rows (id uuid PRIMARY KEY, account text NOT NULL, amount bigint NOT NULL)");
    const insert = () => store.db.$transaction((tx) => tx.$executeRaw`INSERT INTO bench_rows (id, account, amount) VALUES (${randomUUID()}::uuid, 'x', 1)`);
    const devs = Array.from({ length: CONCURRENCY }, () => randomUUID());
    for (const d of devs) await ledger.post(grantEntry({ requestKey: `seed-${d}`, developerId: d, amount: 10n ** 12n, actor: "bench" }));

    const baselinePerSecond = await rate(POSTINGS, CONCURRENCY, () => insert());
    const grantsPerSecond = await rate(POSTINGS, CONCURRENCY, (i) => ledger.post(grantEntry({ requestKey: `g-${i}`, developerId: devs[i % CONCURRENCY]!, amount: 5n, actor: "bench" })));
    // Holds debit a guarded account: advisory lock + balance read before the insert.
    const holdsPerSecond = await rate(POSTINGS, CONCURRENCY, () => ledger.post(holdEntry({ submissionId: randomUUID(), developerId: devs[0]!, amount: 1n })));

    // Deposits: each a new FeeDeposited log to an existing developer (row + entry, one transaction).
    const developer = await store.repos.developers.create({ email: `bench-${randomUUID()}@example.test`, name: "Bench" });
    const deposits = new DepositService(store, ledger, null, { weiPerCredit: 1_000n, confirmations: 1 });
    const depositLog = (i: number) => ({
      blockNumber: BigInt(i),
      blockHash: `0x${i.toString(16).padStart(64, "0")}` as `0x${string}`,
      logIndex: 0,
      transactionHash: `0x${randomUUID().replace(/-/g, "").padEnd(64, "0")}` as `0x${string}`,
      treasury: "0x000000000000000000000000000000000000dead" as `0x${string}`,
      reference: depositReference(developer.id),
      payer: "0x000000000000000000000000000000000000beef" as `0x${string}`,
      amount: 5_000n,
    });
    const depositsPerSecond = await rate(POSTINGS, CONCURRENCY, (i) => deposits.recordConfirmed(31337, [depositLog(i)], "indexer"));

    const campaigns: CampaignState[] = [0, 1, 2].map((i) => ({
      id: `c${i}`,
      name: `c${i}`,
      discount: i === 2 ? { kind: "fixed", credits: 20 } : { kind: "percent", bps: 1000 * (i + 1) },
      maxUses: 100,
      usedCount: i * 10,
      perDeveloperLimit: 3,
      usedByDeveloper: 1,
      startsAt: new Date("2026-01-01T00:00:00Z"),
      endsAt: new Date("2027-01-01T00:00:00Z"),
      disabledAt: null,
    }));
    const now = new Date("2026-06-01T00:00:00Z");
    const pure: number[] = [];
    for (let i = 0; i < QUOTES; i++) {
      const t0 = performance.now();
      computeQuote({ catalogue: DEFAULT_CATALOGUE, catalogueVersion: 1, campaigns, facts: { suite: "core", bundleBytes: (i * 7919) % 5_000_000, claims: 1 + (i % 3), assemblySeats: 5 }, now });
      pure.push((performance.now() - t0) * 1000);
    }
    const flags = { assemblyRequired: async () => true, assemblyParams: async () => ({ seatCount: 5 }) as never };
    const pricing = new PricingService(store, flags);
    const service: number[] = [];
    for (let i = 0; i < SERVICE_QUOTES; i++) {
      const t0 = performance.now();
      await pricing.quote(devs[0]!, { suite: "core", bundleBytes: 1000, claims: 2, assemblySeats: 5 });
      service.push(performance.now() - t0);
    }

    const result = {
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? "unknown" },
      ledger: {
        postings: POSTINGS,
        concurrency: CONCURRENCY,
        baselineSingleRowInsertsPerSecond: baselinePerSecond,
        grantPostingsPerSecond: grantsPerSecond,
        holdPostingsPerSecond: holdsPerSecond,
        grantToBaselineRatio: Number((grantsPerSecond / baselinePerSecond).toFixed(2)),
        holdToBaselineRatio: Number((holdsPerSecond / baselinePerSecond).toFixed(2)),
        depositRecordingsPerSecond: depositsPerSecond,
        depositToBaselineRatio: Number((depositsPerSecond / baselinePerSecond).toFixed(2)),
      },
      quote: {
        pureRuns: QUOTES,
        pureP50Us: Number(percentile(pure, 50).toFixed(2)),
        pureP99Us: Number(percentile(pure, 99).toFixed(2)),
        serviceRuns: SERVICE_QUOTES,
        serviceP50Ms: Number(percentile(service, 50).toFixed(2)),
        serviceP99Ms: Number(percentile(service, 99).toFixed(2)),
      },
    };
    const out = resolve(__dirname, "..", "bench-results", "money.json");
    mkdirSync(resolve(out, ".."), { recursive: true });
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await store.db.$disconnect();
    await env.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
