// The public registry (issue 12 item 5): search filters and keyset pagination
// against a model of the issued certificates (real PostgreSQL, a controllable
// clock), the registry view on the certificate route, the SVG badge for every
// status, escaping of a hostile runtime name, ETag/304 and CDN cache headers,
// the public rate limiter.
import { AddressInfo } from "node:net";
import fc from "fast-check";
import {
  BullJobPublisher,
  createTestEnvironment,
  sampleManifest,
  samplePackedRuntime,
  sampleUnsignedCertificate,
  type Platform,
  type TestEnvironment,
} from "@assay/platform";
import {
  PublicCertificateSchema,
  RegistryPageSchema,
  registryStatusOf,
  type RegistryEntry,
  type RegistryStatus,
} from "@assay/protocol";
import { createApp, type ApiApp } from "../src/app";
import { contractRoutes } from "../src/openapi";
import { hostileId, hostileQueryValue } from "./contract/arbitraries";
import { conformanceProblems } from "./contract/conformance";
import { clientFor, type TestApi } from "./helpers";

jest.setTimeout(180_000);

const DAY = 86_400_000;
const START = Date.parse("2026-03-01T00:00:00Z");
let now = START;
const clock = () => new Date(now);

type Fixture = {
  id: string;
  name: string;
  version: string;
  claims: string[];
  suiteVersion: string;
  issuedAt: Date;
  validUntil: Date;
  stored: "active" | "suspended" | "revoked" | "expired";
  reason: string | null;
};

let env: TestEnvironment;
let api: ApiApp;
let call: TestApi["call"];
let platform: Platform;
const fixtures: Fixture[] = [];

const HOSTILE = `<svg onload="alert(1)">&amp;'\u0001"]]><!--`;
const NAMES = ["drift-guard", "Drift-Sentinel", "attractor-keeper", "100%_pure", "100xxpure", "Ünïcode-runtime", HOSTILE];
const CLAIM_SETS = [["SRIP-03"], ["SRIP-05"], ["SRIP-03", "SRIP-05"], ["SRIP-03", "SRIP-05", "SRIP-13"], ["SRIP-13"]];
const SUITE_VERSIONS = ["1.0.0", "1.1.0"];

async function issue(input: { name: string; claims: string[]; suiteVersion: string; at: number; version?: string }): Promise<Fixture> {
  now = input.at;
  const developer = await platform.developers.create({ email: `r-${Math.random()}@example.com`, name: "R" });
  const submission = await platform.submissions.create(
    developer.id,
    samplePackedRuntime({ manifest: sampleManifest({ name: `runtime-${fixtures.length}` }), entrySource: `export const n = ${fixtures.length};` }),
  );
  await platform.submissions.transition(submission.id, "auditing", { actor: "test" });
  await platform.submissions.transition(submission.id, "in_assembly", { actor: "test" });
  const version = input.version ?? "1.0.0";
  const unsigned = sampleUnsignedCertificate({ name: input.name, version, digest: submission.subjectDigest });
  const allClaims = ["SRIP-03", "SRIP-05", "SRIP-13"];
  unsigned.claims = input.claims;
  unsigned.claimsNotGranted = allClaims.filter((c) => !input.claims.includes(c)).map((srip) => ({ srip, reason: "not-evidenced" as const, findings: ["ALIAS_SCOPE_LEAK" as const] }));
  unsigned.audit = { ...unsigned.audit, suite: { id: "core", version: input.suiteVersion } };
  const document = await platform.certificates.issue(submission.id, unsigned as never, "test");
  const fixture: Fixture = {
    id: document.id,
    name: input.name,
    version,
    claims: input.claims,
    suiteVersion: input.suiteVersion,
    issuedAt: new Date(document.payload.issuedAt),
    validUntil: new Date(document.payload.validUntil),
    stored: "active",
    reason: null,
  };
  fixtures.push(fixture);
  return fixture;
}

async function setStatus(f: Fixture, to: "suspended" | "revoked" | "expired", reason?: string) {
  await platform.certificates.changeStatus(f.id, to, { reasonCode: reason, actor: "test" });
  f.stored = to;
  f.reason = reason ?? null;
}

beforeAll(async () => {
  env = createTestEnvironment({ ASSAY_PUBLIC_RATE_LIMIT: "1000000", ASSAY_CERTIFICATE_VALIDITY_DAYS: "60" });
  api = await createApp(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix), clock });
  await api.app.listen(0, "127.0.0.1");
  call = clientFor(`http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`);
  platform = api.platform;
  // 42 certificates over 42 days, two per issuance instant on every seventh day (the id breaks the tie).
  for (let i = 0; i < 42; i++) {
    const at = START + Math.floor(i / 7) * 7 * DAY + (i % 7 === 6 ? (i % 7) - 1 : i % 7) * DAY;
    await issue({ name: NAMES[i % NAMES.length]!, claims: CLAIM_SETS[i % CLAIM_SETS.length]!, suiteVersion: SUITE_VERSIONS[i % 2]!, at, version: `1.${i}.0` });
  }
  // Statuses: some suspended, revoked, expired by the sweep; the clock then moves so the oldest pass validUntil.
  for (const [i, f] of fixtures.entries()) {
    if (i % 9 === 1) await setStatus(f, "suspended", "under_review");
    else if (i % 9 === 4) await setStatus(f, "revoked", "key_compromise");
    else if (i % 9 === 7) await setStatus(f, "expired");
  }
  now = START + 75 * DAY;
});

afterAll(async () => {
  await api?.close();
  await env?.cleanup();
});

const query = (q: Record<string, string | undefined>) => {
  const params = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined));
  const text = params.toString();
  return `/v1/public/registry/certificates${text ? `?${text}` : ""}`;
};

type Filter = { name?: string; claim?: string; status?: RegistryStatus; suiteVersion?: string; issuedFrom?: string; issuedBefore?: string };

/** The model: what the registry must answer for a filter, in its order. */
function expected(filter: Filter): string[] {
  const at = new Date(now);
  return fixtures
    .filter((f) => filter.name === undefined || f.name.toLowerCase().includes(filter.name.toLowerCase()))
    .filter((f) => filter.claim === undefined || f.claims.includes(filter.claim))
    .filter((f) => filter.status === undefined || registryStatusOf(f.stored, f.validUntil, at) === filter.status)
    .filter((f) => filter.suiteVersion === undefined || f.suiteVersion === filter.suiteVersion)
    .filter((f) => filter.issuedFrom === undefined || f.issuedAt.getTime() >= Date.parse(filter.issuedFrom))
    .filter((f) => filter.issuedBefore === undefined || f.issuedAt.getTime() < Date.parse(filter.issuedBefore))
    .sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime() || (a.id < b.id ? 1 : -1))
    .map((f) => f.id);
}

/** Every page of a search, following nextCursor. */
async function allPages(filter: Filter, limit: number): Promise<{ ids: string[]; pages: number; items: RegistryEntry[] }> {
  const items: RegistryEntry[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const answer = await call("GET", query({ ...filter, limit: String(limit), cursor }));
    expect(answer.status).toBe(200);
    const page = RegistryPageSchema.parse(answer.body);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    pages++;
    if (pages > 200) throw new Error("pagination does not end");
  } while (cursor);
  return { ids: items.map((i) => i.id), pages, items };
}

describe("search", () => {
  it("lists every certificate newest first, ties by id, with registry statuses, and each filter selects what the model says", async () => {
    const all = await allPages({}, 100);
    expect(all.ids).toEqual(expected({}));
    // The statuses the model derives (including certificates past validUntil that the sweep has not marked).
    const at = new Date(now);
    for (const item of all.items) {
      const f = fixtures.find((x) => x.id === item.id)!;
      expect(item.status).toBe(registryStatusOf(f.stored, f.validUntil, at));
      expect(item.runtime).toEqual({ name: f.name, version: f.version });
      expect(item.claims).toEqual(f.claims);
      expect(item.suite).toEqual({ id: "core", version: f.suiteVersion });
      expect(item.links.badge).toBe(`${env.config.api.publicUrl}/badge/${f.id}.svg`);
      expect(item.statusReason).toBe(item.status === "suspended" || item.status === "revoked" ? f.reason : null);
    }
    const statuses = new Set(all.items.map((i) => i.status));
    expect([...statuses].sort()).toEqual(["certified", "expired", "revoked", "suspended"]);
    expect(all.items.some((i) => i.status === "expired" && fixtures.find((f) => f.id === i.id)!.stored === "active")).toBe(true);

    const filters: Filter[] = [
      { name: "drift" },
      { name: "DRIFT-S" },
      { name: "00%" },
      { name: "0_x" },
      { name: "ünïcode" },
      { name: "<svg" },
      { claim: "SRIP-05" },
      { claim: "SRIP-13", status: "certified" },
      { status: "certified" },
      { status: "expired" },
      { status: "suspended" },
      { status: "revoked" },
      { suiteVersion: "1.1.0" },
      { issuedFrom: "2026-03-15", issuedBefore: "2026-03-29T00:00:00Z" },
      { issuedFrom: "2026-03-08T00:00:00+01:00" },
      { name: "drift", claim: "SRIP-03", suiteVersion: "1.0.0", issuedBefore: "2026-04-01" },
    ];
    for (const filter of filters) {
      const got = await allPages(filter, 100);
      expect({ filter, ids: got.ids }).toEqual({ filter, ids: expected(filter) });
    }
    // `%` and `_` are literal: "00%" is only in "100%_pure" (as a wildcard it would match "100xxpure" too), "0_x" is in no name.
    const percent = await allPages({ name: "00%" }, 100);
    expect(percent.items.length).toBeGreaterThan(0);
    expect(percent.items.every((i) => i.runtime.name === "100%_pure")).toBe(true);
    expect((await allPages({ name: "0_x" }, 100)).ids).toEqual([]);
    // The claim filter is case-insensitive on the SRIP id.
    expect((await allPages({ claim: "srip-05" }, 100)).ids).toEqual(expected({ claim: "SRIP-05" }));
  });

  it("pages through any filter with any page size without duplicates or misses (property)", async () => {
    const filterArb = fc.record(
      {
        name: fc.constantFrom("drift", "pure", "RUNTIME", "ent", "zzz"),
        claim: fc.constantFrom("SRIP-03", "SRIP-05", "SRIP-13"),
        status: fc.constantFrom<RegistryStatus>("certified", "expired", "suspended", "revoked"),
        suiteVersion: fc.constantFrom("1.0.0", "1.1.0"),
        issuedFrom: fc.integer({ min: 0, max: 45 }).map((d) => new Date(START + d * DAY).toISOString()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(filterArb, fc.integer({ min: 1, max: 9 }), async (filter, limit) => {
        const want = expected(filter);
        const got = await allPages(filter, limit);
        expect(got.ids).toEqual(want);
        expect(new Set(got.ids).size).toBe(got.ids.length);
        // Pages are full until the last; an exact multiple ends with nextCursor null on the last full page.
        expect(got.pages).toBe(Math.max(1, Math.ceil(want.length / limit)));
      }),
      { numRuns: 30, seed: 12 },
    );
  });

  it("a page boundary between two certificates issued in the same second neither repeats nor skips one", async () => {
    const tied = fixtures.filter((f) => fixtures.some((g) => g !== f && g.issuedAt.getTime() === f.issuedAt.getTime()));
    expect(tied.length).toBeGreaterThanOrEqual(2);
    for (let limit = 1; limit <= 4; limit++) expect((await allPages({}, limit)).ids).toEqual(expected({}));
  });

  it("refuses hostile cursors and bad filters with 400, in the API's error shape", async () => {
    const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const id = fixtures[0]!.id;
    const badCursors = [
      "not-base64-json",
      cursorOf(["-271821-04-19T00:00:00.000Z", id]),
      cursorOf(["+275760-09-13T00:00:00.000Z", id]),
      cursorOf(["0000-01-01T00:00:00.000Z", id]),
      cursorOf(["2026-13-45T99:99:99.999Z", id]),
      cursorOf(["2026-03-01T00:00:00.000Z", "not-an-id"]),
      cursorOf(["2026-03-01T00:00:00.000Z", "6f1c2b9e-0a4d-4c1e-9f3a-2b7d8e9f0a1b"]),
      cursorOf({ issuedAt: "2026-03-01T00:00:00.000Z", id }),
      cursorOf(["2026-03-01T00:00:00.000Z", id, "extra"]),
      cursorOf([]),
    ];
    for (const cursor of badCursors) {
      const answer = await call("GET", query({ cursor }));
      expect({ cursor, status: answer.status, code: answer.body?.error?.code }).toEqual({ cursor, status: 400, code: "cursor_invalid" });
    }
    const badQueries: Record<string, string>[] = [
      { status: "active" },
      { claim: "SRIP-X" },
      { claim: "SRIP-05; DROP TABLE certificates" },
      { name: "" },
      { name: "ab" },
      { name: "   " },
      { name: "a\u0000b" },
      { name: "x".repeat(101) },
      { issuedFrom: "2026-02-30" },
      { issuedFrom: "0000-01-01" },
      { issuedBefore: "0000-00-00" },
      { issuedBefore: "yesterday" },
      { suiteVersion: "1.0.0'--" },
      { limit: "0" },
      { limit: "101" },
      { sort: "id" },
    ];
    for (const q of badQueries) {
      const answer = await call("GET", query(q));
      expect({ q, status: answer.status, code: typeof answer.body?.error?.code }).toEqual({ q, status: 400, code: "string" });
    }
  });

  it("sends CDN cache headers and an ETag; a matching If-None-Match gets 304 without a body", async () => {
    const path = query({ claim: "SRIP-03", limit: "5" });
    const first = await call("GET", path);
    expect(first.status).toBe(200);
    const cacheControl = first.headers.get("cache-control")!;
    expect(cacheControl).toMatch(/\bpublic\b/);
    expect(cacheControl).toMatch(/\bmax-age=\d+/);
    expect(cacheControl).toMatch(/\bs-maxage=\d+/);
    expect(cacheControl).toMatch(/\bstale-while-revalidate=\d+/);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    const again = await call("GET", path, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    expect(again.headers.get("etag")).toBe(etag);
    // A list with the tag in it, and the weak form, match too; another tag does not.
    expect((await call("GET", path, { headers: { "if-none-match": `"nope", W/${etag}` } })).status).toBe(304);
    expect((await call("GET", path, { headers: { "if-none-match": `"nope"` } })).status).toBe(200);
    // Another page is another representation.
    expect((await call("GET", query({ claim: "SRIP-03", limit: "4" }))).headers.get("etag")).not.toBe(etag);
  });
});

describe("a certificate's registry view", () => {
  it("GET /v1/public/certificates/:id carries status, claims with evidence, renewals and flags, with an ETag", async () => {
    const f = fixtures.find((x) => x.stored === "suspended")!;
    await platform.certificateFlags.submit(f.id, { category: "wrong-claims", text: "registry test" }, "192.0.2.55");
    const answer = await call("GET", `/v1/public/certificates/${f.id}`);
    expect(answer.status).toBe(200);
    const body = PublicCertificateSchema.parse(answer.body);
    const view = body.registry;
    expect(view.id).toBe(f.id);
    expect(view.status).toBe(registryStatusOf(f.stored, f.validUntil, new Date(now)));
    expect(view.runtime).toEqual({ name: f.name, version: f.version });
    expect(view.claimsEvidence.filter((c) => c.granted).map((c) => c.srip)).toEqual(f.claims);
    expect(view.claimsEvidence.filter((c) => !c.granted).map((c) => c.srip)).toEqual(["SRIP-03", "SRIP-05", "SRIP-13"].filter((c) => !f.claims.includes(c)));
    for (const c of view.claimsEvidence) if (c.granted) expect(c.grantedBy).toBe("assembly");
    expect(view.flags.open).toBe(1);
    expect(view.supersededBy).toEqual([]);
    expect(answer.headers.get("cache-control")).toBe("public, no-cache");
    const etag = answer.headers.get("etag")!;
    expect((await call("GET", `/v1/public/certificates/${f.id}`, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("summarises each granted claim's evidence: the non-blocking findings the audit report noted against it", async () => {
    now = START + 76 * DAY;
    const developer = await platform.developers.create({ email: `e-${Math.random()}@example.com`, name: "E" });
    const submission = await platform.submissions.create(developer.id, samplePackedRuntime({ entrySource: "export const evidence = 1;" }));
    const reportDigest = `0x${"4".repeat(64)}`;
    const run = await platform.store.repos.audits.latestRun(submission.id);
    const finding = (code: string, severity: "info" | "minor" | "major", scenario: string) => ({ code, severity, scenario, turn: 3, message: code, evidence: {} });
    await platform.store.repos.audits.saveReport({
      auditRunId: run!.id,
      digest: reportDigest,
      verdict: "pass",
      document: { format: "assay.report/v2" },
      findings: [finding("CRYSTALLIZED", "minor", "stability"), finding("CRYSTALLIZED", "minor", "stability"), finding("ALIAS_SCOPE_LEAK", "major", "identity"), finding("PACKET_INVALID", "info", "sync")],
    });
    await platform.submissions.transition(submission.id, "auditing", { actor: "test" });
    await platform.submissions.transition(submission.id, "in_assembly", { actor: "test" });
    const unsigned = sampleUnsignedCertificate({ name: "evidence-runtime", version: "2.0.0", digest: submission.subjectDigest });
    unsigned.audit = { ...unsigned.audit, reportDigest: reportDigest as never };
    const document = await platform.certificates.issue(submission.id, unsigned, "test");
    fixtures.push({ id: document.id, name: "evidence-runtime", version: "2.0.0", claims: unsigned.claims, suiteVersion: "1.0.0", issuedAt: new Date(document.payload.issuedAt), validUntil: new Date(document.payload.validUntil), stored: "active", reason: null });
    const view = PublicCertificateSchema.parse((await call("GET", `/v1/public/certificates/${document.id}`)).body).registry;
    expect(view.status).toBe("certified");
    expect(view.claimsEvidence).toEqual([
      { srip: "SRIP-03", granted: true, grantedBy: "assembly", notedFindings: [{ code: "CRYSTALLIZED", severity: "minor", count: 2 }] },
      { srip: "SRIP-05", granted: true, grantedBy: "assembly", notedFindings: [{ code: "PACKET_INVALID", severity: "info", count: 1 }] },
      { srip: "SRIP-13", granted: false, reason: "not-evidenced", findings: ["ALIAS_SCOPE_LEAK"] },
    ]);
    // Without a stored report for the digest the evidence is unknown (null), not "no findings".
    const other = PublicCertificateSchema.parse((await call("GET", `/v1/public/certificates/${fixtures[0]!.id}`)).body).registry;
    expect(other.claimsEvidence.filter((c) => c.granted).every((c) => c.granted && c.notedFindings === null)).toBe(true);
  });

  it("names the certificates that supersede it", async () => {
    const old = fixtures[fixtures.length - 1]!;
    const developer = await platform.developers.create({ email: `s-${Math.random()}@example.com`, name: "S" });
    const submission = await platform.submissions.create(developer.id, samplePackedRuntime({ entrySource: "export const renewed = 1;" }));
    await platform.submissions.transition(submission.id, "auditing", { actor: "test" });
    await platform.submissions.transition(submission.id, "in_assembly", { actor: "test" });
    const unsigned = sampleUnsignedCertificate({ name: old.name, version: old.version, digest: submission.subjectDigest });
    unsigned.supersedes = old.id as never;
    const renewal = await platform.certificates.issue(submission.id, unsigned, "test");
    fixtures.push({ ...old, id: renewal.id, claims: unsigned.claims, suiteVersion: "1.0.0", issuedAt: new Date(renewal.payload.issuedAt), validUntil: new Date(renewal.payload.validUntil), stored: "active", reason: null });
    const view = PublicCertificateSchema.parse((await call("GET", `/v1/public/certificates/${old.id}`)).body).registry;
    expect(view.supersededBy).toEqual([renewal.id]);
    const renewed = PublicCertificateSchema.parse((await call("GET", `/v1/public/certificates/${renewal.id}`)).body).registry;
    expect(renewed.supersedes).toBe(old.id);
  });
});

/** A small well-formedness check of the badge's XML: balanced tags, quoted attributes, no raw `<`/`&` in text or values. */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(svg)) !== null) {
    consumed = token.lastIndex;
    const [, closing, name, attributes, selfClosing, text] = m;
    const checked = text ?? attributes ?? "";
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(checked)) return false;
    if (text !== undefined) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else if (!selfClosing) stack.push(name!);
  }
  return consumed === svg.length && stack.length === 0 && svg.startsWith("<svg");
}

describe("badge", () => {
  const badge = (id: string, headers?: Record<string, string>) => call("GET", `/badge/${id}.svg`, { headers });

  it("shows the registry status of each kind and the evidenced claims, as a valid SVG with CDN cache headers", async () => {
    const at = new Date(now);
    const byStatus = new Map<RegistryStatus, Fixture>();
    for (const f of fixtures) {
      const status = registryStatusOf(f.stored, f.validUntil, at);
      if (!byStatus.has(status) && f.claims.length >= 2) byStatus.set(status, f);
    }
    expect([...byStatus.keys()].sort()).toEqual(["certified", "expired", "revoked", "suspended"]);
    for (const [status, f] of byStatus) {
      const answer = await badge(f.id);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
      const svg = String(answer.body);
      expect(wellFormed(svg)).toBe(true);
      expect(svg).toContain(`>${status}</text>`);
      expect(svg).toContain(`>${f.claims.join(" · ")}</text>`);
      expect(answer.headers.get("cache-control")).toMatch(/^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+/);
      expect(answer.headers.get("etag")).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
      expect(answer.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
      expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    }
    // Upper-case hex names the same certificate.
    const f = byStatus.get("certified")!;
    expect((await badge(f.id.toUpperCase().replace("0X", "0x"))).status).toBe(200);
  });

  it("follows a status change at once (a new ETag), and a matching If-None-Match gets 304", async () => {
    const f = fixtures.find((x) => registryStatusOf(x.stored, x.validUntil, new Date(now)) === "certified")!;
    const before = await badge(f.id);
    const etag = before.headers.get("etag")!;
    const notModified = await badge(f.id, { "if-none-match": etag });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeNull();
    expect(notModified.headers.get("etag")).toBe(etag);
    expect(notModified.headers.get("cache-control")).toBe(before.headers.get("cache-control"));
    await setStatus(f, "revoked", "misrepresentation");
    const after = await badge(f.id, { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(String(after.body)).toContain(">revoked</text>");
    expect(after.headers.get("etag")).not.toBe(etag);
  });

  it("answers an unknown or malformed id with a valid \"unknown\" badge and 404", async () => {
    for (const id of [`0x${"ab".repeat(32)}`, "not-a-certificate", "%3Cscript%3E", "0x1234"]) {
      const answer = await badge(id);
      expect(answer.status).toBe(404);
      expect(answer.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
      const svg = String(answer.body);
      expect(wellFormed(svg)).toBe(true);
      expect(svg).toContain(">unknown</text>");
      expect(svg).not.toContain("script");
      expect(answer.headers.get("cache-control")).toMatch(/s-maxage=\d+/);
    }
  });

  it("escapes a hostile runtime name: it is text in <title>, never markup", async () => {
    const f = fixtures.find((x) => x.name === HOSTILE && registryStatusOf(x.stored, x.validUntil, new Date(now)) !== "revoked")!;
    const answer = await badge(f.id);
    expect(answer.status).toBe(200);
    const svg = String(answer.body);
    expect(wellFormed(svg)).toBe(true);
    expect(svg).not.toContain("<svg onload");
    expect(svg).not.toContain("]]>");
    expect(svg).not.toContain("\u0001");
    expect(svg).toContain("&lt;svg onload=&quot;alert(1)&quot;&gt;&amp;amp;&apos;\ufffd&quot;]]&gt;&lt;!--");
    expect(svg.match(/<svg/g)).toHaveLength(1);
    // The badge may not load or run anything even when opened on its own.
    expect(answer.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
  });

  it("refuses a credential like every public route", async () => {
    const f = fixtures[0]!;
    const refused = await call("GET", `/badge/${f.id}.svg`, { token: "ak_000000000000_" + "A".repeat(43) });
    expect(refused.status).toBe(401);
  });
});

describe("fuzz", () => {
  it("hostile query values and ids get contract-conformant answers: no 5xx, documented statuses, ApiError or the unknown badge", async () => {
    const routes = contractRoutes();
    const search = routes.find((r) => r.path === "/v1/public/registry/certificates")!;
    const badgeRoute = routes.find((r) => r.path === "/badge/{id}.svg")!;
    const keys = ["name", "claim", "status", "suite", "suiteVersion", "issuedFrom", "issuedBefore", "cursor", "limit"];
    const problems: string[] = [];
    const statuses: Record<string, number> = {};
    const values = fc.sample(hostileQueryValue, { seed: 20261202, numRuns: 270 });
    for (const [i, value] of values.entries()) {
      let decoded = value;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        // keep invalid escapes as they are
      }
      const answer = await call("GET", query({ [keys[i % keys.length]!]: decoded }));
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      problems.push(...conformanceProblems(search, answer).map((p) => `${keys[i % keys.length]}=${JSON.stringify(decoded).slice(0, 80)}: ${p}`));
    }
    for (const id of fc.sample(hostileId, { seed: 20261202, numRuns: 120 })) {
      const answer = await call("GET", `/badge/${id}.svg`);
      statuses[`badge ${answer.status}`] = (statuses[`badge ${answer.status}`] ?? 0) + 1;
      problems.push(...conformanceProblems(badgeRoute, answer).map((p) => `badge ${id.slice(0, 60)}: ${p}`));
    }
    console.log(`registry fuzz: ${values.length} search + 120 badge requests; by status ${JSON.stringify(statuses)}`);
    expect(problems).toEqual([]);
  });
});

describe("rate limiting", () => {
  it("search and badge share the public limiter per client address (429 with Retry-After)", async () => {
    const limited = createTestEnvironment({ ASSAY_PUBLIC_RATE_LIMIT: "5", ASSAY_PUBLIC_RATE_WINDOW_MS: "60000" });
    const app = await createApp(limited.config, { publisher: new BullJobPublisher(limited.config.redis.url, limited.queuePrefix) });
    try {
      await app.app.listen(0, "127.0.0.1");
      const limitedCall = clientFor(`http://127.0.0.1:${(app.app.getHttpServer().address() as AddressInfo).port}`);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await limitedCall("GET", "/v1/public/registry/certificates")).status);
      for (let i = 0; i < 4; i++) statuses.push((await limitedCall("GET", `/badge/0x${"0".repeat(64)}.svg`)).status);
      expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
      expect(statuses[4]).toBe(404);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      const last = await limitedCall("GET", "/v1/public/registry/certificates");
      expect(last.status).toBe(429);
      expect(last.body.error.code).toBe("rate_limited");
      expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await app.close();
      await limited.cleanup();
    }
  });
});
