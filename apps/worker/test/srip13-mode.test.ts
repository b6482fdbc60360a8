// `srip13.mode` end to end (issue 9 item 7), audit-only path, real PostgreSQL
// and Redis: an operator sets the flag through the API's platform; the worker —
// another platform instance — reads it through the registry when the audit
// starts. The alias-leak runtime (ALIAS_SCOPE_LEAK and friends) gets SRIP-13
// refused under enforce, evidenced with the findings shadowed under shadow,
// not tested under off; the report and the certificate say which mode.
import { AuditReportSchema, type AuditReport, type CertificatePayload, type Srip13Mode } from "@assay/protocol";
import type { Platform } from "@assay/platform";
import { startWorkerApp, type WorkerApp } from "../src/worker-app";
import { createApiPlatform, createDeveloper, createTestEnv, packedRuntime, waitForStatus, type TestEnv } from "./helpers";

jest.setTimeout(600_000);

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

async function auditUnder(mode: Srip13Mode): Promise<{ report: AuditReport; payload: CertificatePayload }> {
  await api.flags.set("srip13.mode", mode, "operator:test");
  // The worker's own registry follows within the notice bound (docs/architecture.md "Flags").
  for (let i = 0; (await worker.platform.flags.get("srip13.mode")) !== mode; i++) {
    if (i > 400) throw new Error(`the worker did not see srip13.mode=${mode}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const created = await api.submissions.create(developerId, packedRuntime("alias-leak"));
  const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 180_000);
  expect(done.status).toBe("certified");
  const stored = await api.store.repos.audits.latestReportForSubmission(created.id);
  const report = AuditReportSchema.parse(stored!.document);
  const payload = (await api.certificates.latestForSubmission(created.id)).document.payload as CertificatePayload;
  return { report, payload };
}

const srip13 = (r: AuditReport) => r.claims.find((c) => c.srip === "SRIP-13")!;
const codes = (r: AuditReport) => r.findings.map((f) => f.code);

it("enforce: SRIP-13 refused (not-evidenced, ALIAS_SCOPE_LEAK); report and certificate record enforce", async () => {
  const { report, payload } = await auditUnder("enforce");
  expect(report.rollout).toEqual({ srip13: "enforce" });
  expect(srip13(report)).toMatchObject({ status: "not-evidenced", findings: expect.arrayContaining(["ALIAS_SCOPE_LEAK"]) });
  expect(payload.claims).toEqual(["SRIP-03"]);
  expect(payload.claimsNotGranted).toEqual([{ srip: "SRIP-13", reason: "not-evidenced", findings: expect.arrayContaining(["ALIAS_SCOPE_LEAK"]) }]);
  expect(payload.audit.rollout).toEqual({ srip13: "enforce" });
  expect(payload.audit.reportDigest).toBe(report.digest);
});

it("shadow: the finding is reported and shadowed, the claim is not refused; report and certificate record shadow", async () => {
  const { report, payload } = await auditUnder("shadow");
  expect(report.rollout).toEqual({ srip13: "shadow" });
  expect(codes(report)).toContain("ALIAS_SCOPE_LEAK");
  expect(srip13(report)).toMatchObject({ status: "evidenced", findings: [], shadowed: expect.arrayContaining(["ALIAS_SCOPE_LEAK"]) });
  expect(payload.claims).toEqual(["SRIP-03", "SRIP-13"]);
  expect(payload.claimsNotGranted).toEqual([]);
  expect(payload.audit.rollout).toEqual({ srip13: "shadow" });
});

it("off: SRIP-13 is not checked (no SRIP-13 findings, not-tested); report and certificate record off", async () => {
  const { report, payload } = await auditUnder("off");
  expect(report.rollout).toEqual({ srip13: "off" });
  expect(codes(report)).not.toContain("ALIAS_SCOPE_LEAK");
  expect(srip13(report)).toEqual({ srip: "SRIP-13", status: "not-tested", findings: [] });
  expect(payload.claims).toEqual(["SRIP-03"]);
  expect(payload.claimsNotGranted).toEqual([{ srip: "SRIP-13", reason: "not-tested", findings: [] }]);
  expect(payload.audit.rollout).toEqual({ srip13: "off" });
});
