// A finished assembly for tests of the public assembly record (docs/decisions/0031):
// real validators (activated through the service), a record built by
// @assay/assembly's own draw, commitments, reveals and tally (so its digest and
// replay are real), stored as the finish step stores it, with one commitment and
// one reveal row per acting seat. Returns the certificate's `assembly` block and
// the claims the assembly granted, to issue a certificate that names the record.
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import {
  beaconCommitment,
  beaconInputsOf,
  buildAssemblyRecord,
  certificateAssembly,
  closeRound,
  grantedClaims,
  recomputeBeacon,
  openRound,
  resolveParams,
  snapshotEligible,
  voteCommitment,
  type AssemblyRecord,
  type Vote,
} from "@assay/assembly";
import { digestOf } from "@assay/protocol";
import type { Platform } from "../platform";

export type FinishedAssemblyFixture = {
  assemblyId: string;
  record: AssemblyRecord;
  recordDigest: string;
  /** The certificate payload's `assembly` block for this record. */
  certificateAssembly: ReturnType<typeof certificateAssembly>;
  granted: string[];
  /** Each seated validator's id and its vote (null: did not act). */
  votes: { validatorId: string; weight: string; vote: Vote | null }[];
};

/**
 * Seats `votes.length` fresh validators (stakes as given) for the submission and
 * records one round with these votes (null = no show). The submission needs no
 * audit report: the record's claims are given.
 */
export async function seedFinishedAssembly(
  platform: Pick<Platform, "validators" | "db">,
  submissionId: string,
  votes: { stake: string; vote: Vote | null }[],
  claims: { srip: string; status: "evidenced" | "not-evidenced" | "not-tested" }[] = [
    { srip: "SRIP-03", status: "evidenced" },
    { srip: "SRIP-05", status: "evidenced" },
  ],
): Promise<FinishedAssemblyFixture> {
  const params = resolveParams({ seatCount: votes.length, modelFamilyDiversity: false });
  const validators: { id: string; stake: bigint }[] = [];
  for (const v of votes) {
    const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
    const { id } = await platform.validators.activate({ publicKey: x, stake: v.stake, kind: "person" });
    validators.push({ id, stake: BigInt(v.stake) });
  }
  const snapshot = snapshotEligible(
    validators.map((v) => ({ id: v.id, stake: v.stake, reputationBps: 5_000, standing: "active" as const, kind: "person" as const })),
    { params },
  );
  const assemblyId = randomUUID();
  // The beacon as the platform computes it (platform share, no contributions, no block), so the record's beacon check replays.
  const reportDigest = digestOf({ fixture: assemblyId });
  const platformShare = `0x${randomBytes(32).toString("hex")}`;
  const beaconInputs = beaconInputsOf({ reportDigest, platformShare, commitment: beaconCommitment(platformShare), contributions: [], block: null });
  const beacon = recomputeBeacon(beaconInputs);
  const opening = openRound({ assemblyId, round: 1, beacon, snapshot, params });
  const voteOf = new Map(validators.map((v, i) => [v.id, votes[i]!.vote]));
  const commits = [];
  const reveals = [];
  for (const seat of opening.seats) {
    const vote = voteOf.get(seat.validatorId);
    if (!vote) continue;
    const reveal = { ...vote, assemblyId, round: 1, validatorId: seat.validatorId, salt: `0x${randomBytes(16).toString("hex")}` };
    commits.push({ assemblyId, round: 1, validatorId: seat.validatorId, commitment: voteCommitment(reveal) });
    reveals.push(reveal);
  }
  const round = closeRound(opening, { assemblyId, params, findings: [], claims, commits, reveals });
  const { record, digest } = buildAssemblyRecord({ assemblyId, params, findings: [], claims, rounds: [round] });
  const now = new Date();
  const json = <T>(v: T) => JSON.parse(JSON.stringify(v)) as object;
  await platform.db.assembly.create({
    data: {
      id: assemblyId,
      submissionId,
      status: "certified",
      round: 1,
      phase: "closed",
      phaseStartedAt: now,
      phaseEndsAt: now,
      params: json(params),
      findings: { findings: [], claims: json(claims) },
      reportDigest,
      snapshot: json(snapshot.document),
      snapshotDigest: snapshot.digest,
      beacon,
      beaconCommitment: beaconInputs.commitment,
      beaconInputs: json(beaconInputs),
      record: json(record),
      recordDigest: digest,
      outcome: json(record.outcome),
    },
  });
  for (const [position, seat] of opening.seats.entries()) {
    await platform.db.assemblySeat.create({ data: { assemblyId, round: 1, position, validatorId: seat.validatorId, weight: seat.weight, family: seat.family } });
  }
  const committedAt = new Date(now.getTime() - 60_000);
  for (const c of commits) await platform.db.voteCommitment.create({ data: { assemblyId, round: 1, validatorId: c.validatorId, commitment: c.commitment, createdAt: committedAt } });
  for (const r of reveals) await platform.db.voteReveal.create({ data: { assemblyId, round: 1, validatorId: r.validatorId, reveal: json(r), createdAt: now } });
  return {
    assemblyId,
    record,
    recordDigest: digest,
    certificateAssembly: certificateAssembly(record),
    granted: grantedClaims(record),
    votes: opening.seats.map((s) => ({ validatorId: s.validatorId, weight: s.weight, vote: voteOf.get(s.validatorId) ?? null })),
  };
}
