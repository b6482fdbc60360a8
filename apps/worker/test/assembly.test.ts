// Validator assemblies on the platform, against real PostgreSQL and Redis: an
// honest majority certifies with a certificate whose assembly block verifies and
// whose record replays from the stored snapshot; a split vote rolls to 2n+1
// seats and escalates after the last round; a critical finding never certifies;
// phase deadlines fire through Redis delayed jobs; a worker SIGKILLed mid-phase
// and restarted completes the assembly exactly once.
import { replayAssembly, snapshotFromDocument, voteCommitment, type AssemblyRecord, type Vote } from "@assay/assembly";
import { verifyCertificate, type CertificateDocument } from "@assay/protocol";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { Platform } from "@assay/platform";
import { startWorkerApp, type WorkerApp } from "../src/worker-app";
import { createApiPlatform, createDeveloper, createTestEnv, exited, packedRuntime, spawnWorker, waitFor, waitForStatus, type TestEnv } from "./helpers";

jest.setTimeout(180_000);

let env: TestEnv;
let api: Platform;
let developerId: string;
const validators: string[] = [];

/** How each validator votes in a round, by its seat's draw position: a vote, or null to stay away. */
type Policy = (validatorId: string, position: number, round: number) => Vote | null;
const ALL_CLAIMS = ["SRIP-03", "SRIP-05", "SRIP-13"] as const;
/** Certifies and grants every claim, whatever the evidence says (the tally bounds it by the audit). */
const certify: Vote = { verdict: "certify", stabilityScore: 8_000, findingOpinions: {}, claims: { "SRIP-03": "grant", "SRIP-05": "grant", "SRIP-13": "grant" } };
const reject: Vote = { verdict: "reject", stabilityScore: 2_000, findingOpinions: {}, claims: { "SRIP-03": "deny", "SRIP-05": "deny", "SRIP-13": "deny" } };

beforeAll(async () => {
  env = createTestEnv({ ASSAY_ASSEMBLY_REQUIRED: "true" });
  api = await createApiPlatform(env.config);
  developerId = await createDeveloper(api);
  await api.flags.update(
    { "assembly.seatCount": 3, "assembly.maxRounds": 2, "assembly.reviewSeconds": 1, "assembly.commitSeconds": 3, "assembly.revealSeconds": 3, "assembly.modelFamilyDiversity": false },
    "test",
  );
  for (let i = 0; i < 8; i++) {
    const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
    const { id } = await api.validators.activate({ publicKey: x, stake: "1000000", kind: "agent", modelFamily: `family-${i}` });
    await api.admission.approve(id, { stake: "1000000" }, "operator:test");
    validators.push(id);
  }
});

afterAll(async () => {
  await api?.close();
  await env?.cleanup();
});

/** In-process agent clients: poll assignments, commit in review/commit, reveal in reveal, until stopped. */
function runVoters(policy: Policy): { stop(): void } {
  const salts = new Map<string, { vote: Vote; salt: string }>();
  let running = true;
  const loop = async () => {
    while (running) {
      for (const id of validators) {
        const { assignments } = await api.votes.assignments(id);
        for (const a of assignments) {
          const key = `${id}:${a.assemblyId}:${a.round}`;
          if ((a.phase === "review" || a.phase === "commit") && !a.committed && !salts.has(key)) {
            const seat = await api.db.assemblySeat.findUniqueOrThrow({ where: { assemblyId_round_validatorId: { assemblyId: a.assemblyId, round: a.round, validatorId: id } } });
            const vote = policy(id, seat.position, a.round);
            if (!vote) continue;
            const salt = `0x${randomBytes(16).toString("hex")}`;
            salts.set(key, { vote, salt });
            await api.votes.commit(id, { assemblyId: a.assemblyId, round: a.round, commitment: voteCommitment({ ...vote, assemblyId: a.assemblyId, round: a.round, validatorId: id, salt }) }).catch(() => undefined);
          }
          const mine = salts.get(key);
          if (a.phase === "reveal" && a.committed && !a.revealed && mine) {
            await api.votes.reveal(id, { ...mine.vote, assemblyId: a.assemblyId, round: a.round, salt: mine.salt }).catch(() => undefined);
          }
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  void loop();
  return { stop: () => (running = false) };
}

describe("with a worker in-process", () => {
  let worker: WorkerApp;
  beforeAll(async () => {
    worker = await startWorkerApp(env.config, { log: () => undefined });
  });
  afterAll(async () => {
    await worker?.close();
  });

  it("an honest majority certifies; the certificate carries the assembly block, verifies, and the record replays from the stored snapshot", async () => {
    const voters = runVoters(() => certify);
    try {
      const created = await api.submissions.create(developerId, packedRuntime("reference"));
      const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 120_000);
      expect(done.status).toBe("certified");
      const assembly = await api.db.assembly.findUniqueOrThrow({ where: { submissionId: created.id } });
      expect(assembly.status).toBe("certified");
      expect(done.assembly).toMatchObject({ id: assembly.id, phase: "certified", round: 1, seats: 3, committed: 3, revealed: 3 });

      const lookup = await api.certificates.latestForSubmission(created.id);
      const document: CertificateDocument = lookup.document;
      expect(document.payload.level).toBe("assembly");
      expect(document.payload.claims).toEqual([...ALL_CLAIMS]);
      expect(document.payload.format === "assay.certificate/v2" && document.payload.claimsNotGranted).toEqual([]);
      expect(document.payload.assembly).toMatchObject({ recordDigest: assembly.recordDigest, rounds: 1, seats: 3, tally: { verdict: "certify", certifyWeightBps: 10_000 } });
      const verified = await verifyCertificate(document, {
        jwks: (await api.signingKeys.jwks()) as { keys: Record<string, unknown>[] },
        allowedIssuers: [env.config.app.certificates.issuerId],
        now: new Date(),
        status: { state: "active" },
        anchor: { state: "not-anchored" },
      });
      expect(verified.checks.filter((c) => !c.ok)).toEqual([]);
      expect(verified.valid).toBe(true);

      // The stored draw is recomputable from the stored snapshot and beacon.
      const snapshot = snapshotFromDocument(assembly.snapshot, assembly.snapshotDigest as `0x${string}`);
      const replay = replayAssembly(assembly.record, { snapshots: [snapshot], expectedDigest: assembly.recordDigest! });
      expect(replay.checks.filter((c) => !c.ok)).toEqual([]);
      expect(replay.complete).toBe(true);
      // A tampered seat list does not replay.
      const tampered = JSON.parse(JSON.stringify(assembly.record)) as AssemblyRecord;
      tampered.rounds[0]!.seats.reverse();
      expect(replayAssembly(tampered, { snapshots: [snapshot] }).ok).toBe(false);

      // Settlement: one reputation event per seat, coherent voters moved up.
      const events = await api.db.reputationEvent.findMany({ where: { assemblyId: assembly.id } });
      expect(events).toHaveLength(3);
      expect(events.every((e) => e.role === "coherent" && e.reputationAfter > e.reputationBefore && e.reward > 0n)).toBe(true);
    } finally {
      voters.stop();
    }
  });

  it("a split vote rolls to 2n+1 seats and, after the last round, escalates (the submission stays in_assembly)", async () => {
    // Seats alternate certify / reject / away by draw position: never 2/3 of the revealed weight.
    const voters = runVoters((_id, position) => [certify, reject, null][position % 3]!);
    try {
      const created = await api.submissions.create(developerId, packedRuntime("reference"));
      await waitForStatus(api, created.id, ["in_assembly"], 60_000);
      const escalated = await waitFor(async () => {
        const a = await api.db.assembly.findUnique({ where: { submissionId: created.id } });
        return a?.status === "escalated" ? a : null;
      }, "the assembly to escalate", 120_000);
      expect(escalated.escalated).toBe(true);
      expect(escalated.round).toBe(2);
      const rounds = await api.db.assemblyRound.findMany({ where: { assemblyId: escalated.id }, orderBy: { round: "asc" } });
      expect(rounds.map((r) => r.seatCount)).toEqual([3, 7]);
      expect((escalated.outcome as { kind: string; reason: string }).kind).toBe("escalate");
      // The watcher's view follows the decision (progress is refreshed right after it commits).
      const view = await waitFor(async () => {
        const v = await api.submissions.get(created.id);
        return v.assembly?.escalated ? v : null;
      }, "the submission view to show the escalation", 10_000);
      expect(view.status).toBe("in_assembly");
      // An operator resolves it.
      const resolved = await api.assemblies.resolve(escalated.id, { decision: "reject", reason: "split panel", actor: "operator:test" });
      expect(resolved.status).toBe("rejected");
      expect((await api.submissions.get(created.id)).status).toBe("rejected");
    } finally {
      voters.stop();
    }
  });

  it("a critical sandbox finding never certifies, whatever the votes", async () => {
    const voters = runVoters(() => certify);
    try {
      const created = await api.submissions.create(developerId, packedRuntime("passthrough"));
      const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 120_000);
      expect(done.status).toBe("rejected");
      expect(await api.db.certificate.count({ where: { submissionId: created.id } })).toBe(0);
    } finally {
      voters.stop();
    }
  });
});

it("a worker SIGKILLed during a phase and restarted completes the assembly exactly once (deadlines are Redis delayed jobs)", async () => {
  // Nobody reveals before the worker dies: the commit and reveal phases must end by their deadlines.
  let first = spawnWorker(env.env);
  const voters = runVoters(() => certify);
  try {
    const created = await api.submissions.create(developerId, packedRuntime("reference"));
    const assembly = await waitFor(() => api.db.assembly.findUnique({ where: { submissionId: created.id } }), "the assembly to open", 120_000);
    await waitFor(async () => ((await api.db.voteCommitment.count({ where: { assemblyId: assembly.id } })) > 0 ? true : null), "a commitment", 30_000);
    first.kill("SIGKILL");
    await exited(first);
    first = spawnWorker(env.env);
    const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 120_000);
    expect(done.status).toBe("certified");
    expect(await api.db.certificate.count({ where: { submissionId: created.id } })).toBe(1);
    const seats = await api.db.assemblySeat.count({ where: { assemblyId: assembly.id } });
    expect(await api.db.reputationEvent.count({ where: { assemblyId: assembly.id } })).toBe(seats);
  } finally {
    voters.stop();
    first.kill("SIGTERM");
    await exited(first);
  }
});
