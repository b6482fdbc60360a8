// Certificate renewal (issue 12 item 1, docs/decisions/0020) on real
// PostgreSQL and Redis with a controllable clock and two worker apps on one
// database and one queue prefix (the repeatable `renewal` job scheduled by
// both): a certificate is re-audited exactly when it enters the renewal window
// (or when its suite version is not the current one), the pass issues a
// certificate whose payload.supersedes is the old id and ends the old one;
// a failing re-audit leaves the old one alone and records why; without the
// opt-in nothing is re-audited or charged (a declined notice); two concurrent
// sweeps never start two renewals of one certificate.
import { Queue } from "bullmq";
import { BullJobPublisher, createPlatform, createRedisConnection, RENEWAL_ACTOR, samplePackedRuntime, sampleUnsignedCertificate, type Platform, type SubmitRuntimeBody } from "@assay/platform";
import type { CertificatePayload } from "@assay/protocol";
import { defaultHandlers, startWorkerApp, type WorkerApp, type WorkerAppOptions } from "../src/worker-app";
import { RENEWAL_SCHEDULER_ID } from "../src/jobs/renewal-handler";
import type { JobHandler } from "../src/jobs/handler";
import { currentSuiteVersions } from "../src/audit/suite-versions";
import { createTestEnv, packedRuntime, waitFor, waitForStatus, type TestEnv } from "./helpers";

jest.setTimeout(300_000);

let env: TestEnv;
let api: Platform;
let workers: WorkerApp[] = [];
let now = new Date("2026-03-01T10:00:00.250Z");
const clock = () => now;
/** Developers whose original submissions the test moves by hand (their intake audit does nothing). */
const byHand = new Set<string>();
/** Developers whose renewal re-audits are not run (the concurrency test counts rows, not outcomes). */
const noReaudit = new Set<string>();

beforeAll(async () => {
  env = createTestEnv({
    ASSAY_CERTIFICATE_VALIDITY_DAYS: "60",
    ASSAY_RENEWAL_WINDOW_DAYS: "10",
    ASSAY_RENEWAL_INTERVAL_MS: "300",
    ASSAY_EXPIRY_INTERVAL_MS: "300",
    // Renewals are charged: this suite is about money too.
    ASSAY_BILLING_ENFORCED: "true",
  });
  api = await createPlatform(env.config.app, { publisher: new BullJobPublisher(env.config.app.redis.url, env.config.worker.queuePrefix), clock });
  const handlers: WorkerAppOptions["handlers"] = (services) => {
    const real = defaultHandlers(services);
    return {
      ...real,
      audit: {
        name: "audit",
        async handle(payload, context) {
          const submission = await api.submissions.get(payload.submissionId as string);
          const developerId = (await api.db.submission.findUniqueOrThrow({ where: { id: submission.id } })).developerId;
          const renewal = await api.db.certificateRenewal.findUnique({ where: { submissionId: submission.id } });
          if (!renewal && byHand.has(developerId)) return { result: "moved_by_hand_in_this_test" };
          if (renewal && noReaudit.has(developerId)) return { result: "not_reaudited_in_this_test" };
          return (real.audit as unknown as JobHandler<"audit">).handle(payload, context);
        },
      },
    };
  };
  workers = await Promise.all([1, 2].map(() => startWorkerApp(env.config, { log: () => undefined, reconcile: false, chainLoops: false, clock, handlers })));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await api.close();
  await env.cleanup();
});

let n = 0;
async function developer(options: { autoRenew: boolean; byHand?: boolean; credits?: number }): Promise<string> {
  const dev = await api.developers.create({ email: `renew-${++n}@example.com`, name: "R" });
  if (options.byHand) byHand.add(dev.id);
  if (options.autoRenew) await api.renewals.setAutoRenew(dev.id, true);
  await api.ledger.grant({ developerId: dev.id, amount: options.credits ?? 10_000, reason: "test", requestKey: `renew-test-${dev.id}` }, "operator:test");
  return dev.id;
}

/**
 * A certificate issued by hand for a new submission of `body` (or an existing
 * submission id), under suite version `suiteVersion` — by default the sample's
 * "1.0.0", not the current one: due for renewal by version at once.
 */
async function certifyByHand(developerId: string, body: SubmitRuntimeBody | string, suiteVersion?: string): Promise<string> {
  const sub = typeof body === "string" ? await api.submissions.get(body) : await api.submissions.create(developerId, body);
  await api.submissions.transition(sub.id, "auditing", { actor: "t" });
  await api.submissions.transition(sub.id, "in_assembly", { actor: "t" });
  const unsigned = sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest });
  if (suiteVersion) unsigned.audit = { ...unsigned.audit, suite: { ...unsigned.audit.suite, version: suiteVersion } };
  return (await api.certificates.issue(sub.id, unsigned, "t")).id;
}

/** Waits until `count` scheduled sweeps finished after `since` (the completed set is capped at 100 jobs, so count by time). */
async function sweepsSince(queue: Queue, since: number, count: number): Promise<void> {
  await waitFor(async () => (await queue.getCompleted(0, 99)).filter((j) => (j.finishedOn ?? 0) > since).length >= count, `${count} sweeps`, 60_000);
}

const renewalsOf = (certificateId: string) => api.db.certificateRenewal.findMany({ where: { certificateId } });

it("one schedule for two workers; the window opens at validUntil − N days; the pass supersedes; both verify with the right status; charged once", async () => {
  const versions = await currentSuiteVersions();
  const dev = await developer({ autoRenew: true, byHand: true });
  const start = await api.ledger.developerBalance(dev);
  // The original, certified (by hand, to spare an audit) under the current suite version: due by expiry only.
  const original = await api.submissions.create(dev, packedRuntime("reference"));
  const oldId = await certifyByHand(dev, original.id, versions.core);
  const old = await api.certificates.lookup(oldId);
  expect(old.document.payload.audit.suite.version).toBe(versions.core);
  const validUntil = new Date(old.document.payload.validUntil);
  const afterOriginal = await api.ledger.developerBalance(dev);
  const price = start.available - afterOriginal.available;
  expect(price).toBeGreaterThan(0);

  const redis = createRedisConnection(env.config.app.redis.url, { forWorker: true });
  const queue = new Queue("renewal", { connection: redis, prefix: env.config.worker.queuePrefix });
  try {
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual([RENEWAL_SCHEDULER_ID]);
    // One second before the window: several sweeps, nothing due.
    now = new Date(validUntil.getTime() - 10 * 86_400_000 - 1_000);
    await sweepsSince(queue, Date.now(), 3);
    expect(await renewalsOf(oldId)).toEqual([]);

    // The window opens: one renewal, started by whichever worker's sweep got there.
    now = new Date(validUntil.getTime() - 10 * 86_400_000);
    const [renewal] = await waitFor(async () => {
      const rows = await renewalsOf(oldId);
      return rows.length > 0 ? rows : null;
    }, "the renewal to start", 60_000);
    expect(renewal).toMatchObject({ trigger: "expiry", targetVersion: `core@${versions.core}`, developerId: dev });
    const reaudit = await api.db.submission.findUniqueOrThrow({ where: { id: renewal!.submissionId! }, include: { transitions: true } });
    expect(reaudit.runtimeVersionId).toBe((await api.db.submission.findUniqueOrThrow({ where: { id: original.id } })).runtimeVersionId);
    expect(reaudit.seed).toBe(original.seed);
    expect(reaudit.transitions.find((t) => t.fromStatus === null)?.actor).toBe(RENEWAL_ACTOR);

    const done = await waitForStatus(api, reaudit.id, ["certified", "rejected", "failed"], 180_000);
    expect(done.status).toBe("certified");
    const settled = await waitFor(async () => {
      const rows = await renewalsOf(oldId);
      return rows[0]?.status === "renewed" ? rows : null;
    }, "the renewal row to record the pass", 30_000);
    expect(settled).toHaveLength(1);
    const newId = settled[0]!.newCertificateId!;
    expect(newId).toBe(done.certificateId);

    const renewed = await api.certificates.lookup(newId);
    const payload: CertificatePayload = renewed.document.payload as CertificatePayload;
    expect(payload.supersedes).toBe(oldId);
    expect(renewed.status).toEqual({ state: "active", reason: null });
    expect(payload.issuedAt).toBe(new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z"));
    const ended = await api.certificates.lookup(oldId);
    expect(ended.status).toEqual({ state: "expired", reason: "superseded" });
    expect(ended.history.at(-1)).toMatchObject({ from: "active", to: "expired", reason: "superseded" });

    // Both verify, each with its own status: the new one certified, the old one ended.
    const verifiedNew = await api.certificates.verify(renewed.document);
    expect(verifiedNew.valid).toBe(true);
    const verifiedOld = await api.certificates.verify(ended.document);
    expect(verifiedOld.valid).toBe(false);
    expect(verifiedOld.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(["status"]);

    // The chain, newest → oldest, from either end.
    for (const id of [oldId, newId]) {
      const chain = await api.renewals.chain(id);
      expect(chain.current).toBe(newId);
      expect(chain.items.map((i) => [i.id, i.status, i.reason, i.supersedes])).toEqual([
        [newId, "active", null, oldId],
        [oldId, "expired", "superseded", null],
      ]);
    }

    // Charged once for the re-audit, through the catalogue, hold captured at the outcome.
    const charge = await api.db.submissionCharge.findUniqueOrThrow({ where: { submissionId: reaudit.id } });
    expect(charge.status).toBe("captured");
    expect(Number(charge.total)).toBe(price);
    expect(await api.ledger.developerBalance(dev)).toEqual({ available: afterOriginal.available - price, held: 0, currency: "credits" });

    // More sweeps: the new certificate is not due (its window is 50 days away), the old one is done.
    await sweepsSince(queue, Date.now(), 3);
    expect(await renewalsOf(oldId)).toHaveLength(1);
    expect(await renewalsOf(newId)).toHaveLength(0);
    expect((await api.renewals.listForDeveloper(dev)).map((r) => [r.status, r.newCertificateId])).toEqual([["renewed", newId]]);
  } finally {
    await queue.close();
    redis.disconnect();
  }
});

it("a failing re-audit (new suite version) leaves the old certificate alone and records why", async () => {
  const dev = await developer({ autoRenew: true, byHand: true });
  // A runtime the current suite rejects, certified earlier under suite version 1.0.0 (by hand).
  const oldId = await certifyByHand(dev, packedRuntime("passthrough"));
  const [row] = await waitFor(async () => {
    const rows = await renewalsOf(oldId);
    return rows[0]?.status === "failed" ? rows : null;
  }, "the renewal to fail", 180_000);
  expect(row).toMatchObject({ trigger: "versions", status: "failed", reasonCode: "critical_findings", newCertificateId: null });
  const view = (await api.renewals.listForDeveloper(dev, { certificateId: oldId }))[0]!;
  expect(view.reason?.code).toBe("critical_findings");
  // The old certificate is untouched: still active, nothing supersedes it.
  expect((await api.certificates.lookup(oldId)).status).toEqual({ state: "active", reason: null });
  expect(await api.db.certificate.count({ where: { supersedesId: oldId } })).toBe(0);
  expect((await api.renewals.chain(oldId)).items.map((i) => i.id)).toEqual([oldId]);
  // The re-audit ran, so it was charged (the audit's price; no assembly convened).
  const charge = await api.db.submissionCharge.findUniqueOrThrow({ where: { submissionId: row!.submissionId! } });
  expect(charge.status).toBe("captured");
  // Deterministic: the same artifact under the same version is not re-audited again.
  const sweeps = await Promise.all(workers.map((w) => w.services.renewals.sweep()));
  expect(sweeps.flatMap((s) => s.started).filter((s) => s.certificateId === oldId)).toEqual([]);
  expect(await renewalsOf(oldId)).toHaveLength(1);
});

it("no opt-in: no re-audit and no charge, a declined notice; opting in later starts the renewal", async () => {
  const dev = await developer({ autoRenew: false, byHand: true });
  const oldId = await certifyByHand(dev, packedRuntime("reference"));
  const balance = await api.ledger.developerBalance(dev);
  const [row] = await waitFor(async () => {
    const rows = await renewalsOf(oldId);
    return rows.length > 0 ? rows : null;
  }, "the declined notice", 60_000);
  expect(row).toMatchObject({ status: "declined", reasonCode: "auto_renew_off", submissionId: null });
  await Promise.all(workers.map((w) => w.services.renewals.sweep()));
  expect(await renewalsOf(oldId)).toHaveLength(1);
  expect(await api.ledger.developerBalance(dev)).toEqual(balance);
  expect(await api.db.submission.count({ where: { developerId: dev } })).toBe(1);
  expect((await api.certificates.lookup(oldId)).status.state).toBe("active");

  // Opting in takes the same row up (one row per certificate and version, never a second).
  await api.renewals.setAutoRenew(dev, true);
  const [started] = await waitFor(async () => {
    const rows = await renewalsOf(oldId);
    return rows[0]?.submissionId ? rows : null;
  }, "the renewal to start after opting in", 60_000);
  expect(started!.id).toBe(row!.id);
  const done = await waitForStatus(api, started!.submissionId!, ["certified", "rejected", "failed"], 180_000);
  expect(done.status).toBe("certified");
  const renewed = await api.certificates.lookup(done.certificateId!);
  expect(renewed.document.payload.supersedes).toBe(oldId);
  expect(renewed.document.payload.audit.suite.version).toBe((await currentSuiteVersions()).core);
  expect((await api.certificates.lookup(oldId)).status).toEqual({ state: "expired", reason: "superseded" });
});

it("two sweeps racing (plus the scheduled ones) start one renewal per certificate; the database refuses a second", async () => {
  const dev = await developer({ autoRenew: true, byHand: true });
  noReaudit.add(dev);
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push(await certifyByHand(dev, samplePackedRuntime({ entrySource: `export const race = ${i};` })));
  const [a, b] = await Promise.all(workers.map((w) => w.services.renewals.sweep()));
  await waitFor(async () => (await api.db.certificateRenewal.count({ where: { certificateId: { in: ids } } })) === 4, "four renewals", 30_000);
  await new Promise((r) => setTimeout(r, 1_000)); // more scheduled sweeps
  const rows = await api.db.certificateRenewal.findMany({ where: { certificateId: { in: ids } } });
  expect(rows).toHaveLength(4);
  expect(new Set(rows.map((r) => r.certificateId)).size).toBe(4);
  expect(rows.every((r) => r.status === "auditing")).toBe(true);
  const mine = [...a!.started, ...b!.started].map((s) => s.certificateId).filter((id) => ids.includes(id));
  expect(new Set(mine).size).toBe(mine.length);
  // One re-audit submission (and one hold) per certificate: 4 originals + 4 renewals.
  expect(await api.db.submission.count({ where: { developerId: dev } })).toBe(8);
  expect(await api.db.submissionCharge.count({ where: { developerId: dev } })).toBe(8);
  // The database, not a lock: a second in-flight renewal of a certificate is refused, as is a second row for the same version.
  const first = rows[0]!;
  await expect(
    api.db.certificateRenewal.create({ data: { certificateId: first.certificateId, developerId: dev, trigger: "expiry", targetVersion: "core@other", status: "auditing" } }),
  ).rejects.toThrow();
  await expect(
    api.db.certificateRenewal.create({ data: { certificateId: first.certificateId, developerId: dev, trigger: "expiry", targetVersion: first.targetVersion, status: "declined" } }),
  ).rejects.toThrow();
});
