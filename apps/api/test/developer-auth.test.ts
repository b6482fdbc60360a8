// Developer portal accounts (docs/decisions/0029) on the real API (PostgreSQL,
// Redis): sign-up and sign-in set an HttpOnly, SameSite=Strict cookie scoped to
// /v1/developer; the cookie authenticates developer routes; a state-changing
// request with the cookie needs the session's CSRF token; sign-out ends the
// session at once; every sign-in failure is the same 401 and costs about the
// same; API keys keep working; sign-in is rate-limited.
import { DeveloperSessionSchema } from "@assay/protocol";
import { startApi, type TestApi } from "./helpers";

jest.setTimeout(120_000);

let t: TestApi;
beforeAll(async () => {
  t = await startApi();
});
afterAll(async () => {
  await t.close();
});

const PASSWORD = "correct horse battery staple";

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${t.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

function cookieOf(res: Response): { pair: string; attributes: string } {
  const header = res.headers.getSetCookie().find((c) => c.startsWith("assay_developer_session="));
  if (!header) throw new Error("no session cookie set");
  const [pair, ...attributes] = header.split(";").map((p) => p.trim());
  return { pair: pair!, attributes: attributes.join("; ") };
}

describe("developer sign-up, cookie session, CSRF and sign-out", () => {
  const email = `portal-${Date.now()}@example.com`;
  let cookie: string;
  let csrf: string;

  it("sign-up creates the account, answers the session view and sets a hardened cookie", async () => {
    const res = await post("/v1/developer/auth/sign-up", { email, name: "Portal Dev", password: PASSWORD });
    expect(res.status).toBe(201);
    const body = DeveloperSessionSchema.parse(await res.json());
    expect(body).toMatchObject({ via: "session", developer: { email, name: "Portal Dev" } });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const set = cookieOf(res);
    expect(set.pair).toMatch(/^assay_developer_session=ds_[A-Za-z0-9_-]{43}$/);
    expect(set.attributes).toMatch(/HttpOnly/);
    expect(set.attributes).toMatch(/SameSite=Strict/);
    expect(set.attributes).toMatch(/Path=\/v1\/developer/);
    // http://127.0.0.1: no Secure (it would never be sent back); https public URLs get it (see the next test).
    expect(set.attributes).not.toMatch(/Secure/);
    expect(JSON.stringify(body)).not.toContain(set.pair.split("=")[1]);
    cookie = set.pair;
    csrf = body.csrfToken!;
    // Stored: an argon2id hash, never the password.
    const row = await t.platform.db.developer.findUnique({ where: { email } });
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    const session = await t.platform.db.developerSession.findFirst({ where: { developerId: row!.id } });
    expect(session?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("the cookie authenticates reads; the session route hands back the CSRF token", async () => {
    const me = await fetch(`${t.url}/v1/developer/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(email);
    const session = await fetch(`${t.url}/v1/developer/auth/session`, { headers: { cookie } });
    expect(DeveloperSessionSchema.parse(await session.json())).toMatchObject({ via: "session", csrfToken: csrf });
  });

  it("a state-changing request with the cookie but without (or with a wrong) CSRF token is refused and changes nothing", async () => {
    const before = await t.platform.store.rowCounts();
    const attempts: Record<string, string>[] = [{ cookie }, { cookie, "x-csrf-token": "x".repeat(43) }];
    for (const headers of attempts) {
      const res = await post("/v1/developer/api-keys", { name: "forged" }, headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("csrf_token_invalid");
    }
    expect(await t.platform.store.rowCounts()).toEqual(before);
    const ok = await post("/v1/developer/api-keys", { name: "from the portal" }, { cookie, "x-csrf-token": csrf });
    expect(ok.status).toBe(201);
    const created = (await ok.json()) as { key: string };
    // The key works for the CLI as before (bearer), next to the cookie session.
    expect((await fetch(`${t.url}/v1/developer/me`, { headers: { authorization: `Bearer ${created.key}` } })).status).toBe(200);
  });

  it("the cookie is not a credential on other planes' paths (it is scoped, and ignored there)", async () => {
    expect((await fetch(`${t.url}/v1/public/health`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${t.url}/v1/operator/me`, { headers: { cookie } })).status).toBe(401);
  });

  it("sign-in with the right password opens a second session; sign-out ends one at once and clears the cookie", async () => {
    const res = await post("/v1/developer/auth/sign-in", { email: email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
    const second = cookieOf(res).pair;
    const secondCsrf = DeveloperSessionSchema.parse(await res.json()).csrfToken!;
    const out = await post("/v1/developer/auth/sign-out", {}, { cookie: second, "x-csrf-token": secondCsrf });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join("\n")).toMatch(/assay_developer_session=;.*Expires=Thu, 01 Jan 1970/);
    const after = await fetch(`${t.url}/v1/developer/me`, { headers: { cookie: second } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe("session_invalid");
    // The first session is untouched.
    expect((await fetch(`${t.url}/v1/developer/me`, { headers: { cookie } })).status).toBe(200);
  });

  it("sign-up with a taken email is 409 in plain words; a short password is 400 naming the field", async () => {
    const taken = await post("/v1/developer/auth/sign-up", { email, name: "Again", password: PASSWORD });
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "developer_exists", message: expect.stringContaining("sign in instead") });
    const short = await post("/v1/developer/auth/sign-up", { email: `short-${email}`, name: "Short", password: "short" });
    expect(short.status).toBe(400);
    expect(JSON.stringify(await short.json())).toContain("password");
  });

  it("unknown email, wrong password and a developer without a password get the same 401 after about the same work", async () => {
    const seeded = await t.platform.developers.create({ email: `nopass-${Date.now()}@example.com`, name: "No Password" });
    const cases = {
      unknown: { email: `nobody-${Date.now()}@example.com`, password: PASSWORD },
      wrong: { email, password: "wrong password, long enough" },
      passwordless: { email: seeded.email, password: PASSWORD },
    };
    const bodies = new Set<string>();
    const times: Record<string, number[]> = { unknown: [], wrong: [], passwordless: [] };
    // Interleaved rounds (the rate limit is 20 per minute per client: 3 × 5 = 15 attempts here).
    for (let round = 0; round < 5; round++) {
      for (const [name, body] of Object.entries(cases)) {
        const started = performance.now();
        const res = await post("/v1/developer/auth/sign-in", body);
        times[name]!.push(performance.now() - started);
        expect(res.status).toBe(401);
        bodies.add(await res.text());
      }
    }
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0]!)).toMatchObject({ error: { code: "invalid_credentials" } });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const unknown = median(times.unknown!);
    const wrong = median(times.wrong!);
    // Both do one argon2 verify (tens of ms); a missing verify would be ~1 ms. Generous bound for a loaded machine.
    expect(unknown).toBeGreaterThan(wrong * 0.4);
    expect(wrong).toBeGreaterThan(unknown * 0.4);
  });

  it("sign-in is rate-limited per client: 429 with Retry-After once the budget is spent", async () => {
    let limited: Response | null = null;
    for (let i = 0; i < 25 && !limited; i++) {
      const res = await post("/v1/developer/auth/sign-in", { email: "x@example.com", password: "x" });
      if (res.status === 429) limited = res;
    }
    expect(limited).not.toBeNull();
    expect(limited!.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});

describe("cookie attributes behind https", () => {
  let s: TestApi;
  beforeAll(async () => {
    s = await startApi({ ASSAY_PUBLIC_URL: "https://assay.example" });
  });
  afterAll(async () => {
    await s.close();
  });
  it("with an https public URL the session cookie is Secure", async () => {
    const res = await fetch(`${s.url}/v1/developer/auth/sign-up`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: `secure-${Date.now()}@example.com`, name: "Secure", password: PASSWORD }),
    });
    expect(res.status).toBe(201);
    expect(cookieOf(res).attributes).toMatch(/Secure/);
  });
});
