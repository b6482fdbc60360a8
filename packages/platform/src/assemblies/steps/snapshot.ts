// The eligible snapshot, taken once when an assembly opens (docs/decisions/0009,
// "Snapshot"): every drawable validator with its stake, reputation and
// standing, minus the submitter's own validators (conflicts). Pending
// validators (not yet admitted) are not drawable.
import { snapshotEligible, type AssemblyParams, type EligibleSnapshot, type ValidatorInput } from "@assay/assembly";
import { ValidatorRepository } from "../repositories";
import type { AssemblyContext } from "./context";

export async function takeSnapshot(ctx: AssemblyContext, submitterId: string, params: AssemblyParams): Promise<EligibleSnapshot> {
  const validators = await new ValidatorRepository(ctx.store.db).all();
  const drawable: ValidatorInput[] = [];
  const conflicts: string[] = [];
  for (const v of validators) {
    if (v.standing === "pending") continue;
    if (v.developerId !== null && v.developerId === submitterId) conflicts.push(v.id);
    drawable.push({ id: v.id, stake: v.stake, reputationBps: v.reputationBps, standing: v.standing, kind: v.kind, modelFamily: v.modelFamily });
  }
  return snapshotEligible(drawable, { conflicts, params });
}
