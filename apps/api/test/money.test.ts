// Money over HTTP (docs/money.md): quotes, balances, 402 at intake, operator
// grants (admin only, audit-logged, idempotent by request key) and campaigns.
import { randomUUID } from "node:crypto";
import { generateKeyPairSync } from "node:crypto";
import { QuoteSchema, ValidatorRewardsSchema } from "@assay/protocol";
import { captureEntry, grantEntry, holdEntry, rewardEntry, samplePackedRuntime } from "@assay/platform";
import { credentialsFor, startApi, type TestApi } from "./helpers";

let t: TestApi;
let creds: Awaited<ReturnType<typeof credentialsFor>>;

beforeAll(async () => {
  t = await startApi({ ASSAY_BILLING_ENFORCED: "true" });
  creds = await credentialsFor(t);
}, 60_000);

afterAll(async () => {
  await t.close();
}, 30_000);

describe("money routes", () => {
  it("a quote, then 402 without credits (nothing written), then a grant and a submission that holds exactly the quote", async () => {
    const quote = await t.call("POST", "/v1/developer/quotes", { token: creds.apiKey, json: samplePackedRuntime() });
    expect(quote.status).toBe(200);
    expect(QuoteSchema.parse(quote.body)).toMatchObject({ total: 105, currency: "credits", catalogueVersion: 0 });
    expect(quote.body.lines.map((l: { kind: string }) => l.kind)).toEqual(["suite", "complexity"]);

    const before = await t.platform.store.rowCounts();
    const refused = await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: samplePackedRuntime() });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({ code: "insufficient_credits", details: { needed: 105, available: 0, currency: "credits" } });
    expect(await t.platform.store.rowCounts()).toEqual(before);

    const grant = { developerId: creds.developer.id, amount: 500, requestKey: `grant-${randomUUID()}`, reason: "welcome" };
    const granted = await t.call("POST", "/v1/operator/credits/grants", { token: creds.operatorSession, json: grant });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ posted: true, balance: { available: 500, held: 0 } });
    // A retried request posts nothing and writes no second audit row.
    const again = await t.call("POST", "/v1/operator/credits/grants", { token: creds.operatorSession, json: grant });
    expect(again.body).toMatchObject({ posted: false, balance: { available: 500 } });
    expect(await t.platform.db.auditLogEntry.count({ where: { action: "credits.grant", target: `developer:${creds.developer.id}` } })).toBe(1);

    const created = await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: samplePackedRuntime() });
    expect(created.status).toBe(201);
    const balance = await t.call("GET", "/v1/developer/credits", { token: creds.apiKey });
    expect(balance.body).toEqual({ available: 500 - quote.body.total, held: quote.body.total, currency: "credits" });
  });

  it("a validator sees its payable balance and reward history on the agent plane, and nobody else's", async () => {
    const publicKey = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
    const validator = await t.platform.validators.activate({ publicKey, stake: "1000", kind: "person" });
    const token = (await t.platform.tokens.issue("agent", validator.id)).token;
    const empty = await t.call("GET", "/v1/agent/rewards", { token });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ validatorId: validator.id, payable: 0, onChain: 0, withdrawn: 0, currency: "credits", chainAddress: null, history: [] });

    // An assembly's settlement: 30 of a 100-credit capture in the pool, 12 to this validator, 9 to another, 9 to the platform.
    const submissionId = randomUUID();
    const assemblyId = randomUUID();
    const other = randomUUID();
    await t.platform.ledger.post(grantEntry({ requestKey: `rewards-${submissionId}`, developerId: creds.developer.id, amount: 100n, actor: "test" }));
    await t.platform.ledger.post(holdEntry({ submissionId, developerId: creds.developer.id, amount: 100n }));
    await t.platform.ledger.post(captureEntry({ submissionId, developerId: creds.developer.id, held: 100n, captured: 100n, rewardsShare: 30n, outcome: "certified" }));
    const posted = await t.platform.ledger.post(rewardEntry({ assemblyId, submissionId, share: 30n, rewards: [{ validatorId: validator.id, amount: 12n }, { validatorId: other, amount: 9n }] }));

    const seen = await t.call("GET", "/v1/agent/rewards", { token });
    expect(seen.status).toBe(200);
    const view = ValidatorRewardsSchema.parse(seen.body);
    expect(view).toMatchObject({ payable: 12, onChain: 0, withdrawn: 0 });
    expect(view.history).toEqual([{ entryId: posted.entryId, kind: "reward", payable: 12, onChain: 0, assemblyId, submissionId, txHash: null, at: expect.any(String) }]);
    // Another plane's credential is refused.
    expect((await t.call("GET", "/v1/agent/rewards", { token: creds.apiKey })).status).toBe(401);
    // Operators (any role) see the same view plus the validator's Treasury payouts (none: no chain address bound).
    const ops = await t.call("GET", `/v1/operator/validators/${validator.id}/rewards`, { token: creds.operatorSession });
    expect(ops.status).toBe(200);
    expect(ops.body).toEqual({ ...seen.body, payouts: [] });
    expect((await t.call("GET", `/v1/operator/validators/${randomUUID()}/rewards`, { token: creds.operatorSession })).status).toBe(404);
    expect((await t.call("GET", `/v1/operator/validators/${validator.id}/rewards`, { token })).status).toBe(401);
  });

  it("money edits are admin-only and bodies are validated", async () => {
    const { operator } = await t.platform.operators.create({ email: `support-${randomUUID()}@example.com`, password: "operator password 1", role: "support" });
    const support = (await t.platform.tokens.issue("operator", operator.id, { role: "support" })).token;
    const grant = { developerId: creds.developer.id, amount: 5, requestKey: `grant-${randomUUID()}`, reason: "x" };
    expect((await t.call("POST", "/v1/operator/credits/grants", { token: support, json: grant })).status).toBe(403);
    expect((await t.call("GET", "/v1/operator/pricing/catalogue", { token: support })).status).toBe(200);
    expect((await t.call("POST", "/v1/operator/credits/grants", { token: creds.operatorSession, json: { ...grant, amount: -1 } })).status).toBe(400);
    expect((await t.call("POST", "/v1/operator/credits/grants", { token: creds.operatorSession, json: { ...grant, developerId: randomUUID() } })).status).toBe(404);
    expect((await t.call("POST", "/v1/operator/pricing/catalogue", { token: creds.operatorSession, json: { currency: "credits" } })).status).toBe(400);
    // A developer's key is refused on the operator plane.
    expect((await t.call("POST", "/v1/operator/credits/grants", { token: creds.apiKey, json: grant })).status).toBe(401);
  });

  it("a campaign discounts the next quote", async () => {
    const now = Date.now();
    const campaign = await t.call("POST", "/v1/operator/campaigns", {
      token: creds.operatorSession,
      json: { name: `half-${randomUUID()}`, discount: { kind: "percent", bps: 5000 }, maxUses: 1, startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() },
    });
    expect(campaign.status).toBe(201);
    const quote = await t.call("POST", "/v1/developer/quotes", { token: creds.apiKey, json: samplePackedRuntime() });
    expect(quote.body).toMatchObject({ total: 53, campaign: { id: campaign.body.id } });
    const disabled = await t.call("POST", `/v1/operator/campaigns/${campaign.body.id}/disable`, { token: creds.operatorSession });
    expect(disabled.status).toBe(200);
    expect((await t.call("POST", "/v1/developer/quotes", { token: creds.apiKey, json: samplePackedRuntime() })).body.total).toBe(105);
  });
});

describe("vouchers over HTTP", () => {
  it("an admin creates a code shown once; a developer redeems it once; support cannot create", async () => {
    const body = { amount: 300, maxUses: 2, expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
    const { operator } = await t.platform.operators.create({ email: `support2-${randomUUID()}@example.com`, password: "operator password 1", role: "support" });
    const support = (await t.platform.tokens.issue("operator", operator.id, { role: "support" })).token;
    expect((await t.call("POST", "/v1/operator/vouchers", { token: support, json: body })).status).toBe(403);
    const created = await t.call("POST", "/v1/operator/vouchers", { token: creds.operatorSession, json: body });
    expect(created.status).toBe(201);
    const code = created.body.code as string;
    const listed = await t.call("GET", "/v1/operator/vouchers", { token: support });
    expect(JSON.stringify(listed.body)).not.toContain(code);
    expect(listed.body.vouchers[0]).toMatchObject({ id: created.body.voucher.id, amount: 300, usedCount: 0 });

    const before = (await t.call("GET", "/v1/developer/credits", { token: creds.apiKey })).body.available as number;
    const redeemed = await t.call("POST", "/v1/developer/credits/redeem", { token: creds.apiKey, json: { code } });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toMatchObject({ credited: 300, balance: { available: before + 300 } });
    const again = await t.call("POST", "/v1/developer/credits/redeem", { token: creds.apiKey, json: { code } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("voucher_already_redeemed");
    expect((await t.call("POST", "/v1/developer/credits/redeem", { token: creds.apiKey, json: { code: "not a code" } })).status).toBe(400);
    const revoked = await t.call("POST", `/v1/operator/vouchers/${created.body.voucher.id}/revoke`, { token: creds.operatorSession });
    expect(revoked.body.revokedAt).not.toBeNull();
  });
});

describe("usage over HTTP", () => {
  it("a developer's usage by period, and the operator's per-developer report as JSON and CSV", async () => {
    const submissions = await t.platform.submissions.list({ developerId: creds.developer.id });
    const submission = submissions.items[0]!;
    await t.platform.usage.recordForSubmission(submission.id, `bench-${randomUUID()}`, { model_input_tokens: 1200, sandbox_cpu_ms: 35 });
    const all = await t.call("GET", "/v1/developer/usage", { token: creds.apiKey });
    expect(all.body).toMatchObject({ model_input_tokens: "1200", sandbox_cpu_ms: "35" });
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = await t.call("GET", `/v1/developer/usage?from=${future}`, { token: creds.apiKey });
    expect(none.body).toMatchObject({ model_input_tokens: "0", sandbox_cpu_ms: "0" });
    expect((await t.call("GET", `/v1/developer/usage?from=${future}&to=2020-01-01T00:00:00Z`, { token: creds.apiKey })).status).toBe(400);

    const report = await t.call("GET", "/v1/operator/usage", { token: creds.operatorSession });
    expect(report.status).toBe(200);
    expect(report.body.developers).toContainEqual({ developerId: creds.developer.id, totals: expect.objectContaining({ model_input_tokens: "1200" }) });
    const csv = await t.call("GET", "/v1/operator/usage.csv", { token: creds.operatorSession });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trim().split("\r\n");
    expect(lines[0]).toBe("developer_id,model_input_tokens,model_output_tokens,sandbox_cpu_ms,storage_bytes");
    expect(lines).toContain(`${creds.developer.id},1200,0,35,0`);
  });
});

describe("payment methods", () => {
  it("an admin switches vouchers and prepaid grants off and on (audit-logged); off refuses them with 403", async () => {
    expect((await t.call("GET", "/v1/operator/payment-methods", { token: creds.operatorSession })).body).toEqual({ prepaid: true, vouchers: true, deposits: true });
    const code = (await t.platform.vouchers.create({ amount: 10, maxUses: 5, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, "operator:test")).code;
    const off = await t.call("PUT", "/v1/operator/payment-methods", { token: creds.operatorSession, json: { vouchers: false, prepaid: false } });
    expect(off.body).toEqual({ prepaid: false, vouchers: false, deposits: true });
    const refused = await t.call("POST", "/v1/developer/credits/redeem", { token: creds.apiKey, json: { code } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("payment_method_disabled");
    const grant = { developerId: creds.developer.id, amount: 5, requestKey: `grant-${randomUUID()}`, reason: "x" };
    expect((await t.call("POST", "/v1/operator/credits/grants", { token: creds.operatorSession, json: grant })).status).toBe(403);
    expect((await t.call("PUT", "/v1/operator/payment-methods", { token: creds.operatorSession, json: {} })).status).toBe(400);
    await t.call("PUT", "/v1/operator/payment-methods", { token: creds.operatorSession, json: { vouchers: true, prepaid: true } });
    expect((await t.call("POST", "/v1/developer/credits/redeem", { token: creds.apiKey, json: { code } })).status).toBe(200);
    expect(await t.platform.db.auditLogEntry.count({ where: { action: "payments.set" } })).toBe(4);
  });
});
