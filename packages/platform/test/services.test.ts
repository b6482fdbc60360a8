// Services against real PostgreSQL and Redis.
import { createHash } from "node:crypto";
import { Queue } from "bullmq";
import { generate } from "otplib";
import { verifyCertificate } from "@assay/protocol";
import { BullJobPublisher, createPlatform, createRedisConnection, SecretBox, type Platform } from "../src";
import { ConflictError, UnauthorizedError, ValidationError } from "../src/errors";
import { createTestEnvironment, samplePackedRuntime, sampleUnsignedCertificate, type TestEnvironment } from "../src/testing";

let env: TestEnvironment;
let platform: Platform;
let auditQueue: Queue;
let redis: ReturnType<typeof createRedisConnection>;
let developerId: string;

beforeAll(async () => {
  env = createTestEnvironment();
  platform = await createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) });
  redis = createRedisConnection(env.config.redis.url, { forWorker: true });
  auditQueue = new Queue("audit", { connection: redis, prefix: env.queuePrefix });
  developerId = (await platform.developers.create({ email: "dev@example.com", name: "Dev" })).id;
});

afterAll(async () => {
  await auditQueue.obliterate({ force: true });
  await auditQueue.close();
  redis.disconnect();
  await platform.close();
  await env.cleanup();
});

describe("submissions", () => {
  it("persist with their artifact and enqueue exactly one audit job", async () => {
    // Audit jobs carry a fair-share priority (decision 0026): BullMQ keeps them in "prioritized", not "waiting".
    const before = await auditQueue.getJobCounts("prioritized", "delayed", "active");
    const view = await platform.submissions.create(developerId, samplePackedRuntime());
    expect(view).toMatchObject({ status: "received", runtime: { name: "sample-runtime", version: "1.0.0" }, suite: "core", certificateId: null });

    const jobs = await auditQueue.getJobs(["prioritized"]);
    const mine = jobs.filter((j) => j.data.submissionId === view.id);
    expect(mine).toHaveLength(1);
    expect((await auditQueue.getJobCounts("prioritized")).prioritized).toBe((before.prioritized ?? 0) + 1);
    expect(mine[0]!.data).toMatchObject({ submissionId: view.id, suite: "core", seed: view.seed });

    const events = await platform.db.outboxEvent.findMany({ where: { topic: "audit" } });
    const event = events.find((e) => (e.payload as { submissionId: string }).submissionId === view.id)!;
    expect(event.status).toBe("dispatched");
    expect(mine[0]!.id).toBe(event.id);
    // Dispatching again (a relay racing the request) does not enqueue twice.
    await platform.db.outboxEvent.update({ where: { id: event.id }, data: { status: "pending" } });
    await platform.outbox.dispatch(event.id);
    expect((await auditQueue.getJobs(["prioritized"])).filter((j) => j.data.submissionId === view.id)).toHaveLength(1);

    const stored = await platform.db.runtimeVersion.findFirstOrThrow({ where: { subjectDigest: view.subjectDigest } });
    const files = await platform.artifacts.getBundle(stored.artifactSha256);
    expect(files.map((f) => f.path)).toEqual(["dist/runtime.js", "sigma-runtime.json"]);
    expect((await platform.submissions.history(view.id)).map((t) => [t.fromStatus, t.toStatus])).toEqual([[null, "received"]]);
  });

  it("write nothing for an invalid submission", async () => {
    const before = await platform.store.rowCounts();
    await expect(platform.submissions.create(developerId, { ...samplePackedRuntime(), manifest: { nope: true } })).rejects.toBeInstanceOf(ValidationError);
    expect(await platform.store.rowCounts()).toEqual(before);
  });

  it("keep the job in the outbox when Redis is unreachable, and the relay delivers it later", async () => {
    const down = await createPlatform(env.config, { publisher: new BullJobPublisher("redis://127.0.0.1:1", env.queuePrefix, 300) });
    try {
      const view = await down.submissions.create(developerId, samplePackedRuntime({ entrySource: "export const v = 2;" }));
      const event = (await platform.db.outboxEvent.findMany()).find((e) => (e.payload as { submissionId: string }).submissionId === view.id)!;
      expect(event).toMatchObject({ status: "pending", attempts: 1 });
      await platform.db.outboxEvent.update({ where: { id: event.id }, data: { availableAt: new Date(0) } });
      const outcomes = await platform.outbox.dispatchPending();
      expect(outcomes).toContainEqual({ id: event.id, dispatched: true });
      expect((await auditQueue.getJobs(["prioritized"])).filter((j) => j.data.submissionId === view.id)).toHaveLength(1);
    } finally {
      await down.close();
    }
  });

  it("move only along the state machine, recording each transition", async () => {
    const { id } = await platform.submissions.create(developerId, samplePackedRuntime({ entrySource: "export const v = 3;" }));
    await expect(platform.submissions.transition(id, "certified", { actor: "test" })).rejects.toMatchObject({ code: "illegal_transition" });
    await expect(platform.submissions.transition(id, "in_assembly", { actor: "test" })).rejects.toBeInstanceOf(ConflictError);
    expect((await platform.submissions.get(id)).status).toBe("received");

    await platform.submissions.transition(id, "auditing", { actor: "worker:audit", expectedFrom: "received" });
    await expect(platform.submissions.transition(id, "in_assembly", { actor: "x", expectedFrom: "received" })).rejects.toMatchObject({
      code: "submission_state_changed",
    });
    // Two workers race for the same move: exactly one wins.
    const race = await Promise.allSettled([
      platform.submissions.transition(id, "in_assembly", { actor: "a" }),
      platform.submissions.transition(id, "in_assembly", { actor: "b" }),
    ]);
    expect(race.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const history = await platform.submissions.history(id);
    expect(history.map((t) => t.toStatus)).toEqual(["received", "auditing", "in_assembly"]);
  });
});

describe("API keys", () => {
  it("are shown once and stored only as a SHA-256 hash", async () => {
    const created = await platform.apiKeys.create(developerId, "laptop");
    expect(created.key).toMatch(/^ak_[0-9a-f]{12}_/);
    const row = await platform.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.keyHash).toBe(createHash("sha256").update(created.key).digest("hex"));
    // The secret is base64url and may itself hold "_": take everything after `ak_<12 hex>_`.
    const secret = created.key.slice("ak_".length + 12 + 1);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(await platform.apiKeys.list(developerId))).not.toContain(created.key);

    await expect(platform.apiKeys.authenticate(created.key)).resolves.toEqual({ developerId, apiKeyId: created.id });
    await expect(platform.apiKeys.authenticate(`${created.key.slice(0, -1)}x`)).rejects.toBeInstanceOf(UnauthorizedError);
    await platform.apiKeys.revoke(developerId, created.id);
    await expect(platform.apiKeys.authenticate(created.key)).rejects.toMatchObject({ code: "api_key_invalid" });
  });
});

describe("operators", () => {
  it("log in with password and the current TOTP code, once per code", async () => {
    const { operator, totpSecret } = await platform.operators.create({ email: "ops@example.com", password: "correct horse battery", role: "admin" });
    const row = await platform.db.operator.findUniqueOrThrow({ where: { id: operator.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.totpSecretEncrypted).not.toContain(totpSecret);

    const code = await generate({ secret: totpSecret });
    const wrong = code === "000000" ? "111111" : "000000";
    await expect(platform.operators.login({ email: "ops@example.com", password: "correct horse battery", totp: wrong })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    await expect(platform.operators.login({ email: "ops@example.com", password: "wrong password!!", totp: code })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    await expect(platform.operators.login({ email: "nobody@example.com", password: "correct horse battery", totp: code })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    await expect(platform.operators.login({ email: "OPS@example.com", password: "correct horse battery", totp: code })).resolves.toMatchObject({
      id: operator.id,
      role: "admin",
    });
    // Replaying the same code is refused.
    await expect(platform.operators.login({ email: "ops@example.com", password: "correct horse battery", totp: code })).rejects.toMatchObject({
      code: "invalid_credentials",
    });
  });
});

describe("signing keys and certificates", () => {
  it("generate one key on first start, encrypted at rest", async () => {
    const second = await createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) });
    await second.close();
    const rows = await platform.db.signingKey.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("active");
    expect(rows[0]!.privateJwkEncrypted).not.toContain('"d"');
    const opened = JSON.parse(new SecretBox(env.config.secrets.keyEncryption).open("signing-key", rows[0]!.privateJwkEncrypted));
    expect(opened).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: rows[0]!.kid });
    expect(typeof opened.d).toBe("string");
    expect(() => new SecretBox("another-secret-another-secret-another").open("signing-key", rows[0]!.privateJwkEncrypted)).toThrow();
  });

  it("issue, look up, verify; rotation keeps old keys in the JWKS; revocation shows in verify", async () => {
    const sub = await platform.submissions.create(developerId, samplePackedRuntime({ entrySource: "export const v = 4;" }));
    await platform.submissions.transition(sub.id, "auditing", { actor: "t" });
    await platform.submissions.transition(sub.id, "in_assembly", { actor: "t" });
    const unsigned = sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest });
    const document = await platform.certificates.issue(sub.id, unsigned, "worker:certificate");
    expect((await platform.submissions.get(sub.id)).status).toBe("certified");
    expect((await platform.submissions.get(sub.id)).certificateId).toBe(document.id);

    const lookup = await platform.certificates.lookup(document.id);
    expect(lookup.document).toEqual(document);
    expect(lookup.status).toEqual({ state: "active", reason: null });
    expect((await platform.certificates.verify(document)).valid).toBe(true);

    const oldKid = document.payload.issuer.kid;
    const newKid = await platform.signingKeys.rotate();
    expect(newKid).not.toBe(oldKid);
    const jwks = await platform.signingKeys.jwks();
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    expect((await platform.db.signingKey.findUniqueOrThrow({ where: { kid: oldKid } })).status).toBe("retired");
    // Independently of the service: the published JWKS still verifies the old certificate.
    const independent = await verifyCertificate(document, {
      jwks: jwks as never,
      allowedIssuers: [env.config.certificates.issuerId],
      now: new Date(),
      status: { state: "active" },
      anchor: { state: "not-anchored" },
    });
    expect(independent.valid).toBe(true);

    await platform.certificates.changeStatus(document.id, "revoked", { reasonCode: "key_compromise", actor: "operator:x" });
    const after = await platform.certificates.verify(document);
    expect(after.valid).toBe(false);
    expect(after.checks.find((c) => c.name === "status")).toMatchObject({ ok: false, detail: "revoked: key_compromise" });
    await expect(platform.certificates.changeStatus(document.id, "active", { actor: "operator:x" })).rejects.toMatchObject({ code: "illegal_status_change" });
    expect((await platform.certificates.lookup(document.id)).history.map((h) => h.to)).toEqual(["active", "revoked"]);
  });

  it("verify reports (never throws) for any JSON value, even one nested too deep to serialise", async () => {
    const deep = JSON.parse(`{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const result = await platform.certificates.verify(deep);
    expect(result.valid).toBe(false);
    expect(result.checks[0]).toMatchObject({ name: "schema", ok: false });
  });

  it("refuse to certify a submission that is not in assembly, writing nothing", async () => {
    const sub = await platform.submissions.create(developerId, samplePackedRuntime({ entrySource: "export const v = 5;" }));
    const before = await platform.store.rowCounts();
    const unsigned = sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest });
    await expect(platform.certificates.issue(sub.id, unsigned, "t")).rejects.toMatchObject({ code: "submission_state_changed" });
    expect(await platform.store.rowCounts()).toEqual(before);
  });
});

describe("usage", () => {
  it("records per submission, idempotently by source key", async () => {
    const sub = await platform.submissions.create(developerId, samplePackedRuntime({ entrySource: "export const v = 6;" }));
    expect(await platform.usage.recordForSubmission(sub.id, "run-1", { model_input_tokens: 1200, model_output_tokens: 300, sandbox_cpu_ms: 450 })).toBe(3);
    expect(await platform.usage.recordForSubmission(sub.id, "run-1", { model_input_tokens: 1200 })).toBe(0);
    // Intake metered the stored bundle (the submission's artifact) as storage.
    const stored = await platform.db.submission.findUniqueOrThrow({ where: { id: sub.id }, include: { runtimeVersion: { include: { artifact: true } } } });
    expect(stored.runtimeVersion.artifact.sizeBytes).toBeGreaterThan(0);
    expect(await platform.usage.totals({ submissionId: sub.id })).toEqual({
      model_input_tokens: "1200",
      model_output_tokens: "300",
      sandbox_cpu_ms: "450",
      storage_bytes: String(stored.runtimeVersion.artifact.sizeBytes),
      assembly_seats: "0",
    });
  });
});
