// Public flags (issue 12 item 2): anyone flags a certificate; a flood from one
// address is rate-limited and queues at most the configured number of flags
// (and suspends nothing); operators dismiss or suspend; outcomes are public.
import { samplePackedRuntime, sampleUnsignedCertificate, type Platform } from "@assay/platform";
import { PublicFlagsSchema, type CertificateDocument } from "@assay/protocol";
import { credentialsFor, startApi, type TestApi } from "./helpers";

let t: TestApi;
let certificate: CertificateDocument;

async function issue(platform: Platform, source: string): Promise<CertificateDocument> {
  const dev = await platform.developers.create({ email: `f-${Math.random()}@example.com`, name: "F" });
  const sub = await platform.submissions.create(dev.id, samplePackedRuntime({ entrySource: source }));
  await platform.submissions.transition(sub.id, "auditing", { actor: "test" });
  await platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  return platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test");
}

beforeAll(async () => {
  // The defaults: 5 flag requests per address per hour, 3 open flags per source.
  t = await startApi();
  certificate = await issue(t.platform, "export const f = 1;");
});
afterAll(async () => {
  await t.close();
});

it("a flood of 1,000 flags from one address is rate-limited, queues at most the configured number and suspends nothing", async () => {
  const { maxOpenPerSource, rateLimit } = t.env.config.certificateFlags;
  const statuses: number[] = [];
  const codes = new Map<string, number>();
  for (let batch = 0; batch < 20; batch++) {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => t.call("POST", `/v1/public/certificates/${certificate.id}/flags`, { json: { category: "misrepresentation", text: `flood ${batch}-${i}` } })),
    );
    for (const a of answers) {
      statuses.push(a.status);
      if (a.status !== 201) codes.set(a.body.error.code, (codes.get(a.body.error.code) ?? 0) + 1);
    }
  }
  expect(statuses).toHaveLength(1_000);
  expect(statuses.filter((s) => s === 201)).toHaveLength(maxOpenPerSource);
  expect(statuses.filter((s) => s === 429)).toHaveLength(1_000 - maxOpenPerSource);
  // The limiter let `rateLimit` through; of those, the per-source cap refused the rest.
  expect(codes.get("flag_limit")).toBe(rateLimit - maxOpenPerSource);
  expect(codes.get("rate_limited")).toBe(1_000 - rateLimit);
  expect(await t.platform.db.certificateFlag.count()).toBe(maxOpenPerSource);
  expect((await t.platform.certificates.lookup(certificate.id)).status.state).toBe("active");
  const outcomes = PublicFlagsSchema.parse((await t.call("GET", `/v1/public/certificates/${certificate.id}/flags`)).body);
  expect(outcomes).toEqual({ open: maxOpenPerSource, resolved: [] });
});

it("operators dismiss or suspend from the queue; the outcome is public, the reporter's text and source are not", async () => {
  const { operatorSession } = await credentialsFor(t);
  const queue = await t.call("GET", "/v1/operator/certificate-flags", { token: operatorSession });
  expect(queue.status).toBe(200);
  expect(queue.body).toHaveLength(t.env.config.certificateFlags.maxOpenPerSource);
  expect(JSON.stringify(queue.body)).not.toMatch(/sourceKey|127\.0\.0\.1/);
  const [first, second] = queue.body as { id: string }[];

  const dismissed = await t.call("POST", `/v1/operator/certificate-flags/${first!.id}/resolve`, { token: operatorSession, json: { action: "dismiss", outcome: "The claims match the audit report." } });
  expect(dismissed.status).toBe(200);
  expect(dismissed.body).toMatchObject({ status: "dismissed", resolvedBy: expect.stringMatching(/^operator:/) });
  const again = await t.call("POST", `/v1/operator/certificate-flags/${first!.id}/resolve`, { token: operatorSession, json: { action: "suspend", outcome: "x" } });
  expect(again.status).toBe(409);

  const suspended = await t.call("POST", `/v1/operator/certificate-flags/${second!.id}/resolve`, { token: operatorSession, json: { action: "suspend", outcome: "Under review after a credible report." } });
  expect(suspended.body).toMatchObject({ status: "suspended" });
  const lookup = await t.platform.certificates.lookup(certificate.id);
  expect(lookup.status).toEqual({ state: "suspended", reason: "flag_upheld" });
  // The suspension is a status change like any other: in the transparency log.
  const log = await t.call("GET", `/v1/public/log/certificates/${certificate.id}`);
  expect(log.body.entries.map((e: { leaf: string }) => JSON.parse(e.leaf).kind)).toEqual(["issued", "status"]);

  const outcomes = PublicFlagsSchema.parse((await t.call("GET", `/v1/public/certificates/${certificate.id}/flags`)).body);
  expect(outcomes.open).toBe(t.env.config.certificateFlags.maxOpenPerSource - 2);
  expect(outcomes.resolved.map((r) => [r.status, r.outcome]).sort()).toEqual([
    ["dismissed", "The claims match the audit report."],
    ["suspended", "Under review after a credible report."],
  ]);
  expect(JSON.stringify(outcomes)).not.toContain("flood");
});

it("refuses flags on unknown certificates and malformed flags", async () => {
  const unknown = await t.call("POST", `/v1/public/certificates/0x${"ee".repeat(32)}/flags`, { json: { category: "other", text: "x" }, headers: { "x-forwarded-for": "203.0.113.9" } });
  // From the same connection address the flag limiter already refuses (no trusted proxy: the header is ignored).
  expect([404, 429]).toContain(unknown.status);
  const res = await t.call("POST", `/v1/public/certificates/${certificate.id}/flags`, { json: { category: "nonsense", text: "" } });
  expect([400, 429]).toContain(res.status);
  const operatorOnly = await t.call("GET", "/v1/operator/certificate-flags");
  expect(operatorOnly.status).toBe(401);
});
