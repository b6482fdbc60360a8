// A phase every seat has acted in closes early: the vote that completes it
// schedules the close, but with Redis down at that moment (or its data lost)
// that job is gone and, before the sweep checked for it, the phase waited for
// its deadline (30 min by default; the fault matrix's Redis @ assembly-phase
// cell, docs/decisions/0023). The reconciler's sweep now closes it.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { voteCommitment, type Vote } from "@assay/assembly";
import type { Platform } from "@assay/platform";
import { startWorkerApp, type WorkerApp } from "../src/worker-app";
import { createApiPlatform, createDeveloper, createTestEnv, obliterateQueues, packedRuntime, waitFor, type TestEnv } from "./helpers";

jest.setTimeout(300_000);

let env: TestEnv;
let api: Platform;
let worker: WorkerApp | undefined;
const validators: string[] = [];
const certify: Vote = { verdict: "certify", stabilityScore: 8_000, findingOpinions: {}, claims: { "SRIP-03": "grant", "SRIP-05": "grant", "SRIP-13": "grant" } };

beforeAll(async () => {
  env = createTestEnv({ ASSAY_ASSEMBLY_REQUIRED: "true" });
  api = await createApiPlatform(env.config);
  // Deadlines far beyond the test: only an early close can end the commit phase in time.
  await api.flags.update(
    { "assembly.seatCount": 3, "assembly.maxRounds": 1, "assembly.beaconSeconds": 1, "assembly.reviewSeconds": 1, "assembly.commitSeconds": 1_800, "assembly.revealSeconds": 1_800, "assembly.modelFamilyDiversity": false },
    "test",
  );
  for (let i = 0; i < 3; i++) {
    const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
    const { id } = await api.validators.activate({ publicKey: x, stake: "1000000", kind: "agent", modelFamily: `family-${i}` });
    await api.admission.approve(id, { stake: "1000000" }, "operator:test");
    validators.push(id);
  }
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await env?.cleanup();
});

it("closes a commit phase every seat acted in when the early-close job was lost", async () => {
  worker = await startWorkerApp(env.config, { log: () => undefined });
  const submission = await api.submissions.create(await createDeveloper(api), packedRuntime("reference"));
  const open = await waitFor(
    async () => {
      const a = await api.db.assembly.findUnique({ where: { submissionId: submission.id } });
      return a && a.phase === "commit" ? a : null;
    },
    "the assembly's commit phase",
    240_000,
    200,
  );
  // The worker goes away, every seat commits (the API schedules the early close), then Redis loses it.
  await worker.close();
  worker = undefined;
  for (const id of validators) {
    const salt = `0x${randomBytes(16).toString("hex")}`;
    await api.votes.commit(id, { assemblyId: open.id, round: 1, commitment: voteCommitment({ ...certify, assemblyId: open.id, round: 1, validatorId: id, salt }) });
  }
  await obliterateQueues(env.config);
  expect((await api.db.assembly.findUniqueOrThrow({ where: { id: open.id } })).phase).toBe("commit");

  // The sweep (run by every worker's reconciler) schedules the close; a worker carries it out long before the deadline.
  expect(await api.assemblies.sweep(env.config.worker.reconcileQuietMs)).toBeGreaterThanOrEqual(1);
  const started = Date.now();
  worker = await startWorkerApp(env.config, { log: () => undefined });
  const moved = await waitFor(
    async () => {
      const a = await api.db.assembly.findUniqueOrThrow({ where: { id: open.id } });
      return a.phase !== "commit" ? a : null;
    },
    "the commit phase to close",
    60_000,
    200,
  );
  expect(moved.phase).toBe("reveal");
  expect(Date.now() - started).toBeLessThan(60_000);
  // Closed once: a second sweep finds nothing to close in the reveal phase (nobody revealed).
  expect(await api.assemblies.sweep(env.config.worker.reconcileQuietMs)).toBe(0);
});
