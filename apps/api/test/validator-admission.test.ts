// Validator admission over HTTP (docs/decisions/0012, issue 8 point 2, issue 14
// item 7), real PostgreSQL: activation is rate-limited per client and per key
// (429, nothing written), creates pending validators that no snapshot draws, a
// declared stake never reaches the draw (and 10^30 is refused by the schema),
// the pending cap answers 429, operator actions write audit-log rows and change
// who can be drawn, weak Ed25519 keys are refused and the R = identity, S = 0
// forgery gets no token.
import { createPublicKey, generateKeyPairSync, sign, verify as rawVerify, type KeyObject } from "node:crypto";
import { snapshotEligible } from "@assay/assembly";
import { ValidatorActionResultSchema, ValidatorViewSchema } from "@assay/protocol";
import { ed25519PointProblem, verifyEd25519Strict, Y_ORDER_8, type Platform } from "@assay/platform";
import { credentialsFor, startApi, type TestApi } from "./helpers";

jest.setTimeout(120_000);

/** The 8 points of small order as their canonical encodings (sign bit set where x ≠ 0 has a negative twin). */
const SMALL_ORDER_KEYS = [
  "0100000000000000000000000000000000000000000000000000000000000000", // identity (order 1)
  "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // (0, −1) (order 2)
  "0000000000000000000000000000000000000000000000000000000000000080", // (−√−1, 0) (order 4)
  "0000000000000000000000000000000000000000000000000000000000000000", // (√−1, 0) (order 4): the all-zero key
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
  "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", // order 8
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
  "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", // order 8
].map((hex) => Buffer.from(hex, "hex").toString("base64url"));

const freshKey = (): { publicKey: string; privateKey: KeyObject } => {
  const pair = generateKeyPairSync("ed25519");
  return { publicKey: (pair.publicKey.export({ format: "jwk" }) as { x: string }).x, privateKey: pair.privateKey };
};

/** What the assembly's open step draws from: every validator row as the snapshot sees it (conflicts: the developer's own). */
async function drawable(platform: Platform, developerId: string | null = null): Promise<Map<string, bigint>> {
  const rows = await platform.db.validator.findMany({ orderBy: { id: "asc" } });
  const snapshot = snapshotEligible(
    rows.map((v) => ({ id: v.id, stake: v.stake, reputationBps: v.reputationBps, standing: v.standing, kind: v.kind, modelFamily: v.modelFamily })),
    { conflicts: rows.filter((v) => developerId !== null && v.developerId === developerId).map((v) => v.id) },
  );
  return new Map(snapshot.document.validators.map((e) => [e.id, BigInt(e.stake)]));
}

describe("activation limits", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startApi();
  });
  afterAll(async () => {
    await t.close();
  });

  it("50 activations from one client: 20 pending validators, 30 × 429 rate_limited with nothing written; none drawable", async () => {
    const before = await t.platform.db.validator.count();
    const statuses: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await t.call("POST", "/v1/agent/activate", { json: { publicKey: freshKey().publicKey, stake: "999999999999999999", kind: "agent", modelFamily: `f${i}` } });
      statuses.push(res.status);
      if (res.status === 201) {
        const view = ValidatorViewSchema.parse(res.body);
        expect(view).toMatchObject({ standing: "pending", stake: "0", declaredStake: "999999999999999999", admittedAt: null });
        ids.push(view.id);
      } else {
        expect(res.status).toBe(429);
        expect(res.body.error.code).toBe("rate_limited");
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(res.body.error.details.retryAfterSeconds).toBeGreaterThan(0);
      }
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
    expect(await t.platform.db.validator.count()).toBe(before + 20);
    // The operator's admission queue lists them, oldest first.
    const { operator } = await t.platform.operators.create({ email: `queue-${Date.now()}@example.com`, password: "operator password 1", role: "admin" });
    const session = await t.platform.tokens.issue("operator", operator.id, { role: operator.role });
    const queue = await t.call("GET", "/v1/operator/validators?standing=pending", { token: session.token });
    expect(queue.body.validators.map((v: { id: string }) => v.id)).toEqual(ids);
    expect((await t.call("GET", "/v1/operator/validators?standing=nonsense", { token: session.token })).status).toBe(400);
    // Pending: not one of them can be drawn, whatever they declared.
    expect([...(await drawable(t.platform)).keys()].filter((id) => ids.includes(id))).toEqual([]);
  });

  it("challenge is limited per public key (the 11th within a minute is 429) and writes no challenge row", async () => {
    const key = freshKey();
    // A fresh API, so the address bucket of the previous test does not interfere.
    const u = await startApi();
    try {
      expect((await u.call("POST", "/v1/agent/activate", { json: { publicKey: key.publicKey, stake: "1", kind: "person" } })).status).toBe(201);
      const codes: number[] = [];
      for (let i = 0; i < 11; i++) codes.push((await u.call("POST", "/v1/agent/challenge", { json: { publicKey: key.publicKey } })).status);
      // The activation took one from the key's bucket of 10.
      expect(codes.filter((c) => c === 200)).toHaveLength(9);
      expect(codes.slice(9)).toEqual([429, 429]);
      expect(await u.platform.db.validatorChallenge.count()).toBe(9);
    } finally {
      await u.close();
    }
  });
});

describe("admission", () => {
  let t: TestApi;
  let creds: Awaited<ReturnType<typeof credentialsFor>>;
  beforeAll(async () => {
    t = await startApi({ ASSAY_MAX_PENDING_VALIDATORS: "6", ASSAY_AGENT_ACTIVATE_LIMIT: "100" });
    creds = await credentialsFor(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const activate = async (stake = "1000") => {
    const res = await t.call("POST", "/v1/agent/activate", { json: { publicKey: freshKey().publicKey, stake, kind: "person" } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const act = (id: string, action: string, json?: unknown, method = "POST") => t.call(method, `/v1/operator/validators/${id}/${action}`, { token: creds.operatorSession, json });
  const auditRows = (id: string) => t.platform.db.auditLogEntry.findMany({ where: { target: id }, orderBy: { createdAt: "asc" } });

  it("a declared stake of 10^30 is refused by the schema; a declared 10^18−1 never reaches the snapshot, the approved stake does", async () => {
    const huge = await t.call("POST", "/v1/agent/activate", { json: { publicKey: freshKey().publicKey, stake: "1000000000000000000000000000000", kind: "person" } });
    expect(huge.status).toBe(400);
    expect(JSON.stringify(huge.body.error.details)).toContain("stake");
    const id = await activate("999999999999999999");
    expect((await drawable(t.platform)).has(id)).toBe(false);
    const approved = await act(id, "approve", { stake: "5000", reason: "KYC done" });
    expect(approved.status).toBe(200);
    const result = ValidatorActionResultSchema.parse(approved.body);
    expect(result.validator).toMatchObject({ standing: "active", stake: "5000", declaredStake: "999999999999999999", admittedBy: `operator:${creds.operator.id}` });
    // The draw weighs 5000, not the declared figure.
    expect((await drawable(t.platform)).get(id)).toBe(5000n);
    const [row] = await auditRows(id);
    expect(row).toMatchObject({ action: "validator.approve", actor: `operator:${creds.operator.id}`, target: id });
    expect(row!.before).toMatchObject({ standing: "pending", stake: "0" });
    expect(row!.after).toMatchObject({ standing: "active", stake: "5000", reason: "KYC done" });
    // Approving twice is a conflict and writes nothing.
    expect((await act(id, "approve", { stake: "1" })).body.error.code).toBe("validator_not_pending");
    expect(await auditRows(id)).toHaveLength(1);
  });

  it("suspend / reinstate / slash / bind / unbind each write one audit-log row and change who is drawn", async () => {
    const id = await activate();
    await act(id, "approve", { stake: "10000" });
    const suspended = await act(id, "suspend", { reason: "no-shows" });
    expect(suspended.status).toBe(200);
    expect(suspended.body.validator.standing).toBe("suspended");
    // The assemblies' seat voiding ran (no open seat to void here; apps/worker/test/assembly.test.ts voids a live one).
    expect(suspended.body.voidedSeats).toBe(0);
    expect((await drawable(t.platform)).has(id)).toBe(false);
    // A suspended validator gets no agent token either.
    const reinstated = await act(id, "reinstate", { reason: "appeal granted" });
    expect(reinstated.body.validator.standing).toBe("active");
    expect((await drawable(t.platform)).has(id)).toBe(true);

    const slashed = await act(id, "slash", { amount: "2500", reason: "colluded in assembly X" });
    expect(slashed.status).toBe(200);
    expect(slashed.body).toMatchObject({ validator: { stake: "7500" }, chainMirror: "not_on_chain" });
    expect((await drawable(t.platform)).get(id)).toBe(7500n);
    expect((await act(id, "slash", { amount: "7501", reason: "too much" })).body.error.code).toBe("slash_exceeds_stake");

    const bound = await act(id, "developer", { developerId: creds.developer.id });
    expect(bound.body.validator.developerId).toBe(creds.developer.id);
    // Bound: a conflict for that developer's submissions, still drawable for everybody else's.
    expect((await drawable(t.platform, creds.developer.id)).has(id)).toBe(false);
    expect((await drawable(t.platform, null)).has(id)).toBe(true);
    expect((await act(id, "developer", undefined, "DELETE")).body.validator.developerId).toBeNull();
    expect((await drawable(t.platform, creds.developer.id)).has(id)).toBe(true);

    const rows = await auditRows(id);
    expect(rows.map((r) => r.action)).toEqual(["validator.approve", "validator.suspend", "validator.reinstate", "validator.slash", "validator.bind", "validator.unbind"]);
    expect(rows[3]!.after).toMatchObject({ stake: "7500", amount: "2500", reason: "colluded in assembly X" });
    // The operator plane's audit log lists them.
    const log = await t.call("GET", "/v1/operator/audit-log", { token: creds.operatorSession });
    expect(log.body.entries.filter((e: { target: string }) => e.target === id)).toHaveLength(6);
  });

  it("refusals write nothing: unknown validator, unknown developer, other planes, non-admin", async () => {
    const id = await activate();
    const before = await t.platform.store.rowCounts();
    expect((await act("00000000-0000-4000-8000-000000000000", "suspend", { reason: "x" })).status).toBe(404);
    expect((await act(id, "developer", { developerId: "00000000-0000-4000-8000-000000000000" })).body.error.code).toBe("developer_not_found");
    expect((await act(id, "approve", { stake: "0" })).status).toBe(400);
    expect((await act(id, "reinstate", {})).body.error.code).toBe("validator_not_suspended");
    expect((await t.call("POST", `/v1/operator/validators/${id}/approve`, { token: creds.agent, json: { stake: "1" } })).status).toBe(401);
    const { operator } = await t.platform.operators.create({ email: `rev-${Date.now()}@example.com`, password: "reviewer password 1", role: "reviewer" });
    const reviewer = await t.platform.tokens.issue("operator", operator.id, { role: operator.role });
    expect((await t.call("POST", `/v1/operator/validators/${id}/approve`, { token: reviewer.token, json: { stake: "1" } })).status).toBe(403);
    const after = await t.platform.store.rowCounts();
    // The reviewer account is the only new row.
    expect({ ...after, operators: before.operators }).toEqual(before);
  });

  it("the pending cap: activation over it is 429 pending_validators_full and writes nothing; approval frees a place", async () => {
    const pending = () => t.platform.db.validator.count({ where: { standing: "pending" } });
    while ((await pending()) < 6) await activate();
    const before = await t.platform.db.validator.count();
    const refused = await t.call("POST", "/v1/agent/activate", { json: { publicKey: freshKey().publicKey, stake: "1", kind: "person" } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("pending_validators_full");
    expect(refused.headers.get("retry-after")).toBeTruthy();
    expect(await t.platform.db.validator.count()).toBe(before);
    const one = await t.platform.db.validator.findFirstOrThrow({ where: { standing: "pending" } });
    await act(one.id, "approve", { stake: "1" });
    expect((await t.call("POST", "/v1/agent/activate", { json: { publicKey: freshKey().publicKey, stake: "1", kind: "person" } })).status).toBe(201);
  });
});

describe("weak Ed25519 keys (issue 14 item 7)", () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startApi({ ASSAY_AGENT_ACTIVATE_LIMIT: "100" });
  });
  afterAll(async () => {
    await t.close();
  });

  it("the 8 small-order points are small order (d·y⁴ + 2y² − 1 = 0 for the order-8 y) and every encoding is refused", () => {
    const P = 2n ** 255n - 19n;
    const pow = (b: bigint, e: bigint): bigint => (e === 0n ? 1n : e % 2n ? (b * pow(b, e - 1n)) % P : pow((b * b) % P, e / 2n));
    const d = (((-121665n * pow(121666n, P - 2n)) % P) + P) % P;
    const y2 = (Y_ORDER_8 * Y_ORDER_8) % P;
    expect((((d * y2) % P) * y2 + 2n * y2 - 1n) % P).toBe(0n);
    for (const key of SMALL_ORDER_KEYS) expect(ed25519PointProblem(Buffer.from(key, "base64url"))).toBe("small_order");
    // Non-canonical encodings of small-order points (y + p) too.
    expect(ed25519PointProblem(Buffer.from("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "hex"))).toBe("small_order");
    expect(ed25519PointProblem(Buffer.from("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "hex"))).toBe("small_order");
    for (let i = 0; i < 20; i++) expect(ed25519PointProblem(Buffer.from(freshKey().publicKey, "base64url"))).toBeNull();
  });

  it("activation refuses every small-order key (400 public_key_weak) and writes nothing", async () => {
    const before = await t.platform.db.validator.count();
    for (const publicKey of SMALL_ORDER_KEYS) {
      const res = await t.call("POST", "/v1/agent/activate", { json: { publicKey, stake: "1", kind: "person" } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("public_key_weak");
    }
    expect(await t.platform.db.validator.count()).toBe(before);
  });

  it("the R = identity, S = 0 forgery: OpenSSL alone accepts it for the identity key; the strict verifier and /token refuse it", async () => {
    const identity = SMALL_ORDER_KEYS[0]!;
    const forged = Buffer.concat([Buffer.from(SMALL_ORDER_KEYS[0]!, "base64url"), Buffer.alloc(32)]).toString("base64url");
    const message = "assay.agent-challenge/v1\nanything";
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: identity }, format: "jwk" });
    expect(rawVerify(null, Buffer.from(message), key, Buffer.from(forged, "base64url"))).toBe(true);
    expect(verifyEd25519Strict(identity, message, forged)).toBe(false);
    // A validator row with that key (as an older platform accepted it) still gets no token.
    const row = await t.platform.db.validator.create({ data: { publicKey: identity, kind: "person", stake: 1000n, reputationBps: 5000, standing: "active" } });
    const challenge = await t.call("POST", "/v1/agent/challenge", { json: { publicKey: identity } });
    expect(challenge.status).toBe(200);
    const token = await t.call("POST", "/v1/agent/token", { json: { nonce: challenge.body.nonce, signature: forged } });
    expect(token.status).toBe(401);
    expect(token.body.error.code).toBe("challenge_invalid");
    expect(token.body.token).toBeUndefined();
    await t.platform.db.validator.delete({ where: { id: row.id } });
  });

  it("an honest key signs in (pending validators can read their own standing)", async () => {
    const key = freshKey();
    expect((await t.call("POST", "/v1/agent/activate", { json: { publicKey: key.publicKey, stake: "1", kind: "person" } })).status).toBe(201);
    const challenge = await t.call("POST", "/v1/agent/challenge", { json: { publicKey: key.publicKey } });
    const signature = sign(null, Buffer.from(challenge.body.message, "utf8"), key.privateKey).toString("base64url");
    const token = await t.call("POST", "/v1/agent/token", { json: { nonce: challenge.body.nonce, signature } });
    expect(token.status).toBe(200);
    const me = await t.call("GET", "/v1/agent/me", { token: token.body.token });
    expect(me.body).toMatchObject({ standing: "pending", stake: "0", declaredStake: "1" });
  });
});
