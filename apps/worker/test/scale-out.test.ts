// Workers scale out (issue 13, docs/decisions/0026): 2 and 4 real worker
// processes (src/main.ts, as the launcher starts them) against one PostgreSQL
// database and one Redis prefix. Every submission is audited exactly once
// (one audit run, one report), advances through its states exactly once, its
// assembly settles once and it gets one certificate; anchoring batches from
// several processes never overlap (one membership per certificate, each root
// anchored by one transaction); and one developer's backlog does not starve
// another developer's single submission (fair share: the audit job's priority
// is the developer's queue position).
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { certificateRegistryAbi, connectChain, withAddresses } from "@assay/chain";
import { createPlatform, type Platform } from "@assay/platform";
import { voteCommitment, type Vote } from "@assay/assembly";
import { createApiPlatform, createDeveloper, createTestEnv, exited, packedRuntime, spawnWorker, waitFor, waitForStatus, type TestEnv } from "./helpers";
import { issueCertificates, NO_QUEUE, startTestChain, type TestChain } from "./chain-helpers";

// Audits are real (the sandbox child of each worker process): minutes on a loaded 2-core machine.
jest.setTimeout(1_200_000);

type WorkerProcess = ReturnType<typeof spawnWorker>;

async function startWorkers(count: number, env: Record<string, string>): Promise<WorkerProcess[]> {
  const workers = Array.from({ length: count }, () => spawnWorker(env));
  for (const worker of workers) await waitFor(async () => worker.output.join("").includes("worker started"), `a worker to start (${worker.output.join("")})`, 600_000, 100);
  return workers;
}

async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  for (const worker of workers) worker.kill("SIGTERM");
  await Promise.all(workers.map((w) => exited(w)));
}

/** The reference runtime (each submission its own audit; the tag only names the call site). */
function distinctRuntime(_tag: string) {
  return packedRuntime("reference");
}

describe("audits and assemblies with several worker processes", () => {
  let env: TestEnv;
  let api: Platform;
  const validators: string[] = [];
  let voting = true;

  const certify: Vote = { verdict: "certify", stabilityScore: 8_000, findingOpinions: {}, claims: { "SRIP-03": "grant", "SRIP-05": "grant", "SRIP-13": "grant" } };

  /** In-process agent clients: every seated validator commits and reveals a certify vote. */
  async function vote(): Promise<void> {
    const salts = new Map<string, string>();
    while (voting) {
      for (const id of validators) {
        const { assignments } = await api.votes.assignments(id);
        for (const a of assignments) {
          const key = `${id}:${a.assemblyId}:${a.round}`;
          if ((a.phase === "review" || a.phase === "commit") && !a.committed && !salts.has(key)) {
            const salt = `0x${randomBytes(16).toString("hex")}`;
            salts.set(key, salt);
            await api.votes.commit(id, { assemblyId: a.assemblyId, round: a.round, commitment: voteCommitment({ ...certify, assemblyId: a.assemblyId, round: a.round, validatorId: id, salt }) }).catch(() => undefined);
          }
          const salt = salts.get(key);
          if (a.phase === "reveal" && a.committed && !a.revealed && salt) {
            await api.votes.reveal(id, { ...certify, assemblyId: a.assemblyId, round: a.round, salt }).catch(() => undefined);
          }
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  let voters: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    env = createTestEnv({ ASSAY_ASSEMBLY_REQUIRED: "true", ASSAY_WORKER_CONCURRENCY: "1", ASSAY_WORKER_LOCK_MS: "30000", ASSAY_WORKER_STALLED_INTERVAL_MS: "15000" });
    api = await createApiPlatform(env.config);
    await api.flags.update(
      { "assembly.seatCount": 3, "assembly.maxRounds": 2, "assembly.beaconSeconds": 1, "assembly.reviewSeconds": 5, "assembly.commitSeconds": 10, "assembly.revealSeconds": 10, "assembly.modelFamilyDiversity": false },
      "test",
    );
    for (let i = 0; i < 6; i++) {
      const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
      const { id } = await api.validators.activate({ publicKey: x, stake: "1000000", kind: "agent", modelFamily: `family-${i}` });
      await api.admission.approve(id, { stake: "1000000" }, "operator:test");
      validators.push(id);
    }
    voters = vote();
  });

  afterAll(async () => {
    voting = false;
    await voters;
    await api?.close();
    await env?.cleanup();
  });

  /** Exactly once, per submission: one audit run and report, each state entered once, one assembly settled once, one certificate and one log entry. */
  async function expectExactlyOnce(ids: string[]): Promise<void> {
    for (const id of ids) {
      const runs = await api.db.auditRun.findMany({ where: { submissionId: id }, include: { report: true } });
      expect(runs).toHaveLength(1);
      expect(runs[0]!.status).toBe("completed");
      expect(runs[0]!.report).not.toBeNull();
      const transitions = await api.db.submissionTransition.findMany({ where: { submissionId: id }, orderBy: { createdAt: "asc" } });
      expect(transitions.map((t) => t.toStatus)).toEqual(["received", "auditing", "in_assembly", "certified"]);
      const assembly = await api.db.assembly.findUniqueOrThrow({ where: { submissionId: id }, include: { rounds: true, seats: true } });
      expect(assembly.status).toBe("certified");
      // Rounds numbered once each (a round opened twice would repeat a number).
      expect(assembly.rounds.map((r) => r.round).sort()).toEqual(Array.from({ length: assembly.round }, (_, i) => i + 1));
      // Settlement ran once: one reputation event per seat of the deciding round.
      const seats = assembly.seats.filter((s) => s.round === assembly.round);
      expect(await api.db.reputationEvent.count({ where: { assemblyId: assembly.id } })).toBe(seats.length);
      const certificates = await api.db.certificate.findMany({ where: { submissionId: id } });
      expect(certificates).toHaveLength(1);
      expect(await api.db.logEntry.count({ where: { certificateId: certificates[0]!.id } })).toBe(1);
    }
  }

  it.each([2, 4])("%i worker processes: every submission is audited, assembled and certified exactly once", async (count) => {
    const workers = await startWorkers(count, env.env);
    try {
      const a = await createDeveloper(api);
      const b = await createDeveloper(api);
      const ids: string[] = [];
      // Interleaved intake from two developers, as fast as the services accept it.
      for (let i = 0; i < count + 1; i++) ids.push((await api.submissions.create(i % 3 === 2 ? b : a, distinctRuntime(`${count}-${i}`))).id);
      for (const id of ids) {
        const done = await waitForStatus(api, id, ["certified", "rejected", "failed"], 1_000_000);
        if (done.status !== "certified") throw new Error(`submission ${id} ended ${done.status}: ${JSON.stringify(done)}`);
      }
      await expectExactlyOnce(ids);
      // Every process took part or at least started: the same job ids were offered to all of them.
      expect(workers.every((w) => w.exitCode === null)).toBe(true);
    } finally {
      await stopWorkers(workers);
    }
  });

  it("fair share with 2 worker processes: developer B's one submission is audited before developer A's backlog drains", async () => {
    const workerCount = 2;
    const workers = await startWorkers(workerCount, env.env);
    try {
      const a = await createDeveloper(api);
      const b = await createDeveloper(api);
      const backlog: string[] = [];
      for (let i = 0; i < 5; i++) backlog.push((await api.submissions.create(a, distinctRuntime(`backlog-${i}`))).id);
      const single = (await api.submissions.create(b, distinctRuntime("single"))).id;
      await waitForStatus(api, single, ["certified"], 1_000_000);
      const started = async (id: string) => (await api.db.auditRun.findFirstOrThrow({ where: { submissionId: id } })).startedAt;
      const singleStarted = (await started(single))!;
      const backlogStarts = await Promise.all(backlog.map(started));
      const aheadOfB = backlogStarts.filter((s) => s !== null && s.getTime() <= singleStarted.getTime()).length;
      // FIFO would put B's audit 6th (all 5 of A's first). With fair share B's
      // job is next once a worker frees: at most the audits already running
      // when it was queued (one per process at concurrency 1), plus one a
      // worker may have taken between B's intake and its dispatch.
      expect(aheadOfB).toBeLessThanOrEqual(workerCount + 1);
      expect(aheadOfB).toBeLessThan(backlog.length);
      for (const id of backlog) await waitForStatus(api, id, ["certified"], 1_000_000);
      await expectExactlyOnce([...backlog, single]);
    } finally {
      await stopWorkers(workers);
    }
  });
});

describe("anchoring with 4 worker processes", () => {
  let chain: TestChain;
  let env: TestEnv;
  let platform: Platform;

  beforeAll(async () => {
    chain = await startTestChain({ ASSAY_ANCHOR_BATCH_MAX: "4", ASSAY_ANCHOR_INTERVAL_MS: "100" });
    env = createTestEnv(chain.env);
    platform = await createPlatform(env.config.app, { publisher: NO_QUEUE, chainSigner: true });
  });

  afterAll(async () => {
    await platform?.close();
    await env?.cleanup();
    await chain?.stop();
  });

  it("batches never overlap: every certificate is in one batch, every root anchored by one transaction", async () => {
    const developerId = await createDeveloper(platform);
    // Issued first (issueCertificates walks each submission through its states by
    // hand, which a running worker's reconciler would race), then four processes'
    // anchor loops compete for the 18 unanchored certificates (batches of at most 4).
    const documents = await issueCertificates(platform, developerId, 18);
    const ids = documents.map((d) => d.id);
    const workers = await startWorkers(4, env.env);
    try {
      await waitFor(async () => (await platform.db.certificate.findMany({ where: { id: { in: ids } }, select: { anchor: true } })).every((c) => c.anchor !== null) || null, "every certificate to be anchored", 240_000, 200);
      const members = await platform.db.anchorBatchMember.findMany({ where: { certificateId: { in: ids } } });
      expect(members).toHaveLength(ids.length);
      const batches = await platform.db.anchorBatch.findMany({ where: { id: { in: [...new Set(members.map((m) => m.batchId))] } }, include: { members: true } });
      expect(batches.every((b) => b.status === "confirmed")).toBe(true);
      // Disjoint: the batches' member lists add up to the certificates, none twice.
      const all = batches.flatMap((b) => b.members.map((m) => m.certificateId));
      expect(new Set(all).size).toBe(all.length);
      expect(batches.every((b) => b.members.length <= 4)).toBe(true);
      // On chain: each root anchored by exactly one BatchAnchored event; each certificate's stored anchor names its batch's root.
      const reader = withAddresses(await connectChain({ rpcUrl: chain.node.rpcUrl, pollingIntervalMs: 50 }), chain.deployed);
      const events = await reader.publicClient.getContractEvents({ address: chain.deployed.certificateRegistry, abi: certificateRegistryAbi, eventName: "BatchAnchored", fromBlock: chain.deployed.deployedAtBlock, strict: true });
      const roots = new Map<string, number>();
      for (const event of events) roots.set(event.args.merkleRoot, (roots.get(event.args.merkleRoot) ?? 0) + 1);
      for (const batch of batches) expect(roots.get(batch.root)).toBe(1);
      const rootOfBatch = new Map(batches.map((b) => [b.id, b.root]));
      for (const certificate of await platform.db.certificate.findMany({ where: { id: { in: ids } } })) {
        const member = members.find((m) => m.certificateId === certificate.id)!;
        expect((certificate.anchor as { root: string }).root).toBe(rootOfBatch.get(member.batchId));
      }
    } finally {
      await stopWorkers(workers);
    }
  });
});
