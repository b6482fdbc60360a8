// Per-claim certificates on the audit-only path (no assembly), against real
// PostgreSQL and Redis: a certificate lists only the claims the audit
// evidenced and carries the others with their reason and findings; a
// submission with no evidenced claim is rejected at the audit decision with
// `no_evidenced_claim`; the reference runtime is certified with every claim.
import { MANIFEST_FILE, ManifestSchema, type CertificateDocument, type SripClaim } from "@assay/protocol";
import { AuditRunService, type Platform } from "@assay/platform";
import { startWorkerApp, type WorkerApp } from "../src/worker-app";
import { createApiPlatform, createDeveloper, createTestEnv, packedRuntime, waitForStatus, type TestEnv } from "./helpers";

jest.setTimeout(180_000);

let env: TestEnv;
let api: Platform;
let worker: WorkerApp;
let developerId: string;

beforeAll(async () => {
  env = createTestEnv({ ASSAY_ASSEMBLY_REQUIRED: "false" });
  api = await createApiPlatform(env.config);
  developerId = await createDeveloper(api);
  worker = await startWorkerApp(env.config, { log: () => undefined });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await env?.cleanup();
});

/** A packed example runtime whose manifest claims `claims` instead of its own. */
function withClaims(name: string, claims: SripClaim[]) {
  const body = packedRuntime(name);
  const manifest = { ...ManifestSchema.parse(body.manifest), claims };
  const text = JSON.stringify(manifest, null, 2);
  return { manifest, files: body.files.map((f) => (f.path === MANIFEST_FILE ? { ...f, contentBase64: Buffer.from(text).toString("base64") } : f)) };
}

async function certificateOf(submissionId: string): Promise<CertificateDocument["payload"]> {
  return (await api.certificates.latestForSubmission(submissionId)).document.payload;
}

it("the reference runtime: the certificate lists every claim, nothing withheld", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 120_000);
  expect(done.status).toBe("certified");
  const payload = await certificateOf(created.id);
  expect(payload).toMatchObject({ format: "assay.certificate/v3", level: "audit-only", claims: ["SRIP-03", "SRIP-05", "SRIP-13"], claimsNotGranted: [] });

  // A second delivery of the audit still running after the decision (a stalled lock on a loaded machine)
  // must not overwrite the submission's progress any more: audit progress is written only while auditing.
  const before = (await api.submissions.get(created.id)).progress;
  const late = new AuditRunService(api.store, api.artifacts, api.submissions, api.outbox, { assemblyRequired: false });
  await late.recordProgress(created.id, { scenariosTotal: 99, scenariosCompleted: 0, turnsCompleted: 1 });
  expect((await api.submissions.get(created.id)).progress).toEqual(before);
});

it("an alias leak: the audit-only certificate does not list SRIP-13 and says why", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("alias-leak"));
  const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 120_000);
  expect(done.status).toBe("certified");
  const payload = await certificateOf(created.id);
  expect(payload.claims).toEqual(["SRIP-03"]);
  expect(payload.format === "assay.certificate/v3" ? payload.claimsNotGranted : null).toEqual([
    { srip: "SRIP-13", reason: "not-evidenced", findings: expect.arrayContaining(["ALIAS_SCOPE_LEAK", "SESSION_LEAK"]) },
  ]);
});

it("an alias leak claiming only SRIP-13 is rejected at the audit decision with no_evidenced_claim", async () => {
  const created = await api.submissions.create(developerId, withClaims("alias-leak", ["SRIP-13"]));
  const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 120_000);
  expect(done.status).toBe("rejected");
  expect(done.outcome?.code).toBe("no_evidenced_claim");
  expect(done.outcome?.message).toMatch(/SRIP-13 not-evidenced \(.*ALIAS_SCOPE_LEAK/);
  expect(await api.db.certificate.count({ where: { submissionId: created.id } })).toBe(0);
  expect(await api.db.outboxEvent.count({ where: { dedupeKey: `certificate:${created.id}` } })).toBe(0);
});
