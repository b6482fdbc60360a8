// The demo validators against the real API (HTTP, in-process Nest app) and a
// real worker over PostgreSQL and Redis: a submission is audited, an assembly is
// drawn from agents that activated with their own Ed25519 keys and vote over
// HTTP, and the certificate carries the assembly block; reputation separates the
// profiles. The agent plane refuses other planes' credentials and every bad vote
// with a 4xx, changing nothing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { createApp, type ApiApp } from "@assay/api";
import { BullJobPublisher, createTestEnvironment, JOB_NAMES, type TestEnvironment } from "@assay/platform";
import { MANIFEST_FILE } from "@assay/protocol";
import { startWorkerApp, type WorkerApp } from "@assay/worker";
import { BeaconInputsSchema, beaconTrust } from "@assay/assembly";
import { AgentClient, AgentHttpError } from "../src/agent-client";
import { ValidatorRunner } from "../src/agent-runner";

jest.setTimeout(180_000);

const REPO_ROOT = join(__dirname, "..", "..", "..");
let env: TestEnvironment;
let api: ApiApp;
let worker: WorkerApp;
let url: string;
let runner: ValidatorRunner;

function packedRuntime(name: string) {
  const dir = join(REPO_ROOT, "examples", "runtimes", name);
  const manifestText = readFileSync(join(dir, MANIFEST_FILE), "utf8");
  const manifest = JSON.parse(manifestText) as { entry: string };
  return {
    manifest,
    files: [
      { path: MANIFEST_FILE, contentBase64: Buffer.from(manifestText).toString("base64") },
      { path: manifest.entry, contentBase64: readFileSync(join(dir, manifest.entry)).toString("base64") },
    ],
  };
}

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  env = createTestEnvironment({ ASSAY_ASSEMBLY_REQUIRED: "true" });
  const config = { ...env.config, queues: { prefix: env.queuePrefix } };
  api = await createApp(config, { publisher: new BullJobPublisher(config.redis.url, env.queuePrefix) });
  await api.app.listen(0, "127.0.0.1");
  url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  await api.platform.flags.update({ "assembly.seatCount": 5, "assembly.reviewSeconds": 1, "assembly.commitSeconds": 4, "assembly.revealSeconds": 4 }, "test");
  worker = await startWorkerApp(
    {
      app: config,
      worker: { queuePrefix: env.queuePrefix, concurrency: 2, lockDurationMs: 5_000, stalledIntervalMs: 2_000, reconcileIntervalMs: 1_000, reconcileQuietMs: 5_000, expiryIntervalMs: 60_000, renewalIntervalMs: 300_000 },
    },
    { log: () => undefined },
  );
});

afterAll(async () => {
  await worker?.close();
  const publisher = new BullJobPublisher(env.config.redis.url, env.queuePrefix);
  for (const name of JOB_NAMES) await publisher.queue(name).obliterate({ force: true }).catch(() => undefined);
  await publisher.close();
  await api?.close();
  await env?.cleanup();
});

it("agents certify a runtime end to end over HTTP, and reputation separates the profiles", async () => {
  runner = new ValidatorRunner({ baseUrl: url, profiles: ["honest", "honest", "honest", "honest", "contrarian"], pollMs: 200, log: process.env.ASSAY_TEST_LOG ? (m) => console.error(m) : undefined });
  await runner.activateAll();
  // Activation leaves them pending (docs/decisions/0012): admit them as an operator would, else nobody is drawn.
  for (const agent of runner.agents) {
    const validator = await api.platform.validators.findByPublicKey(agent.client.publicKey);
    expect(validator).toMatchObject({ standing: "pending", stake: "0" });
    await api.platform.admission.approve(validator!.id, { stake: "1000000" }, "operator:test-setup");
  }
  runner.start();
  try {
    const developer = await api.platform.developers.create({ email: "e2e@example.test", name: "E2E" });
    const created = await api.platform.submissions.create(developer.id, packedRuntime("reference"));
    const done = await waitFor(async () => {
      const v = await api.platform.submissions.get(created.id);
      return ["certified", "rejected", "failed"].includes(v.status) ? v : null;
    }, "a final status");
    expect(done.status).toBe("certified");
    const certificate = (await (await fetch(`${url}/v1/public/certificates/${done.certificateId}`)).json()) as {
      payload: { level: string; assembly: { seats: number }; claims: string[]; claimsNotGranted: unknown[] };
    };
    expect(certificate.payload.level).toBe("assembly");
    // The honest agents granted every claim the evidence showed evidenced (all of the reference runtime's).
    expect(certificate.payload.claims).toEqual(["SRIP-03", "SRIP-05", "SRIP-13"]);
    expect(certificate.payload.claimsNotGranted).toEqual([]);
    expect(certificate.payload.assembly.seats).toBe(5);
    const verified = (await (await fetch(`${url}/v1/public/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(certificate) })).json()) as { valid: boolean };
    expect(verified.valid).toBe(true);
    // The agents added randomness to the draw beacon, and the stored inputs carry it (docs/decisions/0009).
    const drawn = await api.platform.db.assembly.findUniqueOrThrow({ where: { submissionId: created.id } });
    expect(beaconTrust(BeaconInputsSchema.parse(drawn.beaconInputs))).toMatchObject({ platformKnewSeed: false, contributions: expect.any(Number) });
    expect(BeaconInputsSchema.parse(drawn.beaconInputs).contributions.length).toBeGreaterThan(0);

    const reps = await runner.reputations();
    const honest = reps.filter((r) => r.profile === "honest");
    const contrarian = reps.find((r) => r.profile === "contrarian")!;
    expect(honest.every((h) => h.reputationBps > 5_000)).toBe(true);
    expect(contrarian.reputationBps).toBeLessThan(5_000);
    expect(BigInt(contrarian.stake)).toBeLessThan(1_000_000n);
  } finally {
    runner.stop();
  }
});

it("refuses another plane's credential, and every bad vote with a 4xx that changes nothing", async () => {
  const developer = await api.platform.developers.create({ email: "plane@example.test", name: "Plane" });
  const developerToken = (await api.platform.apiKeys.create(developer.id, "plane test")).key;
  const asDeveloper = await fetch(`${url}/v1/agent/assignments`, { headers: { authorization: `Bearer ${developerToken}` } });
  expect(asDeveloper.status).toBe(401);
  expect(((await asDeveloper.json()) as { error: { code: string } }).error.code).toBe("credential_wrong_plane");

  const agent = new AgentClient(url);
  await agent.activate({ stake: "1000", kind: "person" });
  // An agent token is refused by the developer plane too.
  const me = await agent.me();
  expect(me.reputationBps).toBe(5_000);

  // A seat for this agent: open an assembly on a certified-by-audit-path submission is not needed; use the last one's seats.
  const assembly = await api.platform.db.assembly.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
  const seat = await api.platform.db.assemblySeat.findFirstOrThrow({ where: { assemblyId: assembly.id } });
  // Acting on an assignment that is not yours: this agent is not seated.
  const notMine = await agent.commit(assembly.id, 1, { verdict: "certify", stabilityScore: 5_000, findingOpinions: {}, claims: {} }).catch((e: unknown) => e);
  expect(notMine).toBeInstanceOf(AgentHttpError);
  expect((notMine as AgentHttpError).status).toBe(403);

  // The seated agent, over HTTP: reopen its round's commit phase (as if the deadline job were late) and watch the counts not move.
  const seated = runner.agents.find((a) => a.client.validatorId === seat.validatorId)!.client;
  await api.platform.db.assembly.update({ where: { id: assembly.id }, data: { status: "open", phase: "commit", phaseEndsAt: new Date(Date.now() - 1_000), round: seat.round } });
  const counts = async () => ({
    commits: await api.platform.db.voteCommitment.count(),
    reveals: await api.platform.db.voteReveal.count(),
    events: await api.platform.db.reputationEvent.count(),
    validators: JSON.stringify(await api.platform.db.validator.findMany({ orderBy: { id: "asc" } }), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  });
  const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as AgentHttpError);
  const vote = { verdict: "certify" as const, stabilityScore: 1, findingOpinions: {}, claims: {} };
  const before = await counts();
  // Commit after the deadline.
  expect(await refusal(seated.commit(assembly.id, seat.round, vote))).toMatchObject({ status: 409, code: "deadline_passed" });
  // A second commit (the first one of this round is stored).
  await api.platform.db.assembly.update({ where: { id: assembly.id }, data: { phaseEndsAt: new Date(Date.now() + 60_000) } });
  expect(await refusal(seated.commit(assembly.id, seat.round, vote))).toMatchObject({ status: 409, code: "already_committed" });
  // A reveal that does not open the stored commitment (reveal phase, own reveal removed first).
  await api.platform.db.assembly.update({ where: { id: assembly.id }, data: { phase: "reveal" } });
  await api.platform.db.voteReveal.deleteMany({ where: { assemblyId: assembly.id, validatorId: seat.validatorId, round: seat.round } });
  const reopened = await counts();
  expect(await refusal(seated.reveal(assembly.id, seat.round, vote, `0x${"cd".repeat(16)}`))).toMatchObject({ status: 400, code: "reveal_mismatch" });
  expect(await counts()).toEqual(reopened);
  expect(reopened.commits).toBe(before.commits);
  expect(reopened.validators).toBe(before.validators);
  await api.platform.db.assembly.update({ where: { id: assembly.id }, data: { status: "certified", phase: "closed" } });
});

it("a runner restarted with its stored keys signs in as the same validators instead of activating new ones", async () => {
  const before = await api.platform.db.validator.count();
  const again = new ValidatorRunner({ baseUrl: url, profiles: ["honest", "honest", "honest", "honest", "contrarian"], keys: runner.keys() });
  await again.activateAll();
  expect(again.agents.map((a) => a.client.validatorId)).toEqual(runner.agents.map((a) => a.client.validatorId));
  expect(await api.platform.db.validator.count()).toBe(before);
});
