// The draw beacon (docs/decisions/0009, "Beacon") against real PostgreSQL,
// Redis and an in-process worker: when the audit report is stored, nothing that
// exists determines the draw (the platform's share and every contribution come
// later, and other contributions give another beacon); the platform's share is
// not readable through any service view before the draw; afterwards the stored
// inputs alone recompute the beacon, the seed and the seats, and replay the
// record. With no contribution the record says the platform alone chose the seed.
// A contribution racing the close is either in the inputs or refused.
import {
  beaconCommitment,
  checkRecordBeacon,
  drawSeats,
  drawSeed,
  recomputeBeacon,
  replayAssembly,
  snapshotFromDocument,
  BeaconInputsSchema,
} from "@assay/assembly";
import type { Digest } from "@assay/protocol";
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import type { Platform } from "@assay/platform";
import { startWorkerApp, type WorkerApp } from "../src/worker-app";
import { createApiPlatform, createDeveloper, createTestEnv, packedRuntime, waitFor, type TestEnv } from "./helpers";

jest.setTimeout(180_000);

let env: TestEnv;
let api: Platform;
let worker: WorkerApp;
let developerId: string;
const admitted: string[] = [];
let pending: string;

const hex32 = () => `0x${randomBytes(32).toString("hex")}`;

async function activate(standing: "active" | "pending", i: number): Promise<string> {
  const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
  const { id } = await api.validators.activate({ publicKey: x, stake: "1000000", kind: "agent", modelFamily: `family-${i}` });
  // Admission is not this test's subject: set the standing (and stake) directly.
  await api.db.validator.update({ where: { id }, data: { standing, stake: 1_000_000n } });
  return id;
}

beforeAll(async () => {
  env = createTestEnv({ ASSAY_ASSEMBLY_REQUIRED: "true" });
  api = await createApiPlatform(env.config);
  developerId = await createDeveloper(api);
  // One round, nobody votes: the assembly escalates after round 1 and leaves a complete record to replay.
  await api.flags.update(
    { "assembly.seatCount": 3, "assembly.maxRounds": 1, "assembly.beaconSeconds": 4, "assembly.reviewSeconds": 1, "assembly.commitSeconds": 1, "assembly.revealSeconds": 1, "assembly.modelFamilyDiversity": false },
    "test",
  );
  for (let i = 0; i < 6; i++) admitted.push(await activate("active", i));
  pending = await activate("pending", 99);
  worker = await startWorkerApp(env.config, { log: () => undefined });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await env?.cleanup();
});

async function assemblyInBeacon(submissionId: string) {
  return waitFor(async () => {
    const a = await api.db.assembly.findUnique({ where: { submissionId } });
    return a?.phase === "beacon" ? a : null;
  }, "the assembly's beacon window", 120_000, 50);
}

async function decided(id: string) {
  return waitFor(async () => {
    const a = await api.db.assembly.findUniqueOrThrow({ where: { id } });
    return a.status !== "open" ? a : null;
  }, "the assembly's decision", 60_000);
}

it("the seed is not derivable when the report is stored, the share is not served before the draw, and the record recomputes the draw", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  const open = await assemblyInBeacon(created.id);
  const report = await api.store.repos.audits.latestReportForSubmission(created.id);
  expect(report).not.toBeNull();

  // --- While the window is open: no beacon, no seats; the share exists only in its own column.
  expect(open.beacon).toBeNull();
  expect(await api.db.assemblySeat.count({ where: { assemblyId: open.id } })).toBe(0);
  const secret = open.beaconSecret!;
  expect(open.beaconCommitment).toBe(beaconCommitment(secret));
  // The share was made after the report was stored (it cannot be in anything the report fixed).
  expect(open.createdAt.getTime()).toBeGreaterThanOrEqual(report!.createdAt.getTime());
  const served = JSON.stringify([
    await api.beacons.windows(admitted[0]!),
    await api.beacons.view(admitted[0]!, open.id),
    await api.submissions.get(created.id),
    await api.assemblies.get(open.id),
    await api.assemblies.list({}),
  ], (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)); // as the operator plane serialises
  expect(served).toContain(open.beaconCommitment);
  expect(served.toLowerCase()).not.toContain(secret.slice(2).toLowerCase());
  expect((await api.beacons.windows(admitted[0]!)).beacons.map((b) => b.assemblyId)).toContain(open.id);
  expect((await api.beacons.windows(pending)).beacons).toEqual([]);

  // --- Refusals write nothing.
  const before = await api.db.beaconContribution.count();
  await expect(api.beacons.contribute(pending, open.id, { value: hex32() })).rejects.toMatchObject({ kind: "forbidden", code: "not_admitted" });
  await expect(api.beacons.contribute(admitted[0]!, open.id, { value: "0x1234" })).rejects.toMatchObject({ kind: "validation", code: "invalid_contribution" });
  await expect(api.beacons.contribute(admitted[0]!, open.id, { value: hex32(), extra: 1 })).rejects.toMatchObject({ kind: "validation" });
  await expect(api.beacons.contribute(admitted[0]!, "00000000-0000-4000-8000-000000000000", { value: hex32() })).rejects.toMatchObject({ kind: "not_found" });
  expect(await api.db.beaconContribution.count()).toBe(before);

  // --- Every admitted validator contributes once (the last one closes the window early); a second one is refused.
  const sent = new Map<string, string>();
  for (const id of admitted) {
    const value = hex32();
    sent.set(id, value);
    await expect(api.beacons.contribute(id, open.id, { value: value.toUpperCase().replace("0X", "0x") })).resolves.toMatchObject({ accepted: true, value });
    if (id === admitted[0]) await expect(api.beacons.contribute(id, open.id, { value: hex32() })).rejects.toMatchObject({ kind: "conflict", code: "already_contributed" });
  }
  const drawn = await waitFor(async () => {
    const a = await api.db.assembly.findUniqueOrThrow({ where: { id: open.id } });
    return a.phase !== "beacon" ? a : null;
  }, "the draw", 30_000, 50);
  // Early close: the window was 4 s; every drawable validator had contributed.
  expect(drawn.phaseStartedAt.getTime()).toBeLessThan(open.phaseEndsAt.getTime());
  await expect(api.beacons.contribute(pending, open.id, { value: hex32() })).rejects.toMatchObject({ code: "not_admitted" });
  const late = await activate("active", 7);
  await expect(api.beacons.contribute(late, open.id, { value: hex32() })).rejects.toMatchObject({ kind: "conflict", code: "beacon_closed" });
  expect(await api.db.beaconContribution.count({ where: { assemblyId: open.id } })).toBe(admitted.length);
  // Every contribution came after the report was stored.
  for (const c of await api.db.beaconContribution.findMany({ where: { assemblyId: open.id } })) expect(c.createdAt.getTime()).toBeGreaterThanOrEqual(report!.createdAt.getTime());

  // --- Afterwards: the stored inputs alone give the beacon, the seed and the seats.
  const inputs = BeaconInputsSchema.parse(drawn.beaconInputs);
  expect(inputs.platformShare).toBe(secret);
  expect(inputs.reportDigest).toBe(report!.digest);
  expect(inputs.contributions).toEqual([...sent.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([validatorId, value]) => ({ validatorId, value })));
  expect(inputs.block).toBeNull(); // no chain in this environment
  const beacon = recomputeBeacon(inputs);
  expect(drawn.beacon).toBe(beacon);
  const snapshot = snapshotFromDocument(drawn.snapshot, drawn.snapshotDigest as Digest);
  const seed = drawSeed(beacon, drawn.id, 1);
  const round = await api.db.assemblyRound.findUniqueOrThrow({ where: { assemblyId_round: { assemblyId: drawn.id, round: 1 } } });
  expect(round.seed).toBe(seed);
  const seats = (await api.db.assemblySeat.findMany({ where: { assemblyId: drawn.id, round: 1 }, orderBy: { position: "asc" } })).map((s) => s.validatorId);
  expect(drawSeats(snapshot, seed, 3, { diversity: false }).map((s) => s.validatorId)).toEqual(seats);
  // Each validator sees its contribution in the inputs.
  for (const id of admitted) expect(await api.beacons.view(id, drawn.id)).toMatchObject({ state: "drawn", beacon, included: true, trust: { contributions: 6, block: false, platformKnewSeed: false } });

  // The state stored before the contributions (report, snapshot, commitment — even the share) does not fix
  // the beacon: one different contribution gives another beacon, seed and (for some values) other seats.
  const alternatives = Array.from({ length: 8 }, () => {
    const other = { ...inputs, contributions: inputs.contributions.map((c, i) => (i === 0 ? { ...c, value: hex32() } : c)) };
    const b = recomputeBeacon(other);
    expect(b).not.toBe(beacon);
    return drawSeats(snapshot, drawSeed(b, drawn.id, 1), 3, { diversity: false }).map((s) => s.validatorId).join(",");
  });
  expect(alternatives.some((s) => s !== seats.join(","))).toBe(true);
  expect(recomputeBeacon({ ...inputs, contributions: inputs.contributions.slice(1) })).not.toBe(beacon);

  // The record replays: its beacon is the inputs' beacon, its seats come from the snapshot.
  const final = await decided(drawn.id);
  expect(checkRecordBeacon(final.beaconInputs, final.record as { rounds: { round: number; beacon: string }[] })).toMatchObject({ ok: true, beacon });
  const replay = replayAssembly(final.record, { snapshots: [snapshot], expectedDigest: final.recordDigest! });
  expect(replay.checks.filter((c) => !c.ok)).toEqual([]);
  expect(replay.complete).toBe(true);
});

it("with no contribution the window closes at its deadline and the record says the platform alone chose the seed", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  const open = await assemblyInBeacon(created.id);
  const drawn = await waitFor(async () => {
    const a = await api.db.assembly.findUniqueOrThrow({ where: { id: open.id } });
    return a.phase !== "beacon" ? a : null;
  }, "the draw at the deadline", 30_000, 50);
  expect(drawn.phaseStartedAt.getTime()).toBeGreaterThanOrEqual(open.phaseEndsAt.getTime());
  const inputs = BeaconInputsSchema.parse(drawn.beaconInputs);
  expect(inputs.contributions).toEqual([]);
  expect(recomputeBeacon(inputs)).toBe(drawn.beacon);
  expect(createHash("sha256").update(Buffer.from(inputs.platformShare.slice(2), "hex")).digest("hex")).toBe(open.beaconCommitment!.slice(2));
  expect(await api.beacons.view(admitted[0]!, drawn.id)).toMatchObject({ state: "drawn", included: null, trust: { contributions: 0, block: false, platformKnewSeed: true } });
});

it("a contribution racing the close is either in the stored inputs or refused, never stored and left out", async () => {
  const created = await api.submissions.create(developerId, packedRuntime("reference"));
  const open = await assemblyInBeacon(created.id);
  // Contributions and the close (as the deadline job would run it) at the same time.
  const attempts = admitted.map((id, i) =>
    new Promise((r) => setTimeout(r, i * 60)).then(() => api.beacons.contribute(id, open.id, { value: hex32() }).then((ok) => ok, (error: { code?: string }) => error.code ?? "error")),
  );
  const closed = new Promise((r) => setTimeout(r, 100)).then(() => api.assemblies.advance(open.id, 1, "beacon"));
  const results = await Promise.all(attempts);
  await closed;
  const drawn = await waitFor(async () => {
    const a = await api.db.assembly.findUniqueOrThrow({ where: { id: open.id } });
    return a.phase !== "beacon" ? a : null;
  }, "the draw", 30_000, 50);
  const inputs = BeaconInputsSchema.parse(drawn.beaconInputs);
  const accepted = results.flatMap((r) => (typeof r === "string" ? [] : [r]));
  expect(results.filter((r) => typeof r === "string").every((code) => code === "beacon_closed")).toBe(true);
  const key = (c: { validatorId: string; value: string }) => `${c.validatorId}=${c.value}`;
  expect(inputs.contributions.map(key).sort()).toEqual(accepted.map(key).sort());
  const rows = await api.db.beaconContribution.findMany({ where: { assemblyId: open.id } });
  expect(rows.map(key).sort()).toEqual(accepted.map(key).sort());
  expect(recomputeBeacon(inputs)).toBe(drawn.beacon);
});
