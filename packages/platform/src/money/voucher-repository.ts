// Every database call of vouchers. A use is claimed by one conditional UPDATE
// (not revoked, not expired, used_count < max_uses; a CHECK backs the limit),
// and (voucher, developer) is unique, so concurrent redemptions cannot pass
// either limit.
import type { Prisma } from "../db/client";
import type { DbClient } from "../repositories/types";

/** A voucher as stored. */
export type VoucherRow = Prisma.VoucherGetPayload<object>;

export class VoucherRepository {
  constructor(private readonly db: DbClient) {}

  create(input: { codeHash: string; prefix: string; amount: bigint; maxUses: number; expiresAt: Date; createdBy: string }) {
    return this.db.voucher.create({ data: input });
  }

  findById(id: string) {
    return this.db.voucher.findUnique({ where: { id } });
  }

  findByHash(codeHash: string) {
    return this.db.voucher.findUnique({ where: { codeHash } });
  }

  /** Newest first; `before`: the keyset of the previous page's last row (decision 0032). */
  list(limit: number, before?: { at: Date; id: string }) {
    return this.db.voucher.findMany({
      where: before ? { OR: [{ createdAt: { lt: before.at } }, { createdAt: before.at, id: { lt: before.id } }] } : {},
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
    });
  }

  revoke(id: string, at: Date) {
    return this.db.voucher.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
  }

  redemption(voucherId: string, developerId: string) {
    return this.db.voucherRedemption.findUnique({ where: { voucherId_developerId: { voucherId, developerId } } });
  }

  async claimUse(id: string, now: Date): Promise<boolean> {
    const taken = await this.db.$executeRaw`
      UPDATE vouchers SET used_count = used_count + 1
      WHERE id = ${id}::uuid AND revoked_at IS NULL AND expires_at > ${now} AND used_count < max_uses`;
    return taken === 1;
  }

  addRedemption(input: { voucherId: string; developerId: string; entryId: string }) {
    return this.db.voucherRedemption.create({ data: input });
  }
}
