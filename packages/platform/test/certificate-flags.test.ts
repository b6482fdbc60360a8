// Public flags (issue 12 item 2, decision 0016) below the API's per-process
// limiter: a flood of 1,000 flags from one address, sent concurrently through
// TWO platform instances on one database (as two API processes would, each with
// its own limiter that a flood spread across them would slip through), creates
// exactly the configured number of queue items, suspends nothing, and does not
// block other sources. The bound is the per-source count under an advisory lock.
import { BullJobPublisher, createPlatform, RateLimitedError, type Platform } from "../src";
import { createTestEnvironment, samplePackedRuntime, sampleUnsignedCertificate, type TestEnvironment } from "../src/testing";

jest.setTimeout(120_000);

const MAX_OPEN = 4;
let env: TestEnvironment;
let a: Platform;
let b: Platform;
let certificateId: string;

beforeAll(async () => {
  env = createTestEnvironment({ ASSAY_FLAG_MAX_OPEN_PER_SOURCE: String(MAX_OPEN) });
  a = await createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) });
  b = await createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) });
  const developer = await a.developers.create({ email: "flags@example.com", name: "Flags" });
  const sub = await a.submissions.create(developer.id, samplePackedRuntime({ entrySource: "export const flagged = 1;" }));
  await a.submissions.transition(sub.id, "auditing", { actor: "test" });
  await a.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  certificateId = (await a.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test")).id;
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await env?.cleanup();
});

it("1,000 concurrent flags from one address through two instances create exactly the configured number of queue items", async () => {
  expect(a.config.certificateFlags.maxOpenPerSource).toBe(MAX_OPEN);
  let created = 0;
  const refused = new Map<string, number>();
  for (let round = 0; round < 20; round++) {
    const answers = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).certificateFlags.submit(certificateId, { category: "abuse", text: `flood ${round}-${i}` }, "198.51.100.7")),
    );
    for (const answer of answers) {
      if (answer.status === "fulfilled") created += 1;
      else {
        expect(answer.reason).toBeInstanceOf(RateLimitedError);
        const code = (answer.reason as RateLimitedError).code;
        refused.set(code, (refused.get(code) ?? 0) + 1);
      }
    }
  }
  expect(created).toBe(MAX_OPEN);
  expect(Object.fromEntries(refused)).toEqual({ flag_limit: 1_000 - MAX_OPEN });
  expect(await a.db.certificateFlag.count()).toBe(MAX_OPEN);
  expect(await a.certificateFlags.queue()).toHaveLength(MAX_OPEN);
  // Flags never change a certificate by themselves.
  expect((await a.certificates.lookup(certificateId)).status.state).toBe("active");
  // The stored source is a keyed hash, never the address.
  expect(JSON.stringify(await a.db.certificateFlag.findMany())).not.toContain("198.51.100.7");
});

it("another source is not blocked by the flood; a dismissed flag frees one place for its source, no more", async () => {
  await expect(b.certificateFlags.submit(certificateId, { category: "security", text: "a different reporter" }, "203.0.113.20")).resolves.toMatchObject({ status: "open" });
  const [oldest] = await a.certificateFlags.queue();
  await a.certificateFlags.resolve(oldest!.id, { action: "dismiss", outcome: "No evidence." }, "operator:test");
  const again = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => a.certificateFlags.submit(certificateId, { category: "abuse", text: `again ${i}` }, "198.51.100.7")));
  expect(again.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  expect(await a.certificateFlags.publicOutcomes(certificateId)).toMatchObject({ open: MAX_OPEN + 1 });
});
