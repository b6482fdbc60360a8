// The status list on PostgreSQL (docs/decisions/0022): each certificate gets a
// unique status-list index at issuance, named in its signed v3 payload; the
// publisher sets the bit of revoked and suspended certificates (and of ones
// marked expired before their validUntil), publishes only when something
// changed or the latest publication needs refreshing, and publishes once when
// two processes race. The list verifies against the issuer's JWKS.
import { checkStatusList, setIndexesOf, verifyStatusList, type CertificateDocument } from "@assay/protocol";
import { BullJobPublisher, createPlatform, NODE_GZIP, type Platform } from "../src";
import { createTestEnvironment, samplePackedRuntime, sampleUnsignedCertificate, type TestEnvironment } from "../src/testing";

jest.setTimeout(60_000);

let env: TestEnvironment;
let a: Platform;
let b: Platform;
let developerId: string;
let now = new Date("2026-03-01T10:00:00Z");
const clock = () => now;
const OPTIONS = { validityMs: 86_400_000, refreshMs: 3_600_000 };

beforeAll(async () => {
  env = createTestEnvironment();
  a = await createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix), clock });
  b = await createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix), clock });
  developerId = (await a.developers.create({ email: "status@example.com", name: "Status" })).id;
}, 60_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await env.cleanup();
});

async function certify(n: number): Promise<CertificateDocument> {
  const sub = await a.submissions.create(developerId, samplePackedRuntime({ entrySource: `export const v = ${n};` }));
  await a.submissions.transition(sub.id, "auditing", { actor: "t" });
  await a.submissions.transition(sub.id, "in_assembly", { actor: "t" });
  return a.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "worker:certificate");
}

const indexOf = (doc: CertificateDocument) => (doc.payload as { credentialStatus: { index: number } }).credentialStatus.index;

async function latestBits(): Promise<number[]> {
  const latest = await a.statusList.latest();
  const verified = await verifyStatusList(latest.jws, { jwks: (await a.signingKeys.jwks()) as never, issuer: a.config.certificates.issuerId, now, gzip: NODE_GZIP });
  if (!verified.ok) throw new Error(verified.reason);
  return setIndexesOf(verified.bits);
}

const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

describe("status-list index", () => {
  it("is assigned at issuance, unique, stored and named in the signed v3 payload", async () => {
    const docs: CertificateDocument[] = [];
    for (const n of [1, 2, 3, 4]) docs.push(await certify(n));
    for (const doc of docs) {
      expect(doc.payload.format).toBe("assay.certificate/v3");
      expect((doc.payload as { credentialStatus: unknown }).credentialStatus).toEqual({ list: a.statusList.listId, index: expect.any(Number) });
      const row = await a.db.certificate.findUniqueOrThrow({ where: { id: doc.id } });
      expect(row.statusListIndex).toBe(indexOf(doc));
      const verified = await a.certificates.verify(doc);
      expect(verified.valid).toBe(true);
    }
    expect(new Set(docs.map(indexOf)).size).toBe(4);
  });
});

describe("publishing", () => {
  it("sets the bits of suspended and revoked certificates after the next publish, clears a reinstated one, leaves the others at 0", async () => {
    expect(await a.db.statusListPublication.count()).toBe(0);
    const kept = await certify(10);
    const suspended = await certify(11);
    const revoked = await certify(12);
    // A read before any publication (worker not run yet) publishes the first list.
    const first = await b.statusList.latest();
    expect(first.list).toMatchObject({ sequence: 1, id: a.statusList.listId, issuer: a.config.certificates.issuerId, size: 131_072 });
    expect(await a.statusList.publish(OPTIONS)).toMatchObject({ published: false, reason: "unchanged" });
    expect(await latestBits()).toEqual([]);

    await a.certificates.changeStatus(suspended!.id, "suspended", { reasonCode: "under_review", actor: "operator:x" });
    await a.certificates.changeStatus(revoked!.id, "revoked", { reasonCode: "key_compromise", actor: "operator:x" });
    // Not visible until the next publication.
    expect(await latestBits()).toEqual([]);
    advance(60_000);
    const second = await a.statusList.publish(OPTIONS);
    expect(second).toMatchObject({ published: true, reason: "changed", sequence: first.list.sequence + 1, setCount: 2 });
    await new Promise((r) => setTimeout(r, 2_100)); // the read cache of process b; a's was dropped on publish
    expect(await latestBits()).toEqual([indexOf(suspended!), indexOf(revoked!)].sort((x, y) => x - y));

    const jwks = (await a.signingKeys.jwks()) as never;
    const latest = await b.statusList.latest();
    const check = (doc: CertificateDocument) => checkStatusList({ document: doc, list: latest.jws, jwks, issuer: a.config.certificates.issuerId, now, gzip: NODE_GZIP });
    expect((await check(kept!)).check).toMatchObject({ name: "status-list", ok: true });
    expect((await check(suspended!)).check).toMatchObject({ ok: false, detail: expect.stringMatching(/^revoked or suspended/) });
    expect((await check(revoked!)).check.ok).toBe(false);

    await a.certificates.changeStatus(suspended!.id, "active", { actor: "operator:x" });
    advance(60_000);
    expect(await a.statusList.publish(OPTIONS)).toMatchObject({ published: true, reason: "changed", setCount: 1 });
    expect(await latestBits()).toEqual([indexOf(revoked!)]);
  });

  it("is idempotent: nothing changed → no publication until the refresh age; then re-signed with a later validUntil", async () => {
    const before = await a.statusList.latest();
    advance(60_000);
    expect(await a.statusList.publish(OPTIONS)).toEqual({ published: false, sequence: before.list.sequence, reason: "unchanged" });
    advance(OPTIONS.refreshMs);
    const refreshed = await a.statusList.publish(OPTIONS);
    expect(refreshed).toMatchObject({ published: true, reason: "refresh", sequence: before.list.sequence + 1 });
    const after = await a.statusList.latest();
    expect(after.list.encodedList).toBe(before.list.encodedList);
    expect(after.list.validUntil > before.list.validUntil).toBe(true);
  });

  it("two processes publishing at once publish one list", async () => {
    const doc = await certify(20);
    await a.certificates.changeStatus(doc.id, "suspended", { actor: "operator:x" });
    advance(1_000);
    const before = (await a.db.statusListPublication.count());
    const outcomes = await Promise.all([a.statusList.publish(OPTIONS), b.statusList.publish(OPTIONS)]);
    expect(outcomes.filter((o) => o.published)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.published).map((o) => o.reason)).toEqual(["lost-race"]);
    expect(await a.db.statusListPublication.count()).toBe(before + 1);
  });

  it("expiry at validUntil leaves the bit clear (verifiers read validUntil); an early expiry sets it", async () => {
    const early = await certify(30);
    const due = await certify(31);
    await a.db.certificate.update({ where: { id: due.id }, data: { validUntil: new Date(now.getTime() - 1_000) } });
    await a.certificates.changeStatus(early.id, "expired", { actor: "operator:x" });
    await a.certificates.changeStatus(due.id, "expired", { actor: "system:expiry" });
    advance(1_000);
    await a.statusList.publish(OPTIONS);
    const bits = await latestBits();
    expect(bits).toContain(indexOf(early));
    expect(bits).not.toContain(indexOf(due));
  });

  it("a tampered list fails its signature; a list signed by a rotated-out key still verifies", async () => {
    const latest = await a.statusList.latest();
    const jwks = (await a.signingKeys.jwks()) as never;
    const [h, p, s] = latest.jws.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString("utf8"));
    payload.encodedList = (await import("@assay/protocol")).encodeBitstring(new Uint8Array(payload.size / 8), NODE_GZIP);
    payload.encodedList = await payload.encodedList;
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    expect(await verifyStatusList(forged, { jwks, issuer: a.config.certificates.issuerId, now, gzip: NODE_GZIP })).toMatchObject({ ok: false, reason: expect.stringMatching(/signature does not verify/) });
    await a.signingKeys.rotate({ actor: "test" });
    expect(await verifyStatusList(latest.jws, { jwks: (await a.signingKeys.jwks({ fresh: true })) as never, issuer: a.config.certificates.issuerId, now, gzip: NODE_GZIP })).toMatchObject({ ok: true });
  });
});
