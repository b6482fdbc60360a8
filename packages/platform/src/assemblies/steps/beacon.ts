// The beacon window of an assembly (docs/decisions/0009, "Beacon").
//
// Open: the platform picks a secret 32-byte share, stores it (never served
// before the draw) and publishes its SHA-256 commitment; the assembly starts in
// phase `beacon` with the snapshot already frozen and no seats; the chain head
// is noted (chain mode). During `beaconSeconds` admitted validators contribute
// 32 random bytes each (BeaconService). Close (a delayed job, or early when
// every drawable validator contributed): lock the row, read the contributions,
// take block head+1 when it is mined, compute the assay.beacon/v2 beacon, store
// every input, draw round 1 and move to review — one transaction, a
// compare-and-set from phase `beacon`, so a duplicate or late job is a no-op.
import { beaconInputsOf, beaconTrust, recomputeBeacon, type AssemblyParams } from "@assay/assembly";
import { ConflictError } from "../../errors";
import type { BeaconChain } from "../beacon-chain";
import { BeaconRepository } from "../beacon-repository";
import { isCollecting, newPlatformShare, type BeaconCollecting } from "../beacon";
import { jsonColumn } from "../columns";
import { assemblyJobIds } from "../scheduler";
import { assemblyRepo, secondsAfter, type AssemblyContext, type AssemblyJobResult } from "./context";
import { drawRound } from "./draw";
import { refreshProgress } from "./progress";
import { scheduleDeadline } from "./schedule";

/** What an assembly row starts with: phase beacon, the share (secret), its commitment, the public facts fixed at open. */
export type BeaconOpening = {
  phase: "beacon";
  phaseEndsAt: Date;
  beacon: null;
  beaconSecret: string;
  beaconCommitment: string;
  beaconInputs: BeaconCollecting;
};

export async function beaconOpening(ctx: AssemblyContext, args: { reportDigest: string; params: AssemblyParams; now: Date }): Promise<BeaconOpening> {
  const { share, commitment } = newPlatformShare();
  const phaseEndsAt = secondsAfter(args.now, args.params.beaconSeconds);
  return {
    phase: "beacon",
    phaseEndsAt,
    beacon: null,
    beaconSecret: share,
    beaconCommitment: commitment,
    beaconInputs: {
      format: "assay.beacon/v2",
      state: "collecting",
      reportDigest: args.reportDigest,
      commitment,
      windowEndsAt: phaseEndsAt.toISOString(),
      afterBlock: await chainHead(ctx),
    },
  };
}

/** The chain head (decimal) when a chain is configured and answers; null otherwise (the record then has no block). */
async function chainHead(ctx: AssemblyContext): Promise<string | null> {
  if (!ctx.beaconChain) return null;
  try {
    return (await ctx.beaconChain.head()).toString();
  } catch (error) {
    ctx.log("warn", `beacon: the chain did not answer at open (${(error as Error).message}); this beacon has no block`);
    return null;
  }
}

/** The first block after the window opened, when mined by the close; null otherwise (said so in the record). */
async function blockAfter(chain: BeaconChain | null | undefined, afterBlock: string | null, log: AssemblyContext["log"]) {
  if (!chain || afterBlock === null) return null;
  try {
    return await chain.blockAt(BigInt(afterBlock) + 1n);
  } catch (error) {
    log("warn", `beacon: block ${BigInt(afterBlock) + 1n} could not be read (${(error as Error).message}); this beacon has no block`);
    return null;
  }
}

export async function scheduleBeaconClose(ctx: AssemblyContext, assemblyId: string, endsAt: Date, now: Date): Promise<void> {
  await ctx.scheduler.schedule({ action: "advance", assemblyId, round: 1, phase: "beacon" }, { jobId: assemblyJobIds.deadline(assemblyId, 1, "beacon"), delayMs: endsAt.getTime() - now.getTime() });
}

/** Ends the beacon window: beacon, draw of round 1, review. Idempotent (compare-and-set from phase beacon). */
export async function closeBeaconWindow(ctx: AssemblyContext, assemblyId: string): Promise<AssemblyJobResult> {
  const repo = assemblyRepo(ctx);
  const assembly = await repo.findById(assemblyId);
  if (!assembly) return { result: "unknown_assembly" };
  if (assembly.status !== "open" || assembly.phase !== "beacon") return { result: "noop", status: assembly.status, phase: assembly.phase };
  const collecting = assembly.beaconInputs;
  const secret = assembly.beaconSecret;
  if (!isCollecting(collecting) || secret === null) throw new ConflictError("assembly_incomplete", `assembly ${assemblyId} is in phase beacon without a collecting beacon and its share`);
  const block = await blockAfter(ctx.beaconChain, collecting.afterBlock, ctx.log);
  const snapshot = await repo.snapshotOf(assemblyId);
  if (!snapshot) throw new Error(`assembly ${assemblyId} has no snapshot`);
  const params = assembly.params;
  const now = ctx.clock();
  const endsAt = secondsAfter(now, params.reviewSeconds);
  const drawn = await ctx.store.db.$transaction(async (tx) => {
    const beacons = new BeaconRepository(tx);
    // The row lock orders this close after every contribution in flight (they hold it FOR SHARE) and before any later one.
    if ((await beacons.lockForClose(assemblyId)) !== "beacon") return null;
    const contributions = await beacons.contributions(assemblyId);
    const inputs = beaconInputsOf({ reportDigest: collecting.reportDigest, platformShare: secret, commitment: collecting.commitment, contributions, block });
    const beacon = recomputeBeacon(inputs);
    if (!(await beacons.closeWindow({ id: assemblyId, beacon, beaconInputs: jsonColumn(inputs), startedAt: now, endsAt }))) return null;
    const opening = await drawRound(assemblyRepo(ctx, tx), { assemblyId, round: 1, beacon, snapshot, params, at: now });
    return { beacon, seats: opening.seats.length, trust: beaconTrust(inputs) };
  });
  if (!drawn) return { result: "noop", phase: "review" };
  await scheduleDeadline(ctx, assemblyId, 1, "review", endsAt, now);
  await refreshProgress(ctx, assemblyId);
  const { trust } = drawn;
  ctx.log(
    trust.platformKnewSeed ? "warn" : "info",
    `assembly ${assemblyId} drew ${drawn.seats} seats from beacon ${drawn.beacon} (${trust.contributions} contribution(s), ${trust.block ? "a chain block" : "no chain block"}${trust.platformKnewSeed ? "; the platform alone chose this seed" : ""})`,
  );
  return { result: "drawn", beacon: drawn.beacon, seats: drawn.seats, ...trust };
}
