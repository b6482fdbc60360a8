// The transparency log endpoints of the public plane, checked with the
// verifier's own code (@assay/protocol checkTransparencyLog) over HTTP.
import { samplePackedRuntime, sampleUnsignedCertificate, type Platform } from "@assay/platform";
import {
  checkTransparencyLog,
  LogCheckpointResponseSchema,
  LogConsistencyResponseSchema,
  LogInclusionResponseSchema,
  logOrigin,
  type CertificateDocument,
  type LogSource,
} from "@assay/protocol";
import { startApi, type TestApi } from "./helpers";

let t: TestApi;

async function issue(platform: Platform, source: string): Promise<CertificateDocument> {
  const dev = await platform.developers.create({ email: `l-${Math.random()}@example.com`, name: "L" });
  const sub = await platform.submissions.create(dev.id, samplePackedRuntime({ entrySource: source }));
  await platform.submissions.transition(sub.id, "auditing", { actor: "test" });
  await platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  return platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test");
}

beforeAll(async () => {
  t = await startApi();
});
afterAll(async () => {
  await t.close();
});

const http = (): LogSource => ({
  async inclusion(id) {
    const res = await t.call("GET", `/v1/public/log/certificates/${id}`);
    if (res.status === 404) return null;
    return LogInclusionResponseSchema.parse(res.body);
  },
  async consistency(from, to) {
    return LogConsistencyResponseSchema.parse((await t.call("GET", `/v1/public/log/consistency?from=${from}&to=${to}`)).body);
  },
});

it("serves checkpoints, inclusion and consistency proofs that the verifier accepts", async () => {
  const first = await issue(t.platform, "export const a = 1;");
  const checkpoint = await t.call("GET", "/v1/public/log/checkpoint");
  expect(checkpoint.status).toBe(200);
  expect(LogCheckpointResponseSchema.parse(checkpoint.body)).toMatchObject({ treeSize: 1, origin: logOrigin(t.env.config.certificates.issuerId) });
  const jwks = (await t.call("GET", "/.well-known/jwks.json")).body;
  const origin = logOrigin(t.env.config.certificates.issuerId);
  const one = await checkTransparencyLog({ certificateId: first.id, issuedAt: first.payload.issuedAt, origin, jwks, saved: null, reportedStatus: "active", source: http() });
  expect(one.checks.map((c) => c.ok)).toEqual([true, true]);

  await issue(t.platform, "export const a = 2;");
  await t.platform.certificates.changeStatus(first.id, "revoked", { reasonCode: "key_compromise", actor: "operator:t" });
  const two = await checkTransparencyLog({ certificateId: first.id, issuedAt: first.payload.issuedAt, origin, jwks, saved: one.save, reportedStatus: "revoked", source: http() });
  expect(two.checks).toEqual([
    { name: "log-inclusion", ok: true, detail: "included at index 0 of 3 with 1 status change(s), latest revoked" },
    { name: "log-consistency", ok: true, detail: "extends the saved checkpoint (size 1 → 3)" },
  ]);
});

it("answers 404 for a certificate the log does not hold and 400 for impossible sizes", async () => {
  const missing = await t.call("GET", `/v1/public/log/certificates/0x${"cd".repeat(32)}`);
  expect(missing.status).toBe(404);
  expect(missing.body).toMatchObject({ error: { code: "log_entry_not_found" } });
  expect((await t.call("GET", "/v1/public/log/certificates/nope")).status).toBe(400);
  expect((await t.call("GET", "/v1/public/log/consistency?from=3&to=2")).status).toBe(400);
  expect((await t.call("GET", "/v1/public/log/consistency?from=1&to=999999")).body).toMatchObject({ error: { code: "tree_size_unknown" } });
  expect((await t.call("GET", "/v1/public/log/consistency?from=x&to=2")).status).toBe(400);
});
