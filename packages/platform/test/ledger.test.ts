// The credits ledger: pure posting rules (fast-check) and, on real PostgreSQL,
// a randomized run of 1,000 mixed operations (grants, holds, captures,
// releases, voucher redemptions, on-chain deposits recorded as the deposit
// indexer and the API record them, validator rewards, payouts on chain and
// withdrawals) with concurrent duplicates after
// which every entry balances, every balance is the sum of what was posted and
// no idempotency key posted twice; plus the database's own refusal of an
// unbalanced or edited entry.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import pg from "pg";
import {
  balancesOf,
  captureEntry,
  CHAIN_DEPOSITS,
  checkEntry,
  depositEntry,
  DepositService,
  developerAccount,
  developerHeldAccount,
  grantEntry,
  holdEntry,
  isGuardedAccount,
  LedgerRuleError,
  LedgerService,
  overdrawnBy,
  payoutEntry,
  prepareDatabase,
  releaseEntry,
  rewardEntry,
  VALIDATOR_REWARDS_POOL,
  withdrawalEntry,
  Store,
  voucherEntry,
  type EntryDraft,
} from "../src";
import { depositReference } from "@assay/protocol";
import type { FeeDeposit } from "@assay/chain";
import { ConflictError, PaymentRequiredError } from "../src/errors";
import { createTestEnvironment, type TestEnvironment } from "../src/testing";

describe("ledger posting rules (pure)", () => {
  const dev = randomUUID();
  const amount = fc.bigInt({ min: 1n, max: 10n ** 12n });

  it("every draft balances and is refused when it does not", () => {
    fc.assert(
      fc.property(amount, fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), (held, a, b) => {
        const captured = a % (held + 1n);
        const rewards = b % (captured + 1n);
        const drafts = [
          grantEntry({ requestKey: "r1", developerId: dev, amount: held, actor: "operator:x" }),
          holdEntry({ submissionId: "s1", developerId: dev, amount: held }),
          captureEntry({ submissionId: "s1", developerId: dev, held, captured, rewardsShare: rewards, outcome: "certified" }),
          releaseEntry({ submissionId: "s2", developerId: dev, held, reason: "failed" }),
        ];
        for (const d of drafts) expect(d.lines.reduce((s, l) => s + l.amount, 0n)).toBe(0n);
        // A capture empties the hold whatever it charges.
        expect(balancesOf([drafts[1]!, drafts[2]!]).get(developerHeldAccount(dev))).toBe(0n);
        expect(balancesOf(drafts.slice(0, 3)).get(developerAccount(dev))).toBe(held - captured);
      }),
    );
    expect(() => checkEntry({ key: "grant:x", kind: "grant", lines: [{ account: developerAccount(dev), amount: 5n }, { account: "platform_grants", amount: -4n }] })).toThrow(LedgerRuleError);
    expect(() => checkEntry({ key: "grant:x", kind: "grant", lines: [{ account: "elsewhere", amount: 5n }, { account: "platform_grants", amount: -5n }] })).toThrow(/unknown account/);
    expect(() => holdEntry({ submissionId: "s", developerId: dev, amount: 0n })).toThrow(LedgerRuleError);
    expect(() => captureEntry({ submissionId: "s", developerId: dev, held: 5n, captured: 6n, rewardsShare: 0n, outcome: "x" })).toThrow(LedgerRuleError);
  });

  it("a reward entry drains exactly the share: payables by the split, the remainder to revenue; payouts and withdrawals move credits out once each", () => {
    const v1 = randomUUID();
    const v2 = randomUUID();
    const reward = rewardEntry({ assemblyId: "a1", submissionId: "s1", share: 30n, rewards: [{ validatorId: v1, amount: 11n }, { validatorId: v2, amount: 10n }] });
    expect(reward.key).toBe("reward:a1");
    expect(reward.lines).toEqual([
      { account: VALIDATOR_REWARDS_POOL, amount: -30n },
      { account: `validator_payable:${v1}`, amount: 11n },
      { account: `validator_payable:${v2}`, amount: 10n },
      { account: "platform_revenue", amount: 9n },
    ]);
    // Nobody rewarded (an escalation, nobody coherent): the whole share is revenue.
    expect(rewardEntry({ assemblyId: "a2", submissionId: "s2", share: 5n, rewards: [] }).lines).toEqual([
      { account: VALIDATOR_REWARDS_POOL, amount: -5n },
      { account: "platform_revenue", amount: 5n },
    ]);
    expect(() => rewardEntry({ assemblyId: "a3", submissionId: "s3", share: 5n, rewards: [{ validatorId: v1, amount: 6n }] })).toThrow(LedgerRuleError);
    expect(payoutEntry({ payoutId: "p1", validatorId: v1, amount: 11n, txHash: "0x1" }).lines).toEqual([
      { account: `validator_payable:${v1}`, amount: -11n },
      { account: `validator_onchain:${v1}`, amount: 11n },
    ]);
    expect(withdrawalEntry({ chainId: 1, txHash: "0xAB", logIndex: 3, validatorId: v1, amount: 11n })).toMatchObject({
      key: "withdrawal:1:0xab:3",
      lines: [{ account: `validator_onchain:${v1}`, amount: -11n }, { account: "chain_withdrawals", amount: 11n }],
    });
    expect(isGuardedAccount(`validator_onchain:${v1}`)).toBe(true);
    expect(isGuardedAccount("chain_withdrawals")).toBe(false);
  });

  it("a posting overdraws only guarded accounts", () => {
    const hold = holdEntry({ submissionId: "s", developerId: dev, amount: 10n });
    expect(overdrawnBy(hold, new Map([[developerAccount(dev), 9n]]))).toEqual([{ account: developerAccount(dev), balance: 9n, needed: 10n }]);
    expect(overdrawnBy(hold, new Map([[developerAccount(dev), 10n]]))).toEqual([]);
    // The grant source goes negative by design.
    expect(overdrawnBy(grantEntry({ requestKey: "g", developerId: dev, amount: 10n, actor: "a" }), new Map())).toEqual([]);
    expect(isGuardedAccount("platform_grants")).toBe(false);
  });
});

describe("ledger on PostgreSQL", () => {
  let env: TestEnvironment;
  let store: Store;
  let ledger: LedgerService;

  beforeAll(async () => {
    env = createTestEnvironment();
    store = new Store((await prepareDatabase(env.config)).db);
    ledger = new LedgerService(store);
  });

  afterAll(async () => {
    await store.db.$disconnect();
    await env.cleanup();
  }, 30_000);

  it("the database refuses an entry that does not sum to zero, and any edit", async () => {
    const id = randomUUID();
    const account = developerAccount(randomUUID());
    // Through a plain pg connection: these statements bypass every application check.
    const { host, port, user, password, database } = env.config.database;
    const raw = new pg.Client({ host, port, user, password, database });
    await raw.connect();
    try {
      await raw.query("BEGIN");
      await raw.query("INSERT INTO ledger_entries (id, idempotency_key, kind) VALUES ($1, 'grant:raw', 'grant')", [id]);
      await raw.query("INSERT INTO ledger_lines (entry_id, account, amount) VALUES ($1, $2, 5), ($1, 'platform_grants', -4)", [id, account]);
      await expect(raw.query("COMMIT")).rejects.toThrow(/does not balance/);
      const posted = await ledger.post(grantEntry({ requestKey: "edit", developerId: randomUUID(), amount: 7n, actor: "t" }));
      await expect(raw.query("UPDATE ledger_lines SET amount = amount + 1 WHERE entry_id = $1", [posted.entryId])).rejects.toThrow(/append-only/);
      await expect(raw.query("DELETE FROM ledger_entries WHERE id = $1", [posted.entryId])).rejects.toThrow(/append-only/);
    } finally {
      await raw.end();
    }
    expect(await store.db.ledgerEntry.count({ where: { idempotencyKey: "grant:raw" } })).toBe(0);

  });

  it("concurrent holds never overdraw: 100 credits, 20 holds of 10 at once → exactly 10 succeed", async () => {
    const dev = randomUUID();
    await ledger.post(grantEntry({ requestKey: randomUUID(), developerId: dev, amount: 100n, actor: "t" }));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => ledger.post(holdEntry({ submissionId: randomUUID(), developerId: dev, amount: 10n }))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(PaymentRequiredError);
    expect(await ledger.developerBalance(dev)).toEqual({ available: 0, held: 100, currency: "credits" });
  });

  it("a key reused for another movement is a conflict, a retry is not", async () => {
    const dev = randomUUID();
    const first = await ledger.post(grantEntry({ requestKey: "same", developerId: dev, amount: 5n, actor: "t" }));
    expect(first.posted).toBe(true);
    expect(await ledger.post(grantEntry({ requestKey: "same", developerId: dev, amount: 5n, actor: "t" }))).toEqual({ entryId: first.entryId, posted: false });
    await expect(ledger.post(grantEntry({ requestKey: "same", developerId: dev, amount: 6n, actor: "t" }))).rejects.toBeInstanceOf(ConflictError);
  });

  it("1,000 mixed operations with concurrent duplicates: every entry balances, balances are the sums posted, no key posts twice", async () => {
    type Op =
      | { op: "grant"; dev: number; amount: number; request: number }
      | { op: "hold"; sub: number }
      | { op: "capture"; sub: number; capturedPct: number; rewardsPct: number }
      | { op: "release"; sub: number }
      | { op: "voucher"; voucher: number; dev: number }
      | { op: "deposit"; log: number; source: "indexer" | "api" }
      | { op: "reward"; sub: number }
      | { op: "payout"; payout: number; amount: number }
      | { op: "withdrawal"; log: number; amount: number };
    const DEVS = 6;
    const SUBS = 160;
    const LOGS = 30;
    const WEI_PER_CREDIT = 1_000n;
    const devs = Array.from({ length: DEVS }, () => randomUUID());
    const subs = Array.from({ length: SUBS }, (_, i) => ({ id: randomUUID(), dev: devs[i % DEVS]!, amount: BigInt(5 + ((i * 37) % 60)) }));
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      // A small pool of request ids makes deliberate retries of one grant.
      fc.record({ op: fc.constant("grant" as const), dev: fc.nat(DEVS - 1), amount: fc.integer({ min: 1, max: 300 }), request: fc.nat(40) }),
      fc.record({ op: fc.constant("hold" as const), sub: fc.nat(SUBS - 1) }),
      fc.record({ op: fc.constant("capture" as const), sub: fc.nat(SUBS - 1), capturedPct: fc.integer({ min: 0, max: 100 }), rewardsPct: fc.integer({ min: 0, max: 100 }) }),
      fc.record({ op: fc.constant("release" as const), sub: fc.nat(SUBS - 1) }),
      // Few vouchers × few developers: the same (voucher, developer) comes up again and again.
      fc.record({ op: fc.constant("voucher" as const), voucher: fc.nat(4), dev: fc.nat(DEVS - 1) }),
      // A small pool of FeeDeposited logs, each seen again and again (a replayed log, a re-posted tx hash,
      // the indexer racing the API); every fifth names no developer and must credit nobody.
      fc.record({ op: fc.constant("deposit" as const), log: fc.nat(LOGS - 1), source: fc.constantFrom("indexer" as const, "api" as const) }),
      // An assembly's settlement of a captured submission: its rewards share from the pool to three validators' payables.
      fc.record({ op: fc.constant("reward" as const), sub: fc.nat(SUBS - 1) }),
      // Payouts (payable → on chain) and withdrawals (on chain → chain_withdrawals): a small id pool makes retries.
      fc.record({ op: fc.constant("payout" as const), payout: fc.nat(30), amount: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ op: fc.constant("withdrawal" as const), log: fc.nat(30), amount: fc.integer({ min: 1, max: 40 }) }),
    );
    const VALIDATORS = 3;
    const validators = Array.from({ length: VALIDATORS }, () => randomUUID());
    const assemblyOf = subs.map(() => randomUUID());
    const shareOf = new Map<number, bigint>();
    const payoutAmounts = new Map<number, number>();
    const withdrawalAmounts = new Map<number, number>();
    const voucherIds = Array.from({ length: 5 }, () => randomUUID());
    // Deposits credit only developers that exist.
    await store.db.developer.createMany({ data: devs.map((id) => ({ id, email: `ledger-${id}@example.test`, name: "Ledger" })) });
    const deposits = new DepositService(store, ledger, null, { weiPerCredit: WEI_PER_CREDIT, confirmations: 1 });
    const logs: FeeDeposit[] = Array.from({ length: LOGS }, (_, i) => ({
      blockNumber: BigInt(100 + Math.floor(i / 3)),
      blockHash: `0x${(100 + Math.floor(i / 3)).toString(16).padStart(64, "0")}`,
      logIndex: i % 3,
      transactionHash: `0x${randomUUID().replace(/-/g, "").padEnd(64, "0")}`,
      treasury: "0x000000000000000000000000000000000000dead",
      reference: depositReference(i % 5 === 4 ? randomUUID() : devs[i % DEVS]!),
      payer: "0x000000000000000000000000000000000000beef",
      amount: BigInt(1 + ((i * 53) % 90)) * WEI_PER_CREDIT + BigInt(i),
    }));
    const knownLog = (i: number) => i % 5 !== 4;
    // Batches of 1..8 run at once; each batch may repeat one of its operations (a concurrent duplicate).
    const batchArb = fc.tuple(fc.array(opArb, { minLength: 1, maxLength: 8 }), fc.boolean());
    const [plan] = fc.sample(fc.array(batchArb, { minLength: 400, maxLength: 400 }), { seed: 20261202, numRuns: 1 });

    const heldOf = new Map<number, bigint>();
    const grants = new Map<number, number>();
    const draftOf = (op: Op): EntryDraft | null => {
      switch (op.op) {
        case "grant": {
          // The request id fixes developer and amount: a repeated id is a genuine retry.
          const amount = grants.get(op.request) ?? op.amount;
          grants.set(op.request, amount);
          return grantEntry({ requestKey: `req-${op.request}`, developerId: devs[op.request % DEVS]!, amount: BigInt(amount), actor: "test" });
        }
        case "hold":
          return holdEntry({ submissionId: subs[op.sub]!.id, developerId: subs[op.sub]!.dev, amount: subs[op.sub]!.amount });
        case "capture": {
          const held = heldOf.get(op.sub);
          if (held === undefined) return null;
          const captured = (held * BigInt(op.capturedPct)) / 100n;
          return captureEntry({ submissionId: subs[op.sub]!.id, developerId: subs[op.sub]!.dev, held, captured, rewardsShare: (captured * BigInt(op.rewardsPct)) / 100n, outcome: "test" });
        }
        case "release": {
          const held = heldOf.get(op.sub);
          return held === undefined ? null : releaseEntry({ submissionId: subs[op.sub]!.id, developerId: subs[op.sub]!.dev, held, reason: "test" });
        }
        case "voucher":
          return voucherEntry({ voucherId: voucherIds[op.voucher]!, developerId: devs[op.dev]!, amount: BigInt(25 * (op.voucher + 1)) });
        case "deposit": {
          const log = logs[op.log]!;
          // What the recorder must post for this log (nothing for an unknown reference).
          return knownLog(op.log)
            ? depositEntry({ chainId: 31337, txHash: log.transactionHash, logIndex: log.logIndex, developerId: devs[op.log % DEVS]!, credits: log.amount / WEI_PER_CREDIT, amountWei: log.amount })
            : { key: `unassigned:${op.log}`, kind: "deposit", lines: [] };
        }
        case "reward": {
          const share = shareOf.get(op.sub);
          if (!share) return null;
          // The submission fixes the split (a retry is the same movement): 40 % / 20 % / 10 % by validator, 30 % and the floors to revenue.
          const rewards = validators.map((validatorId, i) => ({ validatorId, amount: (share * BigInt([4, 2, 1][(i + op.sub) % VALIDATORS]!)) / 10n }));
          return rewardEntry({ assemblyId: assemblyOf[op.sub]!, submissionId: subs[op.sub]!.id, share, rewards });
        }
        case "payout": {
          const amount = payoutAmounts.get(op.payout) ?? op.amount;
          payoutAmounts.set(op.payout, amount);
          return payoutEntry({ payoutId: `p${op.payout}`, validatorId: validators[op.payout % VALIDATORS]!, amount: BigInt(amount), txHash: `0x${"ab".repeat(32)}` });
        }
        case "withdrawal": {
          const amount = withdrawalAmounts.get(op.log) ?? op.amount;
          withdrawalAmounts.set(op.log, amount);
          return withdrawalEntry({ chainId: 31337, txHash: `0x${op.log.toString(16).padStart(64, "0")}`, logIndex: 0, validatorId: validators[op.log % VALIDATORS]!, amount: BigInt(amount) });
        }
      }
    };
    /** Posts a draft the way production does: deposits through the deposit recorder (row + entry), the rest straight to the ledger. */
    const perform = async (op: Op, draft: EntryDraft): Promise<{ posted: boolean }> => {
      if (op.op !== "deposit") return ledger.post(draft);
      const fresh = await deposits.recordConfirmed(31337, [logs[op.log]!], op.source);
      if (fresh === 1) recordedLogs.add(op.log);
      return { posted: fresh === 1 && knownLog(op.log) };
    };
    const recordedLogs = new Set<number>();

    const entriesBefore = await store.repos.ledger.entryCount();
    const balancesBefore = await store.repos.ledger.allBalances();
    const posted = new Map<string, EntryDraft>();
    let operations = 0;
    let duplicates = 0;
    const unexpected: unknown[] = [];
    for (const [ops, duplicate] of plan!) {
      const drafts = ops.map((op) => ({ op, draft: draftOf(op) })).filter((d): d is { op: Op; draft: EntryDraft } => d.draft !== null);
      if (duplicate && drafts.length > 0) {
        drafts.push(drafts[0]!);
        duplicates++;
      }
      const results = await Promise.allSettled(drafts.map((d) => perform(d.op, d.draft)));
      operations += drafts.length;
      results.forEach((result, i) => {
        const { op, draft } = drafts[i]!;
        if (result.status === "rejected") {
          const ok = result.reason instanceof PaymentRequiredError || (result.reason instanceof ConflictError && result.reason.code === "idempotency_key_reused");
          if (!ok) unexpected.push(result.reason);
          return;
        }
        if (!result.value.posted) return;
        expect(posted.has(draft.key)).toBe(false); // no key posts twice
        posted.set(draft.key, draft);
        if (op.op === "hold") heldOf.set(op.sub, subs[op.sub]!.amount);
        if (op.op === "capture") shareOf.set(op.sub, draft.lines.find((l) => l.account === VALIDATOR_REWARDS_POOL)?.amount ?? 0n);
      });
    }
    expect(unexpected).toEqual([]);
    expect(operations).toBeGreaterThanOrEqual(1000);
    expect(duplicates).toBeGreaterThan(100);
    const kinds = new Set([...posted.values()].map((d) => d.kind));
    const perKind: Record<string, number> = {};
    for (const d of posted.values()) perKind[d.kind] = (perKind[d.kind] ?? 0) + 1;
    console.log(`ledger property run: ${operations} operations (${duplicates} concurrent duplicates), entries posted by kind ${JSON.stringify(perKind)}`);
    expect([...kinds].sort()).toEqual(["capture", "deposit", "grant", "hold", "payout", "release", "reward", "voucher", "withdrawal"]);
    // Every log was recorded once (a row each); the unassigned ones credited nobody; the credited rows are the chain_deposits entries.
    expect(await store.repos.deposits.count(31337)).toBe(recordedLogs.size);
    expect(recordedLogs.size).toBeGreaterThan(20);
    const credited = await store.db.chainDeposit.aggregate({ where: { chainId: 31337, status: "credited" }, _sum: { credits: true }, _count: true });
    expect(credited._count).toBe([...recordedLogs].filter(knownLog).length);
    expect(-((await store.repos.ledger.allBalances()).get(CHAIN_DEPOSITS) ?? 0n) + (balancesBefore.get(CHAIN_DEPOSITS) ?? 0n)).toBe(credited._sum.credits ?? 0n);

    // Every entry balances (the trigger's promise, checked from the rows).
    expect(await store.repos.ledger.unbalancedEntries()).toEqual([]);
    // Exactly the posted entries exist, one per key.
    expect(await store.repos.ledger.entryCount()).toBe(entriesBefore + posted.size);
    // Every account's balance equals the sum of the entries that posted.
    const expected = balancesOf([{ lines: [...balancesBefore].map(([account, amount]) => ({ account, amount })) }, ...posted.values()]);
    const actual = await store.repos.ledger.allBalances();
    for (const [account, balance] of expected) expect([account, actual.get(account)]).toEqual([account, balance]);
    // Guarded accounts never went negative, and the whole ledger sums to zero.
    for (const [account, balance] of actual) if (isGuardedAccount(account)) expect(balance >= 0n).toBe(true);
    expect([...actual.values()].reduce((s, b) => s + b, 0n)).toBe(0n);
    // A hold is settled at most once (capture and release share one key).
    const settles = [...posted.keys()].filter((k) => k.startsWith("settle:"));
    expect(new Set(settles).size).toBe(settles.length);
    // Rewards: each posted settlement drained exactly its submission's captured share from the pool.
    for (const [key, draft] of posted) {
      if (draft.kind !== "reward") continue;
      const sub = subs.findIndex((x) => x.id === (draft.memo as { submissionId: string }).submissionId);
      expect([key, draft.lines.find((l) => l.account === VALIDATOR_REWARDS_POOL)?.amount]).toEqual([key, -shareOf.get(sub)!]);
    }
  }, 120_000);
});
