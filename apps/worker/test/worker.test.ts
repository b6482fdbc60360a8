// The worker in-process against real PostgreSQL and Redis: a reference runtime
// is certified with a certificate that verifies, a pass-through runtime is
// rejected with findings, and a job delivered twice has one effect.
import { auditArtifact } from "@assay/audit";
import { ManifestSchema, verifyCertificate, type CertificateDocument } from "@assay/protocol";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { auditDedupeKey, encodeBundle, type Platform } from "@assay/platform";
import { startWorkerApp, type WorkerApp } from "../src/worker-app";
import { createApiPlatform, createDeveloper, createTestEnv, packedRuntime, waitFor, waitForStatus, type TestEnv } from "./helpers";

jest.setTimeout(120_000);

let env: TestEnv;
let api: Platform;
let worker: WorkerApp;
let developerId: string;

beforeAll(async () => {
  env = createTestEnv();
  api = await createApiPlatform(env.config);
  worker = await startWorkerApp(env.config, { log: () => undefined });
  developerId = await createDeveloper(api);
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await env?.cleanup();
});

async function countsFor(submissionId: string) {
  const db = api.db;
  return {
    runs: await db.auditRun.count({ where: { submissionId } }),
    reports: await db.auditReport.count({ where: { auditRun: { submissionId } } }),
    findings: await db.finding.count({ where: { report: { auditRun: { submissionId } } } }),
    certificates: await db.certificate.count({ where: { submissionId } }),
    certificateJobs: await db.outboxEvent.count({ where: { dedupeKey: `certificate:${submissionId}` } }),
    usage: await db.usageRecord.count({ where: { submissionId } }),
    transitions: (await db.submissionTransition.findMany({ where: { submissionId }, orderBy: { createdAt: "asc" } })).map((t) => `${t.fromStatus ?? "-"}>${t.toStatus}`),
  };
}

describe("audit and certificate jobs", () => {
  it("certifies the reference runtime with a certificate that verifies", async () => {
    const created = await api.submissions.create(developerId, packedRuntime("reference"));
    expect(created.status).toBe("received");
    const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"]);
    expect(done.status).toBe("certified");
    expect(done.certificateId).toMatch(/^0x[0-9a-f]{64}$/);

    // Progress was streamed into the row while the audit ran.
    expect(done.progress.scenariosTotal).toBeGreaterThanOrEqual(7);
    expect(done.progress.scenariosCompleted).toBe(done.progress.scenariosTotal);
    expect(done.progress.turnsCompleted).toBeGreaterThan(500);

    const report = await api.submissions.reportForDeveloper(developerId, created.id);
    expect(report.verdict).toBe("pass");
    // The same artifact, suite and seed audited locally (as `assay validate` does) gives the same report.
    const body = packedRuntime("reference");
    const local = await auditArtifact({
      manifest: ManifestSchema.parse(body.manifest),
      bundleSource: Buffer.from(body.files[1]!.contentBase64, "base64").toString("utf8"),
      subjectDigest: done.subjectDigest as `0x${string}`,
      suite: done.suite,
      seed: done.seed,
      isolation: "in-process",
    });
    expect(local.report.digest).toBe(report.digest);

    const lookup = await api.certificates.lookup(done.certificateId!);
    const document: CertificateDocument = lookup.document;
    expect(lookup.status.state).toBe("active");
    expect(lookup.history.map((h) => h.to)).toEqual(["active"]);
    expect(document.payload).toMatchObject({
      level: "audit-only",
      assembly: null,
      verdict: "certified",
      subject: { name: "reference", version: "1.0.0", digest: done.subjectDigest },
      claims: ["SRIP-03", "SRIP-05", "SRIP-13"],
      supersedes: null,
      issuer: { id: env.config.app.certificates.issuerId },
    });
    expect(document.payload.audit.reportDigest).toBe(report.digest);
    const validityMs = Date.parse(document.payload.validUntil) - Date.parse(document.payload.issuedAt);
    expect(validityMs).toBe(env.config.app.certificates.validityDays * 86_400_000);

    const verified = await verifyCertificate(document, {
      jwks: (await api.signingKeys.jwks()) as { keys: Record<string, unknown>[] },
      allowedIssuers: [env.config.app.certificates.issuerId],
      now: new Date(),
      status: { state: "active" },
      anchor: { state: "not-anchored" },
      artifactDigest: done.subjectDigest as `0x${string}`,
    });
    expect(verified.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verified.valid).toBe(true);
    expect((await api.certificates.verify(document)).valid).toBe(true);

    const counts = await countsFor(created.id);
    expect(counts).toMatchObject({ runs: 1, reports: 1, certificates: 1, certificateJobs: 1, usage: 5 });
    expect(counts.transitions).toEqual(["->received", "received>auditing", "auditing>in_assembly", "in_assembly>certified"]);
    const usage = await api.usage.totals({ submissionId: created.id });
    expect(Number(usage.model_input_tokens)).toBeGreaterThan(0);
    expect(Number(usage.model_output_tokens)).toBeGreaterThan(0);
    expect(Number(usage.sandbox_cpu_ms)).toBeGreaterThan(0);
    // Storage: the bundle stored at intake plus the report document stored by the audit.
    const stored = await api.db.submission.findUniqueOrThrow({ where: { id: created.id }, include: { runtimeVersion: { include: { artifact: true } }, auditRuns: { include: { report: true } } } });
    const reportBytes = Buffer.byteLength(JSON.stringify(stored.auditRuns[0]!.report!.document));
    expect(usage.storage_bytes).toBe(String(stored.runtimeVersion.artifact.sizeBytes + reportBytes));
    // The anchoring effect is recorded for the chain worker.
    const anchor = await api.db.outboxEvent.findUnique({ where: { dedupeKey: `anchor:${done.certificateId}` } });
    expect(anchor).toMatchObject({ topic: "anchor", status: "pending", payload: { certificateId: done.certificateId } });
  });

  it("rejects the pass-through runtime with its findings and no certificate", async () => {
    const created = await api.submissions.create(developerId, packedRuntime("passthrough"));
    const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"]);
    expect(done.status).toBe("rejected");
    expect(done.outcome?.code).toBe("critical_findings");
    const report = await api.submissions.reportForDeveloper(developerId, created.id);
    expect(report.verdict).toBe("fail");
    const findings = (report.report as { findings: { code: string; severity: string }[] }).findings;
    expect(findings.some((f) => f.severity === "critical")).toBe(true);
    const counts = await countsFor(created.id);
    expect(counts).toMatchObject({ reports: 1, certificates: 0, certificateJobs: 0, findings: findings.length });
    expect(counts.transitions).toEqual(["->received", "received>auditing", "auditing>rejected"]);
  });

  it("ends hostile runtimes as findings on their own audits and keeps working for the next job", async () => {
    const hostile = await Promise.all(
      ["hostile-infinite-loop", "hostile-memory-bomb", "hostile-forbidden-api"].map((name) => api.submissions.create(developerId, packedRuntime(name))),
    );
    const reference = await api.submissions.create(developerId, packedRuntime("reference"));
    const expected: Record<number, string> = { 0: "RUNTIME_TIMEOUT", 1: "RUNTIME_MEMORY", 2: "RUNTIME_FORBIDDEN_API" };
    for (const [i, created] of hostile.entries()) {
      const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 90_000);
      expect(done.status).toBe("rejected");
      const report = await api.submissions.reportForDeveloper(developerId, created.id);
      const findings = (report.report as { findings: { code: string; severity: string }[] }).findings;
      expect(findings).toContainEqual(expect.objectContaining({ code: expected[i], severity: "critical" }));
    }
    expect((await waitForStatus(api, reference.id, ["certified", "rejected", "failed"], 90_000)).status).toBe("certified");
  });

  it("fails the submission (not a verdict) when its job cannot succeed: a corrupt artifact", async () => {
    const body = packedRuntime("passthrough");
    const entry = body.files[1]!;
    entry.contentBase64 = Buffer.concat([Buffer.from(entry.contentBase64, "base64"), Buffer.from("\n// corrupt-artifact test\n")]).toString("base64");
    const files = body.files.map((f) => ({ path: f.path, content: Buffer.from(f.contentBase64, "base64") }));
    const sha = createHash("sha256").update(encodeBundle(files)).digest("hex");
    // The store keeps the first bytes written under a name: plant wrong bytes there.
    mkdirSync(env.config.app.artifacts.dir, { recursive: true });
    writeFileSync(join(env.config.app.artifacts.dir, sha), "not the bundle");
    const created = await api.submissions.create(developerId, body);
    const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"]);
    expect(done.status).toBe("failed");
    expect(done.outcome?.code).toBe("audit_job_failed");
    const run = await api.db.auditRun.findFirstOrThrow({ where: { submissionId: created.id } });
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/corrupt/);
    const counts = await countsFor(created.id);
    expect(counts).toMatchObject({ reports: 0, certificates: 0 });
    // The artifact is checked before the audit starts, so it never reached auditing.
    expect(counts.transitions).toEqual(["->received", "received>failed"]);
  });

  it("retries an audit whose sandbox process was stopped from outside, instead of reporting a runtime crash", async () => {
    const created = await api.submissions.create(developerId, packedRuntime("reference"));
    await waitFor(async () => {
      const view = await api.submissions.get(created.id);
      return view.status === "auditing" && (view.progress.turnsCompleted ?? 0) > 50;
    }, "the audit to be under way", 60_000, 20);
    // The audit child of this (jest) process, as a shutdown signal to the process group would reach it.
    const ps = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(process.pid)], { encoding: "utf8" }).stdout;
    // The child runs either from source (process/child.ts) or as the prebuilt bundle (audit-child-<hash>.js).
    const child = ps.split("\n").find((line) => /process[/\\]child\.(ts|js)|audit-child-[0-9a-f]+\.js/.test(line));
    expect(child).toBeDefined();
    process.kill(Number(child!.trim().split(/\s+/)[0]), "SIGTERM");
    const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 90_000);
    expect(done.status).toBe("certified");
    const counts = await countsFor(created.id);
    expect(counts).toMatchObject({ runs: 1, reports: 1, certificates: 1 });
    expect(counts.transitions).toEqual(["->received", "received>auditing", "auditing>in_assembly", "in_assembly>certified"]);
  });

  it("has one effect when the same jobs are delivered twice (concurrently and after completion)", async () => {
    const created = await api.submissions.create(developerId, packedRuntime("reference"));
    const run = await api.db.auditRun.findFirstOrThrow({ where: { submissionId: created.id } });
    const payload = { submissionId: created.id, auditRunId: run.id, suite: run.suiteId, seed: run.seed };
    // A second delivery of the same audit under another job id, racing the first,
    // and two more deliveries straight to the handler, all at once.
    await worker.publisher.queue("audit").add("audit", payload, { jobId: `duplicate-${run.id}` });
    const context0 = { jobId: "direct", attempt: 1, log: () => undefined };
    const direct = await Promise.all([worker.handlers.audit.handle(payload, context0), worker.handlers.audit.handle(payload, context0)]);
    const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"]);
    expect(done.status).toBe("certified");
    // Every delivery has finished (a duplicate may still be running its sandbox).
    const original = await api.db.outboxEvent.findUniqueOrThrow({ where: { dedupeKey: auditDedupeKey(run.id) } });
    const queued = await Promise.all(
      [original.id, `duplicate-${run.id}`].map((id) =>
        waitFor(async () => {
          const job = await worker.publisher.queue("audit").getJob(id);
          return job && (await job.isCompleted()) ? (job.returnvalue as { result: string }) : null;
        }, `job ${id} to finish`),
      ),
    );
    // At most one of the four deliveries says it recorded the report; the others saw
    // it done. (Not "exactly one": on a loaded machine BullMQ can declare the
    // recording attempt stalled and run it again, and the job then keeps the retry's
    // "already-recorded". The effect counts below are the exactly-once property.)
    const results = [...direct, ...queued].map((r) => r.result);
    expect(results.filter((r) => r === "recorded").length).toBeLessThanOrEqual(1);
    expect(results.every((r) => ["recorded", "already-recorded", "skipped"].includes(r))).toBe(true);

    // And once more, after everything finished: both handlers are no-ops.
    const context = { jobId: "redelivery", attempt: 1, log: () => undefined };
    await expect(worker.handlers.audit.handle(payload, context)).resolves.toMatchObject({ result: "skipped" });
    await expect(worker.handlers.certificate.handle({ submissionId: created.id }, context)).resolves.toMatchObject({
      result: "already-issued",
      certificateId: done.certificateId,
    });

    const counts = await countsFor(created.id);
    expect(counts).toMatchObject({ runs: 1, reports: 1, certificates: 1, certificateJobs: 1, usage: 5 });
    expect(counts.transitions).toEqual(["->received", "received>auditing", "auditing>in_assembly", "in_assembly>certified"]);
    expect(await api.db.outboxEvent.count({ where: { topic: "anchor", payload: { path: ["certificateId"], equals: done.certificateId! } } })).toBe(1);
    expect(await api.db.outboxEvent.count({ where: { dedupeKey: auditDedupeKey(run.id) } })).toBe(1);
  });
});
