// A developer makes a submission's audit report public; the public certificate
// lookup then carries it (the verify page's drift plots). Private by default,
// only the owner can change it, and making it private again withdraws it.
import { samplePackedRuntime, sampleUnsignedCertificate } from "@assay/platform";
import { AuditReportSchema, digestOf, PublicCertificateSchema, type AuditReport, type UnsignedAuditReport } from "@assay/protocol";
import { startApi, type TestApi } from "./helpers";

let t: TestApi;
afterAll(async () => {
  await t?.close();
});
beforeAll(async () => {
  t = await startApi();
});

function report(subjectDigest: string): AuditReport {
  const unsigned: UnsignedAuditReport = {
    format: "assay.report/v2",
    verdict: "pass",
    suite: { id: "core", version: "1.0.0" },
    seed: 7,
    engine: { name: "assay-audit", version: "1.1.0" },
    profile: "srs.profile.core.v1",
    limits: { memoryBytes: 33_554_432, stackBytes: 524_288, stepBudget: 1_000_000, auditBudget: 100_000_000, outputBytes: 65_536, wallClockMs: 10_000 },
    subject: { name: "sample-runtime", version: "1.0.0", digest: subjectDigest as `0x${string}` },
    metrics: [{ id: "srs.composite_drift_index.v1", value: 3100, unit: "bps", validity: "valid" }],
    scenarios: [
      { id: "long-horizon", title: "Long-horizon task", seed: 7, turns: 4, completed: true, transcriptDigest: `0x${"5".repeat(64)}`, metrics: [], series: [null, 2100, 3100, 2900] },
    ],
    findings: [],
    claims: [{ srip: "SRIP-03", status: "evidenced", findings: [] }],
    rollout: { srip13: "enforce" },
    usage: { modelCalls: 4, inputTokens: 40, outputTokens: 20 },
  } as UnsignedAuditReport;
  return AuditReportSchema.parse({ ...unsigned, digest: digestOf(unsigned) });
}

it("the public lookup carries the report only while its developer has made it public", async () => {
  const { platform } = t;
  const owner = await platform.developers.create({ email: `r-${Math.random()}@example.com`, name: "Owner" });
  const ownerKey = (await platform.apiKeys.create(owner.id, "test")).key;
  const stranger = await platform.developers.create({ email: `s-${Math.random()}@example.com`, name: "Stranger" });
  const strangerKey = (await platform.apiKeys.create(stranger.id, "test")).key;

  const submission = await platform.submissions.create(owner.id, samplePackedRuntime({ entrySource: "export const reportPublic = 1;" }));
  const audit = report(submission.subjectDigest);
  const run = await platform.store.repos.audits.latestRun(submission.id);
  await platform.store.repos.audits.saveReport({ auditRunId: run!.id, digest: audit.digest, verdict: "pass", document: JSON.parse(JSON.stringify(audit)) as Record<string, never>, findings: [] });
  await platform.submissions.transition(submission.id, "auditing", { actor: "test" });
  await platform.submissions.transition(submission.id, "in_assembly", { actor: "test" });
  const unsigned = sampleUnsignedCertificate({ ...submission.runtime, digest: submission.subjectDigest });
  unsigned.audit = { ...unsigned.audit, reportDigest: audit.digest as never };
  const certificate = await platform.certificates.issue(submission.id, unsigned, "test");
  const lookup = async () => PublicCertificateSchema.parse((await t.call("GET", `/v1/public/certificates/${certificate.id}`)).body).report;

  // Private by default.
  expect(await lookup()).toBeNull();

  // Only the owner can change it; a stranger is told the submission does not exist for them.
  const refused = await t.call("PUT", `/v1/developer/submissions/${submission.id}/report/visibility`, { token: strangerKey, json: { public: true } });
  expect(refused.status).toBe(404);
  expect(await lookup()).toBeNull();
  // A malformed body is refused.
  expect((await t.call("PUT", `/v1/developer/submissions/${submission.id}/report/visibility`, { token: ownerKey, json: { public: "yes" } })).status).toBe(400);
  expect((await t.call("PUT", `/v1/developer/submissions/${submission.id}/report/visibility`, { json: { public: true } })).status).toBe(401);

  const made = await t.call("PUT", `/v1/developer/submissions/${submission.id}/report/visibility`, { token: ownerKey, json: { public: true } });
  expect(made.status).toBe(200);
  expect(made.body).toEqual({ submissionId: submission.id, public: true });
  const published = await lookup();
  expect(published).toEqual(audit);
  expect(published!.scenarios[0]!.series).toEqual([null, 2100, 3100, 2900]);

  // Private again: withdrawn from the public lookup.
  expect((await t.call("PUT", `/v1/developer/submissions/${submission.id}/report/visibility`, { token: ownerKey, json: { public: false } })).body.public).toBe(false);
  expect(await lookup()).toBeNull();
});
