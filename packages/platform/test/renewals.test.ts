// Renewal sweep on real PostgreSQL and Redis with billing enforced and a
// controllable clock (docs/decisions/0020), below the worker: the window
// (configured, capped at half the validity), a developer whose credits do not
// cover the re-audit (no submission, no hold, a failed row that later sweeps
// take up again once credits arrive), and the public chain's edge cases. The
// end-to-end renewal with real audits is apps/worker/test/renewal.test.ts.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { Queue } from "bullmq";
import { BullJobPublisher, createPlatform, createRedisConnection, type Platform } from "../src";
import { NotFoundError } from "../src/errors";
import { createTestEnvironment, samplePackedRuntime, sampleUnsignedCertificate, type TestEnvironment } from "../src/testing";

jest.setTimeout(120_000);

let env: TestEnvironment;
let platform: Platform;
let now = new Date("2026-06-01T12:00:00.000Z");
let suiteVersion = "1.0.0"; // the sample certificates' version: due by expiry only

beforeAll(async () => {
  // Validity 20 days, window configured at 30: the effective window is 10 days.
  env = createTestEnvironment({ ASSAY_BILLING_ENFORCED: "true", ASSAY_CERTIFICATE_VALIDITY_DAYS: "20", ASSAY_RENEWAL_WINDOW_DAYS: "30" });
  platform = await createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix), clock: () => now, suiteVersions: () => ({ core: suiteVersion }) });
}, 60_000);

afterAll(async () => {
  const redis = createRedisConnection(env.config.redis.url, { forWorker: true });
  const queue = new Queue("audit", { connection: redis, prefix: env.queuePrefix });
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  redis.disconnect();
  await platform.close();
  await env.cleanup();
});

let n = 0;
async function certified(developerId: string): Promise<string> {
  const sub = await platform.submissions.create(developerId, samplePackedRuntime({ entrySource: `export const r = ${++n};` }));
  await platform.submissions.transition(sub.id, "auditing", { actor: "t" });
  await platform.submissions.transition(sub.id, "in_assembly", { actor: "t" });
  return (await platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "t")).id;
}

it("window = min(configured, validity / 2); too few credits: no submission, no hold, retried once credits cover it", async () => {
  expect(platform.renewals.windowDays).toBe(10);
  const dev = (await platform.developers.create({ email: "renew-unpaid@example.com", name: "U" })).id;
  await platform.ledger.grant({ developerId: dev, amount: 1_000, reason: "t", requestKey: `renew-unpaid-1` }, "operator:t");
  await platform.renewals.setAutoRenew(dev, true);
  const id = await certified(dev);
  const validUntil = (await platform.db.certificate.findUniqueOrThrow({ where: { id } })).validUntil;

  now = new Date(validUntil.getTime() - 10 * 86_400_000 - 1_000);
  expect((await platform.renewals.sweep()).started).toEqual([]);

  // Spend everything: the developer can no longer pay for a re-audit.
  const balance = await platform.ledger.developerBalance(dev);
  const drain = await platform.submissions.quote(dev, samplePackedRuntime({ entrySource: "export const r = 0;" }));
  expect(balance.available).toBeGreaterThan(0);
  expect(drain.total).toBeGreaterThan(0);
  while ((await platform.ledger.developerBalance(dev)).available >= drain.total) await certified(dev).catch(() => undefined);
  const poor = await platform.ledger.developerBalance(dev);

  now = new Date(validUntil.getTime() - 10 * 86_400_000);
  const sweep = await platform.renewals.sweep();
  expect(sweep.unpaid).toContain(id);
  const [row] = await platform.db.certificateRenewal.findMany({ where: { certificateId: id } });
  expect(row).toMatchObject({ status: "failed", reasonCode: "insufficient_credits", submissionId: null, trigger: "expiry", targetVersion: "core@1.0.0" });
  expect(await platform.ledger.developerBalance(dev)).toEqual(poor);
  const submissionsBefore = await platform.db.submission.count({ where: { developerId: dev } });

  // Credits arrive: the next sweep takes the same row up and starts the re-audit (held at the catalogue price).
  await platform.ledger.grant({ developerId: dev, amount: 1_000, reason: "t", requestKey: `renew-unpaid-2` }, "operator:t");
  const again = await platform.renewals.sweep();
  const started = again.started.find((s) => s.certificateId === id)!;
  expect(started).toBeDefined();
  const [taken] = await platform.db.certificateRenewal.findMany({ where: { certificateId: id } });
  expect(taken).toMatchObject({ id: row!.id, status: "auditing", submissionId: started.submissionId, reasonCode: null });
  expect(await platform.db.submission.count({ where: { developerId: dev } })).toBe(submissionsBefore + 1);
  const charge = await platform.db.submissionCharge.findUniqueOrThrow({ where: { submissionId: started.submissionId } });
  expect(charge.status).toBe("held");
  expect(Number(charge.total)).toBe(drain.total);
  // In flight: no sweep starts another, even for a newer suite version.
  suiteVersion = "2.0.0";
  expect((await platform.renewals.sweep()).started.filter((s) => s.certificateId === id)).toEqual([]);
  suiteVersion = "1.0.0";

  // The re-audit fails by the platform's own error: the hold is released, the renewal records why.
  await platform.submissions.transition(started.submissionId, "failed", { actor: "t", reasonCode: "engine_error", reasonMessage: "the sandbox crashed" });
  expect(await platform.db.certificateRenewal.findUniqueOrThrow({ where: { id: row!.id } })).toMatchObject({ status: "failed", reasonCode: "engine_error", reasonMessage: "the sandbox crashed" });
  expect((await platform.db.submissionCharge.findUniqueOrThrow({ where: { submissionId: started.submissionId } })).status).toBe("released");
  expect((await platform.certificates.lookup(id)).status.state).toBe("active");
});

it("a renewal that cannot start (its artifact is gone) is recorded with the reason and does not stall the sweep; it starts once the artifact is back", async () => {
  const dev = (await platform.developers.create({ email: "renew-missing@example.com", name: "M" })).id;
  await platform.ledger.grant({ developerId: dev, amount: 5_000, reason: "t", requestKey: `renew-missing` }, "operator:t");
  await platform.renewals.setAutoRenew(dev, true);
  const broken = await certified(dev);
  const fine = await certified(dev);
  const sha = async (id: string) => {
    const cert = await platform.db.certificate.findUniqueOrThrow({ where: { id }, include: { submission: { include: { runtimeVersion: true } } } });
    return cert.submission.runtimeVersion.artifactSha256;
  };
  const path = platform.artifacts.pathOf(await sha(broken));
  const bytes = readFileSync(path);
  rmSync(path);
  suiteVersion = "3.0.0"; // both due at once, by version
  try {
    const sweep = await platform.renewals.sweep();
    expect(sweep.errors.map((e) => e.certificateId)).toEqual([broken]);
    expect(sweep.started.map((s) => s.certificateId)).toContain(fine);
    expect(await platform.db.certificateRenewal.findFirstOrThrow({ where: { certificateId: broken } })).toMatchObject({
      status: "failed",
      reasonCode: "renewal_start_failed",
      submissionId: null,
      targetVersion: "core@3.0.0",
    });
    expect((await platform.renewals.listForDeveloper(dev, { certificateId: broken }))[0]!.reason?.message).toMatch(/^the re-audit could not start: artifact .* is not stored$/);
    // Restored: the next sweep takes the same row up.
    writeFileSync(path, bytes);
    const again = await platform.renewals.sweep();
    expect(again.started.map((s) => s.certificateId)).toContain(broken);
    expect(await platform.db.certificateRenewal.count({ where: { certificateId: broken } })).toBe(1);
  } finally {
    suiteVersion = "1.0.0";
  }
});

it("the opt-in is the developer's consent to be charged: each change (not a repeat) is in the audit log", async () => {
  const dev = (await platform.developers.create({ email: "renew-consent@example.com", name: "C" })).id;
  expect(await platform.renewals.autoRenew(dev)).toEqual({ enabled: false, windowDays: 10 });
  await platform.renewals.setAutoRenew(dev, true);
  await platform.renewals.setAutoRenew(dev, true);
  await platform.renewals.setAutoRenew(dev, false);
  const rows = await platform.db.auditLogEntry.findMany({ where: { target: `developer:${dev}`, action: "renewals.auto_renew" }, orderBy: { seq: "asc" } });
  expect(rows.map((r) => [r.actor, r.before, r.after])).toEqual([
    [`developer:${dev}`, { autoRenew: false }, { autoRenew: true }],
    [`developer:${dev}`, { autoRenew: true }, { autoRenew: false }],
  ]);
  await expect(platform.renewals.setAutoRenew("00000000-0000-4000-8000-000000000000", true)).rejects.toBeInstanceOf(NotFoundError);
});

it("the chain: unknown and malformed ids are not found; a certificate alone is a chain of one", async () => {
  await expect(platform.renewals.chain(`0x${"ab".repeat(32)}`)).rejects.toBeInstanceOf(NotFoundError);
  await expect(platform.renewals.chain("../../etc/passwd")).rejects.toBeInstanceOf(NotFoundError);
  const dev = (await platform.developers.create({ email: "renew-chain@example.com", name: "C" })).id;
  await platform.ledger.grant({ developerId: dev, amount: 1_000, reason: "t", requestKey: `renew-chain` }, "operator:t");
  const id = await certified(dev);
  const chain = await platform.renewals.chain(id.toUpperCase().replace("0X", "0x"));
  expect(chain).toMatchObject({ certificateId: id, current: id });
  expect(chain.items.map((i) => [i.id, i.status, i.supersedes])).toEqual([[id, "active", null]]);
});

it("an operator's re-audit order (a flag decision): decided with its submission, paid by the platform; a fail suspends the certificate, a pass supersedes it", async () => {
  const dev = (await platform.developers.create({ email: "reaudit@example.com", name: "R" })).id;
  await platform.ledger.grant({ developerId: dev, amount: 1_000, reason: "t", requestKey: "reaudit-1" }, "operator:t");
  const failing = await certified(dev);
  const passing = await certified(dev);
  const balance = await platform.ledger.developerBalance(dev);
  const flag = async (certificateId: string) => (await platform.certificateFlags.submit(certificateId, { category: "wrong-claims", text: "please re-check" }, "203.0.113.9")).id;

  // The order: the flag is decided and the re-audit submission created together; no hold on the developer.
  const first = await flag(failing);
  const decided = await platform.certificateFlags.resolve(first, { action: "reaudit", outcome: "re-audit ordered" }, "operator:o1");
  expect(decided).toMatchObject({ status: "reaudit_ordered", outcome: "re-audit ordered", resolvedBy: "operator:o1" });
  const [order] = await platform.db.certificateRenewal.findMany({ where: { certificateId: failing } });
  expect(order).toMatchObject({ trigger: "flag", status: "auditing", targetVersion: `core@1.0.0#order:${first}` });
  expect(await platform.db.submissionCharge.count({ where: { submissionId: order!.submissionId! } })).toBe(0);
  expect(await platform.ledger.developerBalance(dev)).toEqual(balance);
  const logged = await platform.db.auditLogEntry.findMany({ where: { target: `certificate_flag:${first}` } });
  expect(logged.map((e) => (e.after as { reauditSubmissionId?: string }).reauditSubmissionId)).toEqual([order!.submissionId]);

  // While it runs, a second order for the same certificate is refused and leaves its flag open.
  const second = await flag(failing);
  await expect(platform.certificateFlags.resolve(second, { action: "reaudit", outcome: "again" }, "operator:o1")).rejects.toMatchObject({ code: "reaudit_in_flight" });
  expect((await platform.db.certificateFlag.findUniqueOrThrow({ where: { id: second } })).status).toBe("open");
  // A decided flag cannot be decided again (and no second submission is left behind).
  const submissionsBefore = await platform.db.submission.count({ where: { developerId: dev } });
  await expect(platform.certificateFlags.resolve(first, { action: "reaudit", outcome: "twice" }, "operator:o1")).rejects.toMatchObject({ code: expect.stringMatching(/reaudit_in_flight|flag_already_resolved/) });
  expect(await platform.db.submission.count({ where: { developerId: dev } })).toBe(submissionsBefore);

  // The re-audit fails: the flagged certificate is suspended (history and transparency log), the order records why.
  await platform.submissions.transition(order!.submissionId!, "auditing", { actor: "t" });
  await platform.submissions.transition(order!.submissionId!, "rejected", { actor: "t", reasonCode: "critical_findings", reasonMessage: "ALIAS_SCOPE_LEAK" });
  const suspended = await platform.certificates.lookup(failing);
  expect(suspended.status).toEqual({ state: "suspended", reason: "reaudit_failed" });
  expect(suspended.history.at(-1)).toMatchObject({ from: "active", to: "suspended", reason: "reaudit_failed" });
  expect(await platform.db.certificateRenewal.findUniqueOrThrow({ where: { id: order!.id } })).toMatchObject({ status: "failed", reasonCode: "critical_findings" });
  const logEntries = await platform.db.logEntry.findMany({ where: { certificateId: failing }, orderBy: { index: "asc" } });
  expect(logEntries.map((e) => (JSON.parse(e.leaf) as { kind: string; to?: string }).to ?? e.kind)).toEqual(["issued", "suspended"]);

  // Another certificate: the re-audit passes and its certificate supersedes the flagged one.
  const third = await flag(passing);
  await platform.certificateFlags.resolve(third, { action: "reaudit", outcome: "re-audit ordered" }, "operator:o1");
  const [pass] = await platform.db.certificateRenewal.findMany({ where: { certificateId: passing } });
  await platform.submissions.transition(pass!.submissionId!, "auditing", { actor: "t" });
  await platform.submissions.transition(pass!.submissionId!, "in_assembly", { actor: "t" });
  const sub = await platform.submissions.get(pass!.submissionId!);
  const renewed = await platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "t");
  expect(renewed.payload.supersedes).toBe(passing);
  expect((await platform.certificates.lookup(passing)).status).toEqual({ state: "expired", reason: "superseded" });
  expect(await platform.db.certificateRenewal.findUniqueOrThrow({ where: { id: pass!.id } })).toMatchObject({ status: "renewed", newCertificateId: renewed.id });
  expect(await platform.ledger.developerBalance(dev)).toEqual(balance);
});
