// Persistence of the draw beacon: validator contributions (one per assembly and
// validator, unique in the database), the open beacon windows, and the close of
// a window as a compare-and-set from phase `beacon`.
//
// A contribution and the close are serialised on the assembly row: the
// contribution takes the row FOR SHARE and checks the phase inside its
// transaction; the close UPDATEs the row (waiting for those shares) before it
// reads the contributions. So a contribution is either in the inputs or refused,
// never stored after the inputs were read.
import type { Prisma } from "../generated/prisma";
import type { DbClient } from "../repositories/types";

export type BeaconWindowRow = { phase: string; status: string; phaseEndsAt: Date };

export class BeaconRepository {
  constructor(private readonly db: DbClient) {}

  /** The assembly row locked FOR SHARE (inside a transaction), or null. */
  async lockForContribution(assemblyId: string): Promise<BeaconWindowRow | null> {
    const rows = await this.db.$queryRaw<{ phase: string; status: string; phase_ends_at: Date }[]>`
      SELECT phase::text AS phase, status::text AS status, phase_ends_at FROM assemblies WHERE id = ${assemblyId}::uuid FOR SHARE`;
    const row = rows[0];
    return row ? { phase: row.phase, status: row.status, phaseEndsAt: row.phase_ends_at } : null;
  }

  /** A validator's standing (null: no such validator). */
  async standingOf(validatorId: string): Promise<string | null> {
    const v = await this.db.validator.findUnique({ where: { id: validatorId }, select: { standing: true } });
    return v?.standing ?? null;
  }

  /** How many validators the assembly's snapshot holds (read in the database: the document can hold 100 000). */
  async snapshotSize(assemblyId: string): Promise<number> {
    const rows = await this.db.$queryRaw<{ size: number | null }[]>`
      SELECT jsonb_array_length(snapshot->'validators') AS size FROM assemblies WHERE id = ${assemblyId}::uuid`;
    return rows[0]?.size ?? 0;
  }

  async snapshotOf(assemblyId: string): Promise<unknown> {
    return (await this.db.assembly.findUnique({ where: { id: assemblyId }, select: { snapshot: true } }))?.snapshot ?? null;
  }

  /** What the beacon view needs of an assembly. */
  beaconOf(assemblyId: string) {
    return this.db.assembly.findUnique({ where: { id: assemblyId }, select: { id: true, phase: true, status: true, beaconInputs: true, beacon: true } });
  }

  /** Takes the assembly row FOR UPDATE (inside the close's transaction) and returns its phase while open, else null. */
  async lockForClose(assemblyId: string): Promise<string | null> {
    const rows = await this.db.$queryRaw<{ phase: string; status: string }[]>`
      SELECT phase::text AS phase, status::text AS status FROM assemblies WHERE id = ${assemblyId}::uuid FOR UPDATE`;
    const row = rows[0];
    return row && row.status === "open" ? row.phase : null;
  }

  addContribution(data: { assemblyId: string; validatorId: string; value: string }) {
    return this.db.beaconContribution.create({ data });
  }

  contributions(assemblyId: string) {
    return this.db.beaconContribution.findMany({ where: { assemblyId }, orderBy: { validatorId: "asc" } });
  }

  contributionOf(assemblyId: string, validatorId: string) {
    return this.db.beaconContribution.findUnique({ where: { assemblyId_validatorId: { assemblyId, validatorId } } });
  }

  contributionCount(assemblyId: string) {
    return this.db.beaconContribution.count({ where: { assemblyId } });
  }

  /** How many of these validators contributed (early close when every drawable validator has). */
  countFrom(assemblyId: string, validatorIds: readonly string[]) {
    return this.db.beaconContribution.count({ where: { assemblyId, validatorId: { in: [...validatorIds] } } });
  }

  /** Assemblies collecting contributions, oldest first. */
  openWindows(limit: number) {
    return this.db.assembly.findMany({
      where: { status: "open", phase: "beacon" },
      orderBy: [{ phaseEndsAt: "asc" }, { id: "asc" }],
      take: limit,
      select: { id: true, submissionId: true, reportDigest: true, beaconCommitment: true, phaseEndsAt: true },
    });
  }

  /** The contributions a validator made to these assemblies. */
  contributedTo(validatorId: string, assemblyIds: readonly string[]) {
    return this.db.beaconContribution.findMany({ where: { validatorId, assemblyId: { in: [...assemblyIds] } }, select: { assemblyId: true } });
  }

  /**
   * Ends the beacon window: beacon → review of round 1 with the drawn beacon and
   * its inputs (compare-and-set; false when the window was closed already).
   */
  async closeWindow(input: { id: string; beacon: string; beaconInputs: Prisma.InputJsonValue; startedAt: Date; endsAt: Date }): Promise<boolean> {
    const result = await this.db.assembly.updateMany({
      where: { id: input.id, round: 1, phase: "beacon", status: "open" },
      data: { phase: "review", beacon: input.beacon, beaconInputs: input.beaconInputs, phaseStartedAt: input.startedAt, phaseEndsAt: input.endsAt, revision: { increment: 1 } },
    });
    return result.count === 1;
  }
}
