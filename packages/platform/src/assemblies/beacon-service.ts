// What a validator does with the draw beacon on the agent plane
// (docs/decisions/0009, "Beacon"): list the assemblies collecting
// contributions, contribute 32 random bytes once per assembly, and read an
// assembly's beacon (after the draw: every input, so it can check its own
// contribution is in and recompute the beacon). Every refusal is typed and
// writes nothing: not admitted → 403 not_admitted; unknown assembly → 404;
// window closed (phase moved on, or its end passed) → 409 beacon_closed;
// a second contribution → 409 already_contributed; malformed → 400.
import { beaconTrust, recomputeBeacon } from "@assay/assembly";
import {
  BeaconContributionBodySchema,
  type AssemblyBeaconView,
  type BeaconContributionAccepted,
  type BeaconWindow,
} from "@assay/protocol";
import { z } from "zod";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, issuesFromZod } from "../errors";
import type { DbClient, Store } from "../repositories";
import { isUniqueViolation } from "../services/unique-violation";
import { BeaconRepository } from "./beacon-repository";
import { isCollecting, parseBeaconInputs } from "./beacon";
import { assemblyJobIds, type AssemblyScheduler } from "./scheduler";

/** Standings that may contribute: admitted validators (the ones that can be drawn). */
const ADMITTED = new Set(["active", "probation"]);
const AssemblyIdSchema = z.string().uuid();

/** The snapshot's validator ids (the early close waits for every drawable validator). */
const SnapshotIdsSchema = z.object({ validators: z.array(z.object({ id: z.string() }).passthrough()) }).passthrough();

export class BeaconService {
  constructor(
    private readonly store: Store,
    private readonly scheduler: AssemblyScheduler,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private repo(db: DbClient = this.store.db) {
    return new BeaconRepository(db);
  }

  /** Assemblies collecting contributions, with whether the caller contributed already (empty for a validator not admitted). */
  async windows(validatorId: string): Promise<{ beacons: BeaconWindow[] }> {
    const standing = await this.repo().standingOf(validatorId);
    if (standing === null || !ADMITTED.has(standing)) return { beacons: [] };
    const now = this.clock().getTime();
    const open = (await this.repo().openWindows(200)).filter((a) => a.phaseEndsAt.getTime() > now);
    const mine = new Set((await this.repo().contributedTo(validatorId, open.map((a) => a.id))).map((c) => c.assemblyId));
    return {
      beacons: open.map((a) => ({
        assemblyId: a.id,
        submissionId: a.submissionId,
        reportDigest: a.reportDigest,
        commitment: a.beaconCommitment ?? "",
        windowEndsAt: a.phaseEndsAt.toISOString(),
        contributed: mine.has(a.id),
      })),
    };
  }

  async contribute(validatorId: string, assemblyId: string, body: unknown): Promise<BeaconContributionAccepted> {
    const parsed = BeaconContributionBodySchema.safeParse(body);
    if (!parsed.success) throw new ValidationError("invalid_contribution", "a beacon contribution is { value: 0x + 64 hex }", issuesFromZod(parsed.error.issues));
    const value = parsed.data.value.toLowerCase();
    if (!AssemblyIdSchema.safeParse(assemblyId).success) throw new NotFoundError("assembly_not_found", `no assembly ${assemblyId}`);
    const standing = await this.repo().standingOf(validatorId);
    if (standing === null || !ADMITTED.has(standing)) {
      throw new ForbiddenError("not_admitted", `only admitted validators (active or probation) contribute to a beacon; you are ${standing ?? "unknown"}`);
    }
    let early = false;
    try {
      early = await this.store.db.$transaction(async (tx) => {
        const repo = this.repo(tx);
        // FOR SHARE: the close UPDATEs this row before it reads the contributions, so it waits for this insert or refuses it.
        const window = await repo.lockForContribution(assemblyId);
        if (!window) throw new NotFoundError("assembly_not_found", `no assembly ${assemblyId}`);
        if (window.status !== "open" || window.phase !== "beacon") throw new ConflictError("beacon_closed", `the beacon window of this assembly is closed (phase ${window.phase})`);
        if (this.clock().getTime() >= window.phaseEndsAt.getTime()) throw new ConflictError("beacon_closed", `the beacon window ended at ${window.phaseEndsAt.toISOString()}`);
        if (await repo.contributionOf(assemblyId, validatorId)) throw new ConflictError("already_contributed", "you have already contributed to this beacon; a contribution cannot be changed");
        await repo.addContribution({ assemblyId, validatorId, value });
        return this.everyDrawableContributed(repo, assemblyId);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError("already_contributed", "you have already contributed to this beacon; a contribution cannot be changed");
      throw err;
    }
    if (early) {
      // Nothing left to wait for: close the window now (the job is a compare-and-set; the deadline job still covers a Redis outage).
      await this.scheduler.schedule({ action: "advance", assemblyId, round: 1, phase: "beacon" }, { jobId: assemblyJobIds.early(assemblyId, 1, "beacon"), delayMs: 0 }).catch(() => undefined);
    }
    return { assemblyId, validatorId, value, accepted: true };
  }

  private async everyDrawableContributed(repo: BeaconRepository, assemblyId: string): Promise<boolean> {
    // Cheap test first: fewer contributions than drawable validators means the window stays open.
    const size = await repo.snapshotSize(assemblyId);
    if (size === 0 || (await repo.contributionCount(assemblyId)) < size) return false;
    const snapshot = await repo.snapshotOf(assemblyId);
    const ids = SnapshotIdsSchema.parse(snapshot).validators.map((v) => v.id);
    return ids.length > 0 && (await repo.countFrom(assemblyId, ids)) >= ids.length;
  }

  /** An assembly's beacon as a validator may see it: never the platform share before the draw. */
  async view(validatorId: string, assemblyId: string): Promise<AssemblyBeaconView> {
    if (!AssemblyIdSchema.safeParse(assemblyId).success) throw new NotFoundError("assembly_not_found", `no assembly ${assemblyId}`);
    const a = await this.repo().beaconOf(assemblyId);
    if (!a) throw new NotFoundError("assembly_not_found", `no assembly ${assemblyId}`);
    const mine = (await this.repo().contributionOf(assemblyId, validatorId))?.value ?? null;
    const stored = parseBeaconInputs(a.beaconInputs);
    if (isCollecting(stored)) {
      return {
        assemblyId,
        state: "collecting",
        reportDigest: stored.reportDigest,
        commitment: stored.commitment,
        windowEndsAt: stored.windowEndsAt,
        beacon: null,
        inputs: null,
        trust: null,
        yourContribution: mine,
        included: null,
      };
    }
    const inputs = stored;
    return {
      assemblyId,
      state: "drawn",
      reportDigest: inputs.reportDigest,
      commitment: inputs.commitment,
      windowEndsAt: null,
      beacon: recomputeBeacon(inputs),
      inputs: { ...inputs },
      trust: beaconTrust(inputs),
      yourContribution: mine,
      included: mine === null ? null : inputs.contributions.some((c) => c.validatorId === validatorId && c.value === mine),
    };
  }
}
