// Validator rewards in credits (docs/money.md "Validator rewards"), against real
// PostgreSQL and Redis with a worker in-process: a priced submission goes
// through an assembly (two coherent voters, one incoherent), the capture puts
// the assembly share into validator_rewards_pool and the settlement moves it
// out whole: each validator's payable equals the reward rule's share
// (splitFeeRewards over the stored record), the remainder is platform revenue,
// the pool is back where it was. Re-running the tally, the finish, the settle
// step itself and four concurrent reward postings adds nothing. The validator
// sees its balance and history through the platform's reward service. In the
// other order (the fee captured while the assembly is still open), the
// decision's settle step posts the same entry.
import { splitFeeRewards, voteCommitment, type AssemblyRecord, type Vote } from "@assay/assembly";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import {
  AssemblyRepository,
  grantEntry,
  LedgerService,
  PLATFORM_REVENUE,
  postAssemblyRewardsIn,
  settleAssembly,
  VALIDATOR_REWARDS_POOL,
  validatorPayableAccount,
  type Platform,
} from "@assay/platform";
import { startWorkerApp, type WorkerApp } from "../src/worker-app";
import { createApiPlatform, createDeveloper, createTestEnv, packedRuntime, waitFor, waitForStatus, type TestEnv } from "./helpers";

jest.setTimeout(240_000);

let env: TestEnv;
let api: Platform;
let worker: WorkerApp;
let developerId: string;
const validators: string[] = [];

const certify: Vote = { verdict: "certify", stabilityScore: 8_000, findingOpinions: {}, claims: { "SRIP-03": "grant", "SRIP-05": "grant", "SRIP-13": "grant" } };
const reject: Vote = { verdict: "reject", stabilityScore: 2_000, findingOpinions: {}, claims: { "SRIP-03": "deny", "SRIP-05": "deny", "SRIP-13": "deny" } };

beforeAll(async () => {
  env = createTestEnv({ ASSAY_ASSEMBLY_REQUIRED: "true", ASSAY_BILLING_ENFORCED: "true" });
  api = await createApiPlatform(env.config);
  developerId = await createDeveloper(api);
  await api.ledger.post(grantEntry({ requestKey: `rewards-test-${developerId}`, developerId, amount: 10_000n, actor: "test" }));
  await api.flags.update(
    { "assembly.seatCount": 3, "assembly.maxRounds": 1, "assembly.beaconSeconds": 1, "assembly.reviewSeconds": 1, "assembly.commitSeconds": 3, "assembly.revealSeconds": 3, "assembly.modelFamilyDiversity": false },
    "test",
  );
  for (let i = 0; i < 3; i++) {
    const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
    const { id } = await api.validators.activate({ publicKey: x, stake: "1000000", kind: "agent", modelFamily: `family-${i}` });
    await api.admission.approve(id, { stake: "1000000" }, "operator:test");
    validators.push(id);
  }
  worker = await startWorkerApp(env.config, { log: () => undefined });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await env?.cleanup();
});

/** Seats 0 and 1 certify, seat 2 rejects (incoherent with the final verdict). */
function runVoters(): { stop(): void } {
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
            const vote = seat.position < 2 ? certify : reject;
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

it("settling an assembly moves exactly the captured assembly share from the pool to the payables by the reward rule, once", async () => {
  const before = await api.store.repos.ledger.allBalances();
  const voters = runVoters();
  let submissionId: string;
  try {
    const created = await api.submissions.create(developerId, packedRuntime("reference"));
    submissionId = created.id;
    const done = await waitForStatus(api, created.id, ["certified", "rejected", "failed"], 180_000);
    expect(done.status).toBe("certified");
  } finally {
    voters.stop();
  }
  const assembly = await api.db.assembly.findUniqueOrThrow({ where: { submissionId } });
  const record = assembly.record as unknown as AssemblyRecord;
  expect(record.outcome.kind).toBe("certify");

  // The capture put the assembly share into the pool (3 seats: 10 credits each, no discount).
  const capture = (await api.store.repos.ledger.findByKey(`settle:${submissionId}`))!;
  expect(capture.kind).toBe("capture");
  const share = capture.lines.find((l) => l.account === VALIDATOR_REWARDS_POOL)!.amount;
  expect(share).toBe(30n);
  const captured = -capture.lines.find((l) => l.account.startsWith("developer_held:"))!.amount;

  // The settlement took it out whole: payables = the rule's shares, the rest to revenue.
  const split = splitFeeRewards(record, share);
  const seats = await api.db.assemblySeat.findMany({ where: { assemblyId: assembly.id }, orderBy: { position: "asc" } });
  const coherent = seats.filter((s) => s.position < 2).map((s) => s.validatorId).sort();
  expect(split.rewards.map((r) => r.validatorId)).toEqual(coherent); // the incoherent seat gets nothing
  // Round pool = floor(30 × 70 %) = 21 between two equal weights: 11 to the first by id, 10 to the second; 9 to the platform.
  expect(split.rewards.map((r) => r.amount)).toEqual([11n, 10n]);
  expect(split.platform).toBe(9n);
  const reward = (await api.store.repos.ledger.findByKey(`reward:${assembly.id}`))!;
  expect(reward.kind).toBe("reward");
  expect(reward.lines.reduce((s, l) => s + l.amount, 0n)).toBe(0n);
  const after = await api.store.repos.ledger.allBalances();
  const delta = (account: string) => (after.get(account) ?? 0n) - (before.get(account) ?? 0n);
  expect(delta(VALIDATOR_REWARDS_POOL)).toBe(0n); // in with the capture, out with the settlement
  for (const r of split.rewards) expect(delta(validatorPayableAccount(r.validatorId))).toBe(r.amount);
  const incoherent = seats.find((s) => s.position === 2)!.validatorId;
  expect(delta(validatorPayableAccount(incoherent))).toBe(0n);
  expect(delta(PLATFORM_REVENUE)).toBe(captured - share + split.platform);

  // The stake side moved by the slash only: the incoherent seat lost 0.5 % of its stake, the coherent seats got exactly that
  // (their fee reward is the credits above, never also stake).
  const events = await api.db.reputationEvent.findMany({ where: { assemblyId: assembly.id } });
  const slashed = events.reduce((s, e) => s + e.stakeSlashed, 0n);
  expect(slashed).toBe(5_000n);
  expect(events.filter((e) => e.role === "coherent").reduce((s, e) => s + e.reward, 0n)).toBe(slashed);

  // Retries post nothing: the tally again (compare-and-set), the finish again, the settle step itself, and four concurrent reward postings.
  const entries = await api.store.repos.ledger.entryCount();
  expect(await api.assemblies.advance(assembly.id, 1, "reveal")).toMatchObject({ result: expect.not.stringMatching(/^decided$/) });
  await api.assemblies.finish(assembly.id);
  const state = (await new AssemblyRepository(api.db).findById(assembly.id))!;
  await expect(api.db.$transaction((tx) => settleAssembly(tx, state, record, new LedgerService(api.store)))).rejects.toMatchObject({ code: "assembly_settled" });
  const ledger = new LedgerService(api.store);
  const replays = await Promise.all([1, 2, 3, 4].map(() => api.store.transaction((repos) => postAssemblyRewardsIn(ledger, repos, submissionId))));
  expect(replays.map((r) => r && { entryId: r.entryId, posted: r.posted })).toEqual([1, 2, 3, 4].map(() => ({ entryId: reward.id, posted: false })));
  expect(await api.store.repos.ledger.entryCount()).toBe(entries);
  expect(await api.store.repos.ledger.allBalances()).toEqual(after);
  expect(await api.store.repos.ledger.unbalancedEntries()).toEqual([]);

  // The validator's view: its payable balance and the reward in its history.
  const first = split.rewards[0]!;
  const view = await api.rewards.forValidator(first.validatorId);
  expect(view).toMatchObject({ payable: Number(first.amount), onChain: 0, withdrawn: 0, currency: "credits" });
  expect(view.history).toEqual([expect.objectContaining({ entryId: reward.id, kind: "reward", payable: Number(first.amount), onChain: 0, assemblyId: assembly.id, submissionId })]);
  expect((await api.rewards.forValidator(incoherent)).history).toEqual([]);
});

it("the other order: a fee captured before the assembly decides is settled by the decision's own settle step, once", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  const opened = await waitFor(() => api.db.assembly.findUnique({ where: { submissionId: created.id } }), "the assembly to open", 120_000);
  // The submission reaches a final status while its assembly is still open (as an operator's intervention would): the capture comes first.
  await api.submissions.transition(created.id, "rejected", { actor: "operator:test", expectedFrom: "in_assembly", reasonCode: "operator_rejected", reasonMessage: "test" });
  const capture = (await api.store.repos.ledger.findByKey(`settle:${created.id}`))!;
  const share = capture.lines.find((l) => l.account === VALIDATOR_REWARDS_POOL)!.amount;
  expect(share).toBe(30n);
  expect(await api.store.repos.ledger.findByKey(`reward:${opened.id}`)).toBeNull(); // nothing decided yet: the share waits in the pool

  const voters = runVoters();
  try {
    const reward = await waitFor(() => api.store.repos.ledger.findByKey(`reward:${opened.id}`), "the decision to post the rewards", 120_000);
    const assembly = await api.db.assembly.findUniqueOrThrow({ where: { id: opened.id } });
    const split = splitFeeRewards(assembly.record as unknown as AssemblyRecord, share);
    // Whatever the votes were (they depend on the draw and on timing under load), the entry is the rule's: rewards to
    // exactly the seats that revealed the final verdict, nothing to incoherent or no-show seats, the rest to revenue.
    const record = assembly.record as unknown as AssemblyRecord;
    const coherent = record.outcome.kind === "escalate" ? [] : record.rounds[0]!.tally.ballots.filter((b) => b.status === "revealed" && b.verdict === record.outcome.kind).map((b) => b.validatorId);
    expect(split.rewards.map((r) => r.validatorId)).toEqual(coherent);
    expect(reward.lines).toEqual([
      { account: VALIDATOR_REWARDS_POOL, amount: -share },
      ...split.rewards.map((r) => ({ account: validatorPayableAccount(r.validatorId), amount: r.amount })),
      ...(split.platform > 0n ? [{ account: PLATFORM_REVENUE, amount: split.platform }] : []),
    ]);
    const ledger = new LedgerService(api.store);
    expect(await api.store.transaction((repos) => postAssemblyRewardsIn(ledger, repos, created.id))).toEqual({ entryId: reward.id, posted: false });
  } finally {
    voters.stop();
  }
});
