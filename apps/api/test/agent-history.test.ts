// GET /v1/agent/history over HTTP: a validator's settlements newest first in
// keyset pages that together hold every settlement exactly once, the stake
// after each (before + delta), where it stands now; only its own rows; a
// cursor it did not get from the API is a 400 (never a query that fails with
// a 500); other planes' credentials are refused.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { AgentHistorySchema } from "@assay/protocol";
import { startApi, type TestApi } from "./helpers";

jest.setTimeout(60_000);

let t: TestApi;
let mine: { id: string; token: string };
let other: { id: string; token: string };
const T0 = Date.parse("2026-11-01T00:00:00.000Z");
let final = { stake: "", reputationBps: 0 };

async function validator() {
  const publicKey = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
  const { id } = await t.platform.validators.activate({ publicKey, stake: "1000", kind: "agent" });
  await t.platform.db.validator.update({ where: { id }, data: { standing: "active", stake: 1_000n } });
  return { id, token: (await t.platform.tokens.issue("agent", id)).token };
}

beforeAll(async () => {
  t = await startApi();
  mine = await validator();
  other = await validator();
  // Seven settlements, two of them in the same millisecond (the id breaks the tie), as the settle step writes them.
  let stake = 1_000n;
  let reputation = 5_000;
  for (let i = 0; i < 7; i++) {
    const delta = i % 3 === 2 ? -40n : 15n;
    const after = Math.max(0, reputation + (delta > 0n ? 120 : -300));
    await t.platform.db.reputationEvent.create({
      data: {
        validatorId: mine.id,
        assemblyId: randomUUID(),
        round: 1,
        role: delta > 0n ? "coherent" : "no_show",
        reputationBefore: reputation,
        reputationAfter: after,
        stakeBefore: stake,
        stakeSlashed: delta > 0n ? 0n : 40n,
        reward: delta > 0n ? 15n : 0n,
        stakeDelta: delta,
        createdAt: new Date(T0 + Math.min(i, 5) * 60_000),
      },
    });
    stake += delta;
    reputation = after;
  }
  await t.platform.db.validator.update({ where: { id: mine.id }, data: { stake, reputationBps: reputation } });
  final = { stake: stake.toString(), reputationBps: reputation };
  await t.platform.db.reputationEvent.create({
    data: { validatorId: other.id, assemblyId: randomUUID(), round: 1, role: "coherent", reputationBefore: 5_000, reputationAfter: 5_100, stakeBefore: 1_000n, stakeSlashed: 0n, reward: 1n, stakeDelta: 1n },
  });
});

afterAll(async () => {
  await t?.close();
});

test("pages hold every settlement once, newest first, with the stake after each and the validator's standing now", async () => {
  const seen: string[] = [];
  const points = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await t.call("GET", `/v1/agent/history${query}`, { token: mine.token });
    expect(res.status).toBe(200);
    const page = AgentHistorySchema.parse(res.body);
    expect(page.validatorId).toBe(mine.id);
    for (const p of page.points) seen.push(`${p.assemblyId}:${p.round}`);
    points.push(...page.points);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  expect(pages).toBe(3);
  expect(new Set(seen).size).toBe(7);
  const times = points.map((p) => Date.parse(p.at));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  // Oldest last: the chain of stakes and reputations links up (settlements in one millisecond come in id order, so links are checked across distinct instants).
  const oldestFirst = [...points].reverse();
  for (let i = 1; i < 5; i++) {
    expect(oldestFirst[i]!.stakeBefore).toBe(oldestFirst[i - 1]!.stakeAfter);
    expect(oldestFirst[i]!.reputationBefore).toBe(oldestFirst[i - 1]!.reputationAfter);
  }
  for (const p of points) expect(BigInt(p.stakeAfter)).toBe(BigInt(p.stakeBefore) + (p.role === "coherent" ? 15n : -40n));
  const now = AgentHistorySchema.parse((await t.call("GET", "/v1/agent/history", { token: mine.token })).body).current;
  expect(now).toMatchObject(final);
});

test("a validator sees only its own settlements", async () => {
  const res = await t.call("GET", "/v1/agent/history", { token: other.token });
  expect(res.status).toBe(200);
  expect(AgentHistorySchema.parse(res.body).points).toHaveLength(1);
});

test("a cursor the API did not write is a 400, whatever it decodes to", async () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const bad = [
    "not-a-cursor",
    b64(["-271821-04-20T00:00:00.000Z", randomUUID()]),
    b64(["+275760-09-13T00:00:00.000Z", randomUUID()]),
    b64(["0000-01-01T00:00:00.000Z", randomUUID()]),
    b64(["2026-11-01T00:00:00.000Z", "not-a-uuid"]),
    b64(["2026-11-01T00:00:00Z", randomUUID()]),
    b64({ createdAt: "2026-11-01T00:00:00.000Z" }),
    b64([1, 2]),
  ];
  for (const cursor of bad) {
    const res = await t.call("GET", `/v1/agent/history?cursor=${encodeURIComponent(cursor)}`, { token: mine.token });
    expect([res.status, res.body?.error?.code]).toEqual([400, "cursor_invalid"]);
  }
  for (const limit of ["0", "501", "x", "1.5"]) expect((await t.call("GET", `/v1/agent/history?limit=${limit}`, { token: mine.token })).status).toBe(400);
});

test("no agent token, no history", async () => {
  expect((await t.call("GET", "/v1/agent/history", { token: null })).status).toBe(401);
  const developer = await t.platform.developers.create({ email: `history-${randomUUID()}@example.test`, name: "History" });
  const apiKey = (await t.platform.apiKeys.create(developer.id, "history")).key;
  expect((await t.call("GET", "/v1/agent/history", { token: apiKey })).status).toBe(401);
});
