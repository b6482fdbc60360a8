// Persistence of validator admission (docs/decisions/0012): pending activation
// under a cap, the operator's standing and stake changes with their audit-log
// row in the same transaction, and the outbox event that mirrors a slash on
// chain. Constructed over a client or a transaction client.
import type { Prisma, ValidatorKind, ValidatorStanding } from "../generated/prisma";
import type { DbClient } from "../repositories/types";

export const VALIDATOR_SLASH_TOPIC = "validator-slash";
/** Serialises activations while the pending count is checked (a cap read then written by two requests at once stays a cap). */
const PENDING_CAP_LOCK = 0x61737379; // "assy"

export type ValidatorRow = Prisma.ValidatorGetPayload<object>;

export class ValidatorAdmissionRepository {
  constructor(private readonly db: DbClient) {}

  /** Takes the transaction-scoped lock that orders pending activations (call inside a transaction). */
  async lockPendingCap(): Promise<void> {
    await this.db.$executeRaw`SELECT pg_advisory_xact_lock(${PENDING_CAP_LOCK}::bigint)`;
  }

  pendingCount(): Promise<number> {
    return this.db.validator.count({ where: { standing: "pending" } });
  }

  createPending(input: {
    publicKey: string;
    name: string | null;
    kind: ValidatorKind;
    modelFamily: string | null;
    declaredStake: bigint;
    reputationBps: number;
    chainAddress: string | null;
  }): Promise<ValidatorRow> {
    return this.db.validator.create({ data: { ...input, stake: 0n, standing: "pending", developerId: null } });
  }

  findById(id: string): Promise<ValidatorRow | null> {
    return this.db.validator.findUnique({ where: { id } });
  }

  /** Reads the row FOR UPDATE so two operator actions on one validator apply one after the other. */
  async lockById(id: string): Promise<ValidatorRow | null> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`SELECT id FROM validators WHERE id = ${id}::uuid FOR UPDATE`;
    return rows.length ? this.findById(id) : null;
  }

  update(id: string, data: { standing?: ValidatorStanding; stake?: bigint; admittedAt?: Date | null; admittedBy?: string | null; developerId?: string | null }): Promise<ValidatorRow> {
    return this.db.validator.update({ where: { id }, data });
  }

  /** Validators of one standing, oldest first (the admission queue for `pending`). */
  listByStanding(standing: ValidatorStanding, limit: number): Promise<ValidatorRow[]> {
    return this.db.validator.findMany({ where: { standing }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit });
  }

  developerExists(id: string): Promise<boolean> {
    return this.db.developer.count({ where: { id } }).then((n) => n > 0);
  }

  audit(entry: { actor: string; action: string; target: string; before: Prisma.InputJsonValue; after: Prisma.InputJsonValue }) {
    return this.db.auditLogEntry.create({ data: entry });
  }

  /** The outbox event that mirrors a slash on chain; the dedupe key is the audit-log row (one mirror per slash). */
  addSlashMirror(payload: { slashId: string; validatorId: string; chainAddress: string; amountWei: string; reason: string }) {
    return this.db.outboxEvent.create({ data: { topic: VALIDATOR_SLASH_TOPIC, payload, dedupeKey: `${VALIDATOR_SLASH_TOPIC}:${payload.slashId}` } });
  }

  /** The transaction of the last indexed stake event of an address (what admitted it on chain), or null. */
  async lastStakeTx(address: string): Promise<{ active: bigint; txHash: string } | null> {
    const stake = await this.db.validatorStake.findUnique({ where: { address } });
    if (!stake) return null;
    const event = await this.db.stakeEvent.findFirst({ where: { validator: address, blockNumber: stake.lastBlock, logIndex: stake.lastLogIndex } });
    return { active: BigInt(stake.active.toFixed()), txHash: event?.txHash ?? "unknown" };
  }
}
