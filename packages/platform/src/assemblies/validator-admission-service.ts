// Operator actions on validators (docs/decisions/0012): approve a pending
// validator with the stake the draw will weigh, suspend (its open seats are
// voided and re-drawn by the assembly), reinstate, slash (mirrored on chain
// through the outbox when the validator stakes there), and bind to / unbind from
// a developer account (a bound validator is a conflict for that developer's
// submissions: the snapshot never seats it on them). Every action changes the
// row and writes its audit-log row (actor, action, target, before, after) in one
// transaction; a refused action writes nothing.
import { ConflictError, NotFoundError } from "../errors";
import type { Store } from "../repositories";
import { WEI_PER_STAKE_UNIT } from "../repositories/stake-repositories";
import { PROBATION_BELOW_BPS } from "./assembly-service";
import { ValidatorAdmissionRepository, type ValidatorRow } from "./validator-admission-repository";
import { validatorView, type ValidatorView } from "./validator-service";

/** What suspension needs from the assemblies (the facade's voidSeatsOf): void the validator's open seats and re-draw them. */
export interface SeatVoider {
  voidSeatsOf(validatorId: string, reason: string): Promise<number>;
}

export type AdmissionResult = { validator: ValidatorView; auditLogId: string; voidedSeats?: number; chainMirror?: "queued" | "not_on_chain" };

type Log = (level: "info" | "warn" | "error", message: string) => void;

/** The audit-log picture of a validator: what an action can change. */
function auditState(v: ValidatorRow): Record<string, string | null> {
  return {
    standing: v.standing,
    stake: v.stake.toString(),
    declaredStake: v.declaredStake.toString(),
    developerId: v.developerId,
    admittedAt: v.admittedAt?.toISOString() ?? null,
    admittedBy: v.admittedBy,
  };
}

export class ValidatorAdmissionService {
  constructor(
    private readonly store: Store,
    private readonly seats: SeatVoider,
    private readonly options: { chainEnabled: boolean },
    private readonly clock: () => Date = () => new Date(),
    private readonly log: Log = () => undefined,
  ) {}

  /** Runs one action on the locked row: `change` returns the new fields (or throws a refusal); one audit row. */
  private async act(
    id: string,
    action: string,
    actor: string,
    change: (v: ValidatorRow, repo: ValidatorAdmissionRepository) => { data: Parameters<ValidatorAdmissionRepository["update"]>[1]; note?: Record<string, string>; after?: (row: ValidatorRow, auditId: string) => Promise<void> },
  ): Promise<{ row: ValidatorRow; auditLogId: string }> {
    return this.store.db.$transaction(async (tx) => {
      const repo = new ValidatorAdmissionRepository(tx);
      const before = await repo.lockById(id);
      if (!before) throw new NotFoundError("validator_not_found", "no validator with this id");
      const { data, note, after } = change(before, repo);
      const row = await repo.update(id, data);
      const entry = await repo.audit({
        actor,
        action: `validator.${action}`,
        target: id,
        before: auditState(before),
        after: { ...auditState(row), ...(note ?? {}) },
      });
      if (after) await after(row, entry.id);
      return { row, auditLogId: entry.id };
    });
  }

  /** pending → active with the stake the draw weighs (the declared figure is never used). */
  async approve(id: string, input: { stake: string; reason?: string }, actor: string): Promise<AdmissionResult> {
    const { row, auditLogId } = await this.act(id, "approve", actor, (v) => {
      if (v.standing !== "pending") throw new ConflictError("validator_not_pending", `only a pending validator can be approved (this one is ${v.standing})`);
      return { data: { standing: "active", stake: BigInt(input.stake), admittedAt: this.clock(), admittedBy: actor }, note: input.reason ? { reason: input.reason } : undefined };
    });
    return { validator: validatorView(row), auditLogId };
  }

  /** Any standing but suspended → suspended; then the validator's open seats are voided (and re-drawn). */
  async suspend(id: string, input: { reason: string }, actor: string): Promise<AdmissionResult> {
    const { row, auditLogId } = await this.act(id, "suspend", actor, (v) => {
      if (v.standing === "suspended") throw new ConflictError("validator_suspended", "this validator is already suspended");
      return { data: { standing: "suspended" }, note: { reason: input.reason } };
    });
    let voidedSeats: number | undefined;
    try {
      voidedSeats = await this.seats.voidSeatsOf(id, `validator_suspended: ${input.reason}`);
    } catch (error) {
      // The suspension stands (later snapshots leave it out, and a roll voids suspended validators); the seats stay for the phase deadlines to settle.
      this.log("warn", `voiding the seats of suspended validator ${id} failed: ${(error as Error).message}`);
    }
    return { validator: validatorView(row), auditLogId, ...(voidedSeats !== undefined ? { voidedSeats } : {}) };
  }

  /** suspended → the standing its admission and reputation give: pending (never admitted), probation (low reputation) or active. */
  async reinstate(id: string, input: { reason?: string }, actor: string): Promise<AdmissionResult> {
    const { row, auditLogId } = await this.act(id, "reinstate", actor, (v) => {
      if (v.standing !== "suspended") throw new ConflictError("validator_not_suspended", `only a suspended validator can be reinstated (this one is ${v.standing})`);
      const standing = v.admittedAt === null ? "pending" : v.reputationBps < PROBATION_BELOW_BPS ? "probation" : "active";
      return { data: { standing }, note: input.reason ? { reason: input.reason } : undefined };
    });
    return { validator: validatorView(row), auditLogId };
  }

  /** Takes `amount` from the stake (at most all of it); with a chain address (chain mode) the slash is mirrored on chain. */
  async slash(id: string, input: { amount: string; reason: string }, actor: string): Promise<AdmissionResult> {
    const amount = BigInt(input.amount);
    let chainMirror: AdmissionResult["chainMirror"] = "not_on_chain";
    const { row, auditLogId } = await this.act(id, "slash", actor, (v, repo) => {
      if (amount > v.stake) throw new ConflictError("slash_exceeds_stake", `the validator's stake is ${v.stake}; a slash takes at most that`);
      const chainAddress = this.options.chainEnabled ? v.chainAddress : null;
      chainMirror = chainAddress ? "queued" : "not_on_chain";
      return {
        data: { stake: v.stake - amount },
        note: { amount: input.amount, reason: input.reason, chainMirror },
        // Same transaction as the slash: the mirror is recorded iff the slash is (the anchor loop sends it).
        after: chainAddress
          ? async (_row, slashId) => {
              await repo.addSlashMirror({ slashId, validatorId: id, chainAddress, amountWei: (amount * WEI_PER_STAKE_UNIT).toString(), reason: input.reason });
            }
          : undefined,
      };
    });
    return { validator: validatorView(row), auditLogId, chainMirror };
  }

  /** Binds the validator to a developer account: never drawn for that developer's submissions. */
  async bind(id: string, input: { developerId: string }, actor: string): Promise<AdmissionResult> {
    if (!(await new ValidatorAdmissionRepository(this.store.db).developerExists(input.developerId))) {
      throw new NotFoundError("developer_not_found", "no developer with this id");
    }
    const { row, auditLogId } = await this.act(id, "bind", actor, () => ({ data: { developerId: input.developerId } }));
    return { validator: validatorView(row), auditLogId };
  }

  async unbind(id: string, actor: string): Promise<AdmissionResult> {
    const { row, auditLogId } = await this.act(id, "unbind", actor, (v) => {
      if (v.developerId === null) throw new ConflictError("validator_not_bound", "this validator is not bound to a developer");
      return { data: { developerId: null } };
    });
    return { validator: validatorView(row), auditLogId };
  }
}
