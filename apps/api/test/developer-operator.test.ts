// The developer plane's submission flow and the operator login, over HTTP.
import { Queue } from "bullmq";
import { generate } from "otplib";
import { createRedisConnection, samplePackedRuntime, sampleUnsignedCertificate } from "@assay/platform";
import { credentialsFor, startApi, type TestApi } from "./helpers";

let t: TestApi;
let creds: Awaited<ReturnType<typeof credentialsFor>>;
let redis: ReturnType<typeof createRedisConnection>;
let auditQueue: Queue;

beforeAll(async () => {
  t = await startApi();
  creds = await credentialsFor(t);
  redis = createRedisConnection(t.env.config.redis.url, { forWorker: true });
  auditQueue = new Queue("audit", { connection: redis, prefix: t.env.queuePrefix });
});
afterAll(async () => {
  await auditQueue.obliterate({ force: true });
  await auditQueue.close();
  redis.disconnect();
  await t.close();
});

describe("developer submissions", () => {
  it("POST persists the submission and enqueues exactly one audit job", async () => {
    const before = await t.platform.store.rowCounts();
    const res = await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: samplePackedRuntime() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "received", runtime: { name: "sample-runtime", version: "1.0.0" }, certificateId: null });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.subjectDigest).toMatch(/^0x[0-9a-f]{64}$/);

    const after = await t.platform.store.rowCounts();
    expect(after.submissions).toBe(before.submissions! + 1);
    expect(after.audit_runs).toBe(before.audit_runs! + 1);
    expect(after.outbox_events).toBe(before.outbox_events! + 1);
    const jobs = (await auditQueue.getJobs(["waiting", "prioritized", "delayed", "active"])).filter((j) => j.data.submissionId === res.body.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.name).toBe("audit");
  });

  it("list, get with progress, report and certificate", async () => {
    const created = (await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: samplePackedRuntime({ entrySource: "export const b = 1;" }) })).body;
    const list = await t.call("GET", "/v1/developer/submissions?limit=1", { token: creds.apiKey });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].id).toBe(created.id);
    expect(typeof list.body.nextCursor).toBe("string");
    const page2 = await t.call("GET", `/v1/developer/submissions?limit=1&cursor=${list.body.nextCursor}`, { token: creds.apiKey });
    expect(page2.body.items[0].id).not.toBe(created.id);

    await t.platform.submissions.transition(created.id, "auditing", { actor: "test" });
    await t.platform.submissions.setProgress(created.id, { scenariosTotal: 7, scenariosCompleted: 2, currentScenario: "drift-pressure" });
    const got = await t.call("GET", `/v1/developer/submissions/${created.id}`, { token: creds.apiKey });
    expect(got.body).toMatchObject({ status: "auditing", progress: { scenariosTotal: 7, scenariosCompleted: 2, currentScenario: "drift-pressure" } });

    expect((await t.call("GET", `/v1/developer/submissions/${created.id}/report`, { token: creds.apiKey })).body.error.code).toBe("report_not_found");
    expect((await t.call("GET", `/v1/developer/submissions/${created.id}/certificate`, { token: creds.apiKey })).body.error.code).toBe("certificate_not_found");

    await t.platform.submissions.transition(created.id, "in_assembly", { actor: "test" });
    const document = await t.platform.certificates.issue(
      created.id,
      sampleUnsignedCertificate({ name: created.runtime.name, version: created.runtime.version, digest: created.subjectDigest }),
      "test",
    );
    const cert = await t.call("GET", `/v1/developer/submissions/${created.id}/certificate`, { token: creds.apiKey });
    expect(cert.body).toMatchObject({ id: document.id, jws: document.jws, status: { state: "active" } });
    expect((await t.call("GET", `/v1/developer/submissions/${created.id}`, { token: creds.apiKey })).body).toMatchObject({
      status: "certified",
      certificateId: document.id,
    });
  });

  it("API keys: shown once, listed by prefix only, revocable", async () => {
    const created = await t.call("POST", "/v1/developer/api-keys", { token: creds.apiKey, json: { name: "ci" } });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key.startsWith(created.body.prefix)).toBe(true);
    const listed = await t.call("GET", "/v1/developer/api-keys", { token: key });
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body.map((k: { prefix: string }) => k.prefix)).toContain(created.body.prefix);
    expect((await t.call("DELETE", `/v1/developer/api-keys/${created.body.id}`, { token: creds.apiKey })).status).toBe(204);
    expect((await t.call("GET", "/v1/developer/me", { token: key })).status).toBe(401);
  });
});

describe("submission events (SSE)", () => {
  it("streams the view on each change and ends after a final status", async () => {
    const created = (await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: samplePackedRuntime({ entrySource: "export const sse = 1;" }) })).body;
    const response = await fetch(`${t.url}/v1/developer/submissions/${created.id}/events`, { headers: { authorization: `Bearer ${creds.apiKey}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");

    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const driver = (async () => {
      await pause(700);
      await t.platform.submissions.transition(created.id, "auditing", { actor: "test" });
      await pause(700);
      await t.platform.submissions.setProgress(created.id, { scenariosTotal: 7, scenariosCompleted: 1, currentTurn: 12, measuredDiBps: 3100 });
      await pause(700);
      await t.platform.submissions.transition(created.id, "failed", { actor: "test", reasonCode: "sandbox_unavailable" });
    })();

    const text = await response.text(); // the server ends the stream after "failed"
    await driver;
    const events = text
      .split("\n\n")
      .filter((block) => block.startsWith("event: submission"))
      .map((block) => JSON.parse(block.split("\n").find((line) => line.startsWith("data: "))!.slice(6)));
    expect(events.map((e) => e.status)).toEqual(["received", "auditing", "auditing", "failed"]);
    expect(events[2].progress).toMatchObject({ scenariosCompleted: 1, currentTurn: 12, measuredDiBps: 3100 });
    expect(events[3].outcome).toEqual({ code: "sandbox_unavailable", message: null });
  });

  it("answers unknown submissions with a JSON 404, not a stream", async () => {
    const res = await t.call("GET", "/v1/developer/submissions/00000000-0000-4000-8000-000000000000/events", { token: creds.apiKey });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("submission_not_found");
  });
});

describe("operator login", () => {
  it("needs the right password and TOTP code; the token works on the operator plane only", async () => {
    const { totpSecret } = await t.platform.operators.create({ email: "login@example.com", password: "a long operator password", role: "reviewer" });
    const code = await generate({ secret: totpSecret });
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const bad = await t.call("POST", "/v1/operator/auth/login", { json: { email: "login@example.com", password: "a long operator password", totp: wrongCode } });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe("invalid_credentials");

    const ok = await t.call("POST", "/v1/operator/auth/login", { json: { email: "login@example.com", password: "a long operator password", totp: code } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ tokenType: "Bearer", operator: { email: "login@example.com", role: "reviewer" } });
    const me = await t.call("GET", "/v1/operator/me", { token: ok.body.token });
    expect(me.body).toMatchObject({ email: "login@example.com", role: "reviewer" });
    const subs = await t.call("GET", "/v1/operator/submissions?status=received", { token: ok.body.token });
    expect(subs.status).toBe(200);
    expect(subs.body.items.every((s: { status: string }) => s.status === "received")).toBe(true);
    expect((await t.call("GET", "/v1/developer/me", { token: ok.body.token })).status).toBe(401);
  });
});
