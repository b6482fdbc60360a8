// The operator's lists page and filter on the server (decision 0032), over HTTP
// on real PostgreSQL: more rows than a page, walked with nextCursor, give every
// row once in the unpaged order; filters apply before paging; a forged cursor is
// a 400, not a query.
import { generateKeyPairSync } from "node:crypto";
import { AssemblyListSchema, AuditLogSchema, CampaignListSchema, OperatorDepositListSchema, OperatorUsageSchema, ValidatorListSchema, VoucherListSchema } from "@assay/protocol";
import { contractRoutes } from "../src/openapi";
import { conformanceProblems } from "./contract/conformance";
import { credentialsFor, startApi, type TestApi } from "./helpers";

let t: TestApi;
let token: string;

beforeAll(async () => {
  t = await startApi();
  token = (await credentialsFor(t)).operatorSession;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** Every page of a list route: the rows of each page, in order. */
async function walk<T>(path: string, parse: (body: unknown) => { rows: T[]; nextCursor: string | null | undefined }): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null | undefined;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const res = await t.call("GET", `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ""}`, { token });
    expect(res.status).toBe(200);
    const page = parse(res.body);
    pages.push(page.rows);
    cursor = page.nextCursor;
    if (pages.length > 50) throw new Error("no last page");
  } while (cursor);
  return pages;
}

const validators = (body: unknown) => {
  const b = ValidatorListSchema.parse(body);
  return { rows: b.validators.map((v) => v.id), nextCursor: b.nextCursor };
};

const sizes = (n: number, size: number) => Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size));

it("validators: the pending ones (7 here and the helper's one) in pages of 3 (3, 3, 2), the admission order, each once; q filters on the server", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 7; i++) {
    const publicKey = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
    ids.push((await t.platform.validators.activate({ publicKey, stake: "1000", kind: "person", name: i % 2 === 0 ? `Pager Even ${i}` : `Pager Odd ${i}` })).id);
  }
  const all = (await t.platform.validators.list(200, "pending")).map((v) => v.id);
  const pages = await walk("/v1/operator/validators?standing=pending&limit=3", validators);
  expect(all.length).toBeGreaterThan(6);
  expect(pages.map((p) => p.length)).toEqual(sizes(all.length, 3));
  expect(pages.flat()).toEqual(all);
  expect(all).toEqual(expect.arrayContaining(ids));

  // By reputation (no standing), pages of 2: the same rows as the unpaged list, in its order.
  const byReputation = (await t.platform.validators.list(200)).map((v) => v.id);
  expect((await walk("/v1/operator/validators?limit=2", validators)).flat()).toEqual(byReputation);

  // Filters apply before paging: "pager odd" (any case) is 3 rows, in pages of 2.
  const odd = await walk("/v1/operator/validators?q=pager%20odd&limit=2", validators);
  expect(odd.map((p) => p.length)).toEqual([2, 1]);
  expect(odd.flat().sort()).toEqual([ids[1], ids[3], ids[5]].sort());
  // An id finds its validator.
  expect((await walk(`/v1/operator/validators?q=${ids[4]}`, validators)).flat()).toEqual([ids[4]]);
}, 120_000);

it("audit log: flag changes in pages of 2, newest first, filtered by action and target", async () => {
  for (const value of [3, 5, 7, 9, 11]) expect((await t.call("PUT", "/v1/operator/flags/assembly.seatCount", { token, json: { value } })).status).toBe(200);
  const parse = (body: unknown) => {
    const b = AuditLogSchema.parse(body);
    return { rows: b.entries.map((e) => ({ id: e.id, action: e.action, target: e.target, after: e.after })), nextCursor: b.nextCursor };
  };
  const pages = await walk("/v1/operator/audit-log?action=flag.set&target=assembly.seatCount&limit=2", parse);
  expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
  const rows = pages.flat();
  expect(new Set(rows.map((r) => r.id)).size).toBe(5);
  expect(rows.every((r) => r.action === "flag.set" && r.target === "assembly.seatCount")).toBe(true);
  const unpaged = await t.call("GET", "/v1/operator/audit-log?action=flag.set&target=assembly.seatCount", { token });
  expect(parse(unpaged.body).rows.map((r) => r.id)).toEqual(rows.map((r) => r.id));
  expect(parse(unpaged.body).nextCursor).toBeNull();
  // Another action matches none of them.
  expect((await walk("/v1/operator/audit-log?action=no.such.action", parse)).flat()).toEqual([]);
}, 120_000);

it("vouchers and campaigns: 5 of each in pages of 2 (2, 2, 1), newest first, each once", async () => {
  const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
  for (let i = 0; i < 5; i++) {
    await t.platform.vouchers.create({ amount: 10 + i, maxUses: 1, expiresAt }, "operator:test");
    await t.platform.pricing.createCampaign(
      { name: `Paged campaign ${i}`, discount: { kind: "percent", bps: 1000 }, maxUses: null, perDeveloperLimit: null, startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: expiresAt },
      "operator:test",
    );
  }
  const vouchers = await walk("/v1/operator/vouchers?limit=2", (body) => {
    const b = VoucherListSchema.parse(body);
    return { rows: b.vouchers.map((v) => v.id), nextCursor: b.nextCursor };
  });
  expect(vouchers.map((p) => p.length)).toEqual([2, 2, 1]);
  expect(vouchers.flat()).toEqual((await t.platform.vouchers.list()).map((v) => v.id));
  const campaigns = await walk("/v1/operator/campaigns?limit=2", (body) => {
    const b = CampaignListSchema.parse(body);
    return { rows: b.campaigns.map((c) => c.name), nextCursor: b.nextCursor };
  });
  expect(campaigns.flat()).toEqual([4, 3, 2, 1, 0].map((i) => `Paged campaign ${i}`));
});

const route = (path: string) => contractRoutes().find((r) => r.method === "get" && r.path === path)!;

it("usage per developer: 7 developers with usage in pages of 3 (3, 3, 1), id order, each once with its totals; q (id or e-mail part) filters before paging; the CSV keeps every row", async () => {
  const tag = `pager-${Date.now()}`;
  const developers: string[] = [];
  for (let i = 0; i < 7; i++) {
    const d = await t.platform.developers.create({ email: `${tag}-${i % 2 === 0 ? "even" : "odd"}-${i}@Example.com`, name: `Pager ${i}` });
    developers.push(d.id);
    await t.platform.store.repos.usage.record([
      { developerId: d.id, submissionId: null, kind: "model_input_tokens", quantity: BigInt(100 + i), sourceKey: `${tag}:${i}:in` },
      { developerId: d.id, submissionId: null, kind: "sandbox_cpu_ms", quantity: BigInt(i + 1), sourceKey: `${tag}:${i}:cpu` },
    ]);
  }
  const parse = (body: unknown) => {
    const b = OperatorUsageSchema.parse(body);
    return { rows: b.developers, nextCursor: b.nextCursor };
  };
  const unpaged = await t.platform.usage.perDeveloper({});
  expect(unpaged.length).toBeGreaterThanOrEqual(7);
  const pages = await walk("/v1/operator/usage?limit=3", parse);
  expect(pages.map((p) => p.length)).toEqual(sizes(unpaged.length, 3));
  expect(pages.flat()).toEqual(unpaged);
  const third = pages.flat().find((r) => r.developerId === developers[3]);
  expect(third?.totals).toMatchObject({ model_input_tokens: "103", sandbox_cpu_ms: "4", storage_bytes: "0" });
  const first = await t.call("GET", "/v1/operator/usage?limit=3", { token });
  expect(conformanceProblems(route("/v1/operator/usage"), first)).toEqual([]);

  // Part of the e-mail, any case: the 3 odd ones, in pages of 2 (2, 1).
  const odd = await walk(`/v1/operator/usage?q=${tag.toUpperCase()}-ODD&limit=2`, parse);
  expect(odd.map((p) => p.length)).toEqual([2, 1]);
  expect(odd.flat().map((r) => r.developerId)).toEqual([developers[1], developers[3], developers[5]].sort());
  // An id finds its developer alone; a period with no usage is one empty last page.
  expect((await walk(`/v1/operator/usage?q=${developers[4]}`, parse)).flat().map((r) => r.developerId)).toEqual([developers[4]]);
  expect(await walk("/v1/operator/usage?from=2000-01-01T00:00:00.000Z&to=2000-01-02T00:00:00.000Z", parse)).toEqual([[]]);

  // The CSV is every developer, not a page.
  const csv = await t.call("GET", "/v1/operator/usage.csv", { token });
  expect(csv.status).toBe(200);
  expect((csv.body as string).trim().split("\r\n")).toHaveLength(unpaged.length + 1);
  // A cursor of another list is refused.
  const timeCursor = AuditLogSchema.parse((await t.call("GET", "/v1/operator/audit-log?limit=1", { token })).body).nextCursor;
  expect(timeCursor).toBeTruthy();
  expect((await t.call("GET", `/v1/operator/usage?cursor=${timeCursor}`, { token })).status).toBe(400);
}, 120_000);

it("deposits: 7 recorded in pages of 3 (3, 3, 1), newest first, each once; status and q (tx hash, payer, developer) filter before paging", async () => {
  const developer = await t.platform.developers.create({ email: `depositor-${Date.now()}@example.com`, name: "Depositor" });
  const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, "0")}`;
  for (let i = 0; i < 7; i++) {
    const mine = i % 3 === 0;
    expect(
      await t.platform.store.repos.deposits.insert({
        chainId: 31337,
        txHash: hex(0xabc000 + i, 64),
        logIndex: 0,
        blockNumber: BigInt(10 + i),
        blockHash: hex(0xb10c00 + i, 64),
        treasury: hex(0x7e, 40),
        reference: hex(i, 64),
        payer: hex(0xfa00 + (i % 2), 40),
        amountWei: 10n ** 18n,
        // (A credited row needs its ledger entry; "below one credit" names the developer and credits nobody.)
        credits: 0n,
        status: "unassigned",
        reason: mine ? "below_one_credit" : "unknown_reference",
        developerId: mine ? developer.id : null,
        entryId: null,
        source: "api",
      }),
    ).toBe(true);
  }
  const parse = (body: unknown) => {
    const b = OperatorDepositListSchema.parse(body);
    return { rows: b.deposits.map((d) => d.txHash), nextCursor: b.nextCursor };
  };
  const unpaged = OperatorDepositListSchema.parse((await t.call("GET", "/v1/operator/deposits?limit=500", { token })).body);
  expect(unpaged.nextCursor).toBeNull();
  expect(unpaged.deposits).toHaveLength(7);
  const pages = await walk("/v1/operator/deposits?limit=3", parse);
  expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
  expect(pages.flat()).toEqual(unpaged.deposits.map((d) => d.txHash));
  expect(new Set(pages.flat()).size).toBe(7);
  expect(conformanceProblems(route("/v1/operator/deposits"), await t.call("GET", "/v1/operator/deposits?limit=3", { token }))).toEqual([]);

  // Filters before paging: none credited; one payer (odd i: 3) in pages of 2; a developer's (i = 0, 3, 6); a tx hash in capitals.
  expect(await walk("/v1/operator/deposits?status=credited&limit=3", parse)).toEqual([[]]);
  expect((await walk("/v1/operator/deposits?status=unassigned&limit=3", parse)).flat()).toEqual(pages.flat());
  const payer = await walk(`/v1/operator/deposits?q=${hex(0xfa01, 40)}&limit=2`, parse);
  expect(payer.map((p) => p.length)).toEqual([2, 1]);
  expect(payer.flat().sort()).toEqual([1, 3, 5].map((i) => hex(0xabc000 + i, 64)));
  expect((await walk(`/v1/operator/deposits?q=${developer.id}`, parse)).flat().sort()).toEqual([0, 3, 6].map((i) => hex(0xabc000 + i, 64)));
  expect((await walk(`/v1/operator/deposits?q=${hex(0xabc004, 64).toUpperCase().replace("0X", "0x")}`, parse)).flat()).toEqual([hex(0xabc004, 64)]);
  expect((await t.call("GET", "/v1/operator/deposits?cursor=AAAA", { token })).status).toBe(400);
  expect((await t.call("GET", "/v1/operator/deposits?limit=501", { token })).status).toBe(400);
}, 120_000);

it("assemblies: an empty escalation queue is one empty last page", async () => {
  const res = await t.call("GET", "/v1/operator/assemblies?escalated=true&status=escalated&limit=5", { token });
  expect(res.status).toBe(200);
  expect(AssemblyListSchema.parse(res.body)).toEqual({ assemblies: [], nextCursor: null });
});

it("a forged or foreign cursor, or a limit out of range, is a 400", async () => {
  const forged = Buffer.from(JSON.stringify(["t", "-271821-04-20T00:00:00.000Z", "x"])).toString("base64url");
  for (const path of [
    `/v1/operator/audit-log?cursor=${forged}`,
    "/v1/operator/audit-log?cursor=not-a-cursor",
    "/v1/operator/assemblies?cursor=AAAA",
    "/v1/operator/audit-log?limit=0",
    "/v1/operator/validators?limit=201",
  ]) {
    expect({ path, status: (await t.call("GET", path, { token })).status }).toEqual({ path, status: 400 });
  }
  // A by-reputation cursor does not page the admission queue.
  const first = validators((await t.call("GET", "/v1/operator/validators?limit=1", { token })).body);
  expect(first.nextCursor).toBeTruthy();
  expect((await t.call("GET", `/v1/operator/validators?standing=pending&cursor=${first.nextCursor}`, { token })).status).toBe(400);
});

it("a search filter holding NUL or another control character is a 400 that names the field, not a database error (fuzzer finding)", async () => {
  for (const path of [
    "/v1/operator/validators?q=%00",
    "/v1/operator/validators?q=a%00b",
    "/v1/operator/usage?q=%01x",
    "/v1/operator/deposits?q=%00",
    "/v1/operator/audit-log?action=%00",
    "/v1/operator/audit-log?target=x%1f",
  ]) {
    const res = await t.call("GET", path, { token });
    expect({ path, status: res.status }).toEqual({ path, status: 400 });
    expect(JSON.stringify(res.body)).toMatch(/control characters/);
  }
});
