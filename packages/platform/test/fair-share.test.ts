// Intake under concurrency and fair share (docs/decisions/0026), against real
// PostgreSQL and Redis: a developer's burst of submissions of one runtime all
// succeed (no unique-violation race in intake); each audit job's BullMQ
// priority is its developer's queue position, so another developer's first
// submission is queued ahead of the burst's tail; and the verify path's
// batched status reads answer each caller with its own row.
import { Queue } from "bullmq";
import { BullJobPublisher, createPlatform, createRedisConnection, ReadBatcher, type Platform } from "../src";
import { createTestEnvironment, samplePackedRuntime, sampleUnsignedCertificate, type TestEnvironment } from "../src/testing";

jest.setTimeout(120_000);

let env: TestEnvironment;
let platform: Platform;

beforeAll(async () => {
  env = createTestEnvironment();
  platform = await createPlatform(env.config, { publisher: new BullJobPublisher(env.config.redis.url, env.queuePrefix) });
});

afterAll(async () => {
  const connection = createRedisConnection(env.config.redis.url);
  await new Queue("audit", { connection, prefix: env.queuePrefix }).obliterate({ force: true }).catch(() => undefined);
  connection.disconnect();
  await platform?.close();
  await env?.cleanup();
});

it("a burst of one runtime's submissions all succeed; audit priorities follow each developer's queue position", async () => {
  const a = await platform.developers.create({ email: "a@example.test", name: "A" });
  const b = await platform.developers.create({ email: "b@example.test", name: "B" });
  // The same runtime (one name, one artifact) eight times at once: every intake commits.
  const burst = await Promise.all(Array.from({ length: 8 }, () => platform.submissions.create(a.id, samplePackedRuntime())));
  expect(new Set(burst.map((s) => s.id)).size).toBe(8);
  const single = await platform.submissions.create(b.id, samplePackedRuntime());

  const connection = createRedisConnection(env.config.redis.url);
  const queue = new Queue("audit", { connection, prefix: env.queuePrefix });
  try {
    const jobs = await queue.getJobs(["prioritized", "waiting"]);
    const priorityOf = (submissionId: string) => jobs.find((j) => (j.data as { submissionId: string }).submissionId === submissionId)?.opts.priority;
    // A's positions are 1..8 (concurrent intakes may share a position), B's first is 1.
    const positions = burst.map((s) => priorityOf(s.id)!);
    expect(positions.every((p) => p >= 1 && p <= 8)).toBe(true);
    expect(Math.max(...positions)).toBeGreaterThan(1);
    expect(priorityOf(single.id)).toBe(1);
  } finally {
    await queue.close();
    connection.disconnect();
  }
});

it("verify's batched status reads give every caller its own certificate's status", async () => {
  const dev = await platform.developers.create({ email: "c@example.test", name: "C" });
  const documents = [];
  for (let i = 0; i < 3; i++) {
    const sub = await platform.submissions.create(dev.id, samplePackedRuntime({ entrySource: `export const v = ${i};\n` }));
    await platform.submissions.transition(sub.id, "auditing", { actor: "test" });
    await platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
    documents.push(await platform.certificates.issue(sub.id, sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }), "test"));
  }
  await platform.certificates.changeStatus(documents[1]!.id, "revoked", { reasonCode: "key_compromise", actor: "operator:test" });
  // Concurrent verifies: one turn of the event loop, one status query.
  const results = await Promise.all(documents.map((d) => platform.certificates.verify(JSON.parse(JSON.stringify(d)))));
  expect(results.map((r) => r.valid)).toEqual([true, false, true]);

  // The batched read (raw SQL, one array parameter) gives exactly the rows findMany gives: status,
  // reason, anchor JSON (null or an object), and nothing for an unknown id.
  const anchor = { state: "anchored", block: 7, tx: `0x${"ab".repeat(32)}`, root: `0x${"cd".repeat(32)}`, proof: [`0x${"ef".repeat(32)}`] };
  await platform.db.certificate.update({ where: { id: documents[2]!.id }, data: { anchor } });
  const ids = [...documents.map((d) => d.id), `0x${"0".repeat(64)}`];
  const viaFindMany = await platform.db.certificate.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, statusReasonCode: true, anchor: true } });
  const batched = await platform.store.repos.certificates.findStatuses(ids);
  expect([...batched.keys()].sort()).toEqual(viaFindMany.map((r) => r.id).sort());
  for (const { id, ...row } of viaFindMany) expect(batched.get(id)).toStrictEqual(row);
  expect(batched.get(documents[1]!.id)).toStrictEqual({ status: "revoked", statusReasonCode: "key_compromise", anchor: null });
  expect(batched.get(documents[2]!.id)?.anchor).toStrictEqual(anchor);
  expect((await platform.store.repos.certificates.findStatuses([])).size).toBe(0);

  const seen: string[][] = [];
  const batcher = new ReadBatcher<string>(async (keys) => {
    seen.push(keys);
    return new Map(keys.filter((k) => k !== "missing").map((k) => [k, k.toUpperCase()]));
  });
  expect(await Promise.all(["x", "y", "x", "missing"].map((k) => batcher.read(k)))).toEqual(["X", "Y", "X", null]);
  expect(seen).toEqual([["x", "y", "missing"]]);
});
