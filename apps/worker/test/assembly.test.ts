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
    { "assembly.seatCount": 3, "assembly.maxRounds": 2, "assembly.beaconSeconds": 1, "assembly.reviewSeconds": 1, "assembly.commitSeconds": 3, "assembly.revealSeconds": 3, "assembly.modelFamilyDiversity": false },
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
      expect(document.payload.format === "assay.certificate/v3" && document.payload.claimsNotGranted).toEqual([]);
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

      // Settlement: one reputation event per seat, coherent voters moved up. Stake moves only by slashes (none here):
      // the fee is paid in credits (docs/money.md "Validator rewards"; apps/worker/test/rewards.test.ts).
      const events = await api.db.reputationEvent.findMany({ where: { assemblyId: assembly.id } });
      expect(events).toHaveLength(3);
      expect(events.every((e) => e.role === "coherent" && e.reputationAfter > e.reputationBefore && e.reward === 0n && e.stakeDelta === 0n)).toBe(true);
    } finally {
      voters.stop();
    }
  });

  it("a split vote rolls to 2n+1 seats and, after the last round, escalates (the submission stays in_assembly)", async () => {
    // Seats alternate certify / reject / away by draw position: never 2/3 of the revealed weight.
    const voters = runVoters((_id, position) => [certify, reject, null][position % 3]!);
    try {
      const created = await api.submissions.create(developerId, packedRuntime("reference"));
      await waitForStatus(api, created.id, ["in_assembly"], 120_000);
      const escalated = await waitFor(async () => {
        const a = await api.db.assembly.findUnique({ where: { submissionId: created.id } });
        return a?.status === "escalated" ? a : null;
      }, "the assembly to escalate", 120_000);
      expect(escalated.escalated).toBe(true);
      expect(escalated.round).toBe(2);
      const rounds = await api.db.assemblyRound.findMany({ where: { assemblyId: escalated.id }, orderBy: { round: "asc" } });
      expect(rounds.map((r) => r.seatCount)).toEqual([3, 7]);
      // Usage: every seat drawn for the submission is metered (3 + 7), per submission and in the developer's totals.
      expect((await api.usage.totals({ submissionId: created.id })).assembly_seats).toBe("10");
      expect(Number((await api.usage.totals({ developerId })).assembly_seats)).toBeGreaterThanOrEqual(10);
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
      // The operator action is in the audit log (issue 9: every operator action writes a row).
      expect(await api.db.auditLogEntry.findMany({ where: { action: "assembly.resolve", target: escalated.id } })).toEqual([
        expect.objectContaining({ actor: "operator:test", after: { decision: "reject", reason: "split panel", certificateId: null } }),
      ]);
    } finally {
      voters.stop();
    }
  });

  it("a runtime that leaks an alias: every voter grants SRIP-13, yet the certificate lists only SRIP-03 and carries SRIP-13 as not granted", async () => {
    const voters = runVoters(() => certify);
    try {
      const created = await api.submissions.create(developerId, packedRuntime("alias-leak"));
      const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 120_000);
      expect(done.status).toBe("certified");
      const assembly = await api.db.assembly.findUniqueOrThrow({ where: { submissionId: created.id } });

      // What a seated validator read: the claims with their status and the findings against them.
      const seat = await api.db.assemblySeat.findFirstOrThrow({ where: { assemblyId: assembly.id } });
      const evidence = await api.votes.evidence(seat.validatorId, assembly.id);
      expect(evidence.claims.map((c) => [c.srip, c.status])).toEqual([
        ["SRIP-03", "evidenced"],
        ["SRIP-13", "not-evidenced"],
      ]);
      expect(evidence.claims[1]!.findings).toEqual(expect.arrayContaining(["ALIAS_SCOPE_LEAK", "SESSION_LEAK"]));

      const { document } = await api.certificates.latestForSubmission(created.id);
      expect(document.payload.format).toBe("assay.certificate/v3");
      expect(document.payload.claims).toEqual(["SRIP-03"]);
      const notGranted = document.payload.format === "assay.certificate/v3" ? document.payload.claimsNotGranted : [];
      expect(notGranted).toEqual([{ srip: "SRIP-13", reason: "not-evidenced", findings: evidence.claims[1]!.findings }]);
      // The record shows why: the grant weight was there, the audit's status bounded it.
      const record = assembly.record as unknown as AssemblyRecord;
      const claims = record.rounds[record.rounds.length - 1]!.tally.claims;
      expect(claims.find((c) => c.srip === "SRIP-13")).toMatchObject({ granted: false, reason: "not_evidenced" });
      expect(BigInt(claims.find((c) => c.srip === "SRIP-13")!.grantWeight)).toBeGreaterThan(0n);
    } finally {
      voters.stop();
    }
  });

  it("votes that certify but grant no claim reject the submission with no_evidenced_claim", async () => {
    const grantNothing: Vote = { ...certify, claims: { "SRIP-03": "deny", "SRIP-05": "deny", "SRIP-13": "deny" } };
    const voters = runVoters(() => grantNothing);
    try {
      const created = await api.submissions.create(developerId, packedRuntime("reference"));
      const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 120_000);
      expect(done.status).toBe("rejected");
      expect(done.outcome?.code).toBe("no_evidenced_claim");
      const assembly = await api.db.assembly.findUniqueOrThrow({ where: { submissionId: created.id } });
      expect(assembly.outcome).toMatchObject({ kind: "reject", reason: "no_claim_granted" });
      expect(await api.db.certificate.count({ where: { submissionId: created.id } })).toBe(0);
    } finally {
      voters.stop();
    }
  });

  it("liveness: a heavy validator that never acts no longer keeps the assembly from deciding; suspended, its seat is voided and re-drawn", async () => {
    // One validator holding almost all the weight, seated in (nearly) every draw, that never commits: before the
    // liveness rule its absence kept participation under the bar in every round and every assembly escalated.
    const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
    const heavy = (await api.validators.activate({ publicKey: x, stake: "1000000", kind: "agent", modelFamily: "family-heavy" })).id;
    await api.admission.approve(heavy, { stake: "1000000000000" }, "operator:test");
    const voters = runVoters(() => certify);
    try {
      const first = await api.submissions.create(developerId, packedRuntime("reference"));
      const done = await waitForStatus(api, first.id, ["certified", "rejected", "failed"], 120_000);
      expect(done.status).toBe("certified");
      const assembly = await api.db.assembly.findUniqueOrThrow({ where: { submissionId: first.id } });
      const record = assembly.record as unknown as AssemblyRecord;
      expect(record.rounds).toHaveLength(1);
      const tally = record.rounds[0]!.tally;
      expect(record.rounds[0]!.seats.map((s) => s.validatorId)).toContain(heavy);
      expect(tally.ballots.find((b) => b.validatorId === heavy)).toMatchObject({ status: "no_show" });
      // Participation over the seated weight is tiny; the quorum counts only the seats that committed.
      expect(tally.participationBps).toBeLessThan(100);
      expect(BigInt(tally.quorumWeight)).toBeLessThan(BigInt(tally.seatedWeight));
      expect(await api.db.reputationEvent.findFirst({ where: { assemblyId: assembly.id, validatorId: heavy } })).toMatchObject({ role: "no_show" });

      // Suspension: the heavy validator's seat in an open round is voided and a replacement drawn from the snapshot.
      await api.flags.update({ "assembly.commitSeconds": 15 }, "test");
      const second = await api.submissions.create(developerId, packedRuntime("reference"));
      const open = await waitFor(async () => {
        const a = await api.db.assembly.findUnique({ where: { submissionId: second.id } });
        const seated = a && (await api.db.assemblySeat.findFirst({ where: { assemblyId: a.id, validatorId: heavy } }));
        return a && seated ? a : null;
      }, "an assembly seating the heavy validator", 120_000);
      const suspended = await api.admission.suspend(heavy, { reason: "never shows up" }, "operator:test");
      expect(suspended.voidedSeats).toBe(1);
      expect(await api.assemblies.voidSeatsOf(heavy, "again")).toBe(0);
      await expect(api.votes.commit(heavy, { assemblyId: open.id, round: 1, commitment: `0x${"ab".repeat(32)}` })).rejects.toMatchObject({ code: "seat_voided" });
      const seats = await api.db.assemblySeat.findMany({ where: { assemblyId: open.id, round: 1 }, orderBy: { position: "asc" } });
      expect(seats.find((s) => s.validatorId === heavy)?.voidReason).toMatch(/^validator_suspended/);
      expect(seats.map((s) => s.position)).toEqual([0, 1, 2, 3]);
      // Usage: the three drawn seats and the replacement (a voided seat was still drawn).
      expect((await api.usage.totals({ submissionId: second.id })).assembly_seats).toBe("4");

      const certified = await waitForStatus(api, second.id, ["certified", "rejected", "failed"], 120_000);
      expect(certified.status).toBe("certified");
      const decided = await api.db.assembly.findUniqueOrThrow({ where: { id: open.id } });
      const round = (decided.record as unknown as AssemblyRecord).rounds[0]!;
      expect(round.voided).toEqual([{ validatorId: heavy, reason: expect.stringMatching(/^validator_suspended/) }]);
      expect(round.replacements).toHaveLength(1);
      expect(round.replacements![0]!.validatorId).toBe(seats[3]!.validatorId);
      expect(round.tally.ballots.map((b) => b.validatorId)).not.toContain(heavy);
      const replay = replayAssembly(decided.record, { snapshots: [snapshotFromDocument(decided.snapshot, decided.snapshotDigest as `0x${string}`)], expectedDigest: decided.recordDigest! });
      expect(replay.checks.filter((c) => !c.ok)).toEqual([]);
      expect(replay.complete).toBe(true);
      expect(await api.db.reputationEvent.count({ where: { assemblyId: open.id, validatorId: heavy } })).toBe(0);
      expect(await api.db.reputationEvent.findFirst({ where: { assemblyId: open.id, validatorId: seats[3]!.validatorId } })).toMatchObject({ role: "coherent" });
    } finally {
      voters.stop();
      await api.flags.update({ "assembly.commitSeconds": 3 }, "test");
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
