// GET /v1/public/status-list (docs/decisions/0022): the signed list, verified
// with the verifier's own code over HTTP; cache headers a CDN honours (max-age,
// an ETag per publication answered 304, Last-Modified); a suspension shows up
// after the next publication.
import { samplePackedRuntime, sampleUnsignedCertificate, type Platform } from "@assay/platform";
import { checkStatusList, StatusListResponseSchema, type CertificateDocument } from "@assay/protocol";
import { startApi, type TestApi } from "./helpers";

jest.setTimeout(60_000);

let t: TestApi;

beforeAll(async () => {
  t = await startApi();
});
afterAll(async () => {
  await t.close();
});

async function issue(platform: Platform, source: string): Promise<CertificateDocument> {
  const dev = await platform.developers.create({ email: `s-${Math.random()}@example.com`, name: "S" });
  const sub = await platform.submissions.create(dev.id, samplePackedRuntime({ entrySource: source }));
  await platform.submissions.transition(sub.id, "auditing", { actor: "test" });
  await platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  return platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test");
}

it("serves the latest signed list with cache headers; 304 for its ETag; the bit follows a suspension after the next publication", async () => {
  const doc = await issue(t.platform, "export const s = 1;");
  const first = await t.call("GET", "/v1/public/status-list");
  expect(first.status).toBe(200);
  const body = StatusListResponseSchema.parse(first.body);
  expect(first.headers.get("cache-control")).toBe("public, max-age=60");
  expect(first.headers.get("etag")).toBe(`"status-list-${body.list.sequence}"`);
  expect(new Date(first.headers.get("last-modified")!).toISOString().replace(".000Z", "Z")).toBe(body.list.publishedAt);
  // (fetch adds "Cache-Control: no-cache" to a conditional request unless it has one, as a CDN's revalidation would not.)
  const cached = await t.call("GET", "/v1/public/status-list", { headers: { "if-none-match": first.headers.get("etag")!, "cache-control": "max-age=0" } });
  expect(cached.status).toBe(304);

  const jwks = (await t.call("GET", "/.well-known/jwks.json")).body;
  const issuer = (await t.call("GET", "/.well-known/assay.json")).body.issuer as string;
  const check = async (list: string) => (await checkStatusList({ document: doc, list, jwks, issuer, now: new Date() })).check;
  expect(await check(body.jws)).toMatchObject({ name: "status-list", ok: true });

  await t.platform.certificates.changeStatus(doc.id, "suspended", { reasonCode: "under_review", actor: "operator:test" });
  await t.platform.statusList.publish({ validityMs: 86_400_000, refreshMs: 3_600_000 });
  const second = StatusListResponseSchema.parse((await t.call("GET", "/v1/public/status-list")).body);
  expect(second.list.sequence).toBe(body.list.sequence + 1);
  expect(await check(second.jws)).toMatchObject({ ok: false, detail: expect.stringMatching(/^revoked or suspended: bit set/) });
});
