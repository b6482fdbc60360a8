// Vouchers (docs/money.md): operators create codes worth an amount with an
// expiry and a use limit (admin, audit-logged without the code); only the
// SHA-256 of a code is stored and the code is shown once. A developer redeems
// a voucher at most once: the redemption row is unique per (voucher,
// developer), the use counter is claimed conditionally, and the ledger entry's
// key is per voucher and developer — any one of them alone would stop a
// double credit; all three commit together or not at all.
import { decodeInstantCursor, encodeInstantCursor, pageOf, type Page } from "../services/page-cursor";
import { createHash, randomBytes } from "node:crypto";
import type { CreatedVoucher, RedeemedVoucher, VoucherInput, VoucherView } from "@assay/protocol";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import type { VoucherRow } from "./voucher-repository";
import type { Store } from "../repositories";
import { isUniqueViolation } from "../services/unique-violation";
import { developerAccount } from "./accounts";
import { voucherEntry } from "./ledger";
import type { LedgerService } from "./ledger-service";
import type { PaymentMethodsService } from "./payment-methods";

/** `vch_<8 lowercase alphanumerics>_<22 base64url>`: 128 random bits after the prefix. */
export function newVoucherCode(): string {
  const prefix = randomBytes(8).toString("base64url").toLowerCase().replace(/[^a-z0-9]/g, "0").slice(0, 8);
  return `vch_${prefix}_${randomBytes(16).toString("base64url")}`;
}

export function voucherCodeHash(code: string): string {
  return createHash("sha256").update(code, "utf8").digest("hex");
}

export class VoucherService {
  constructor(
    private readonly store: Store,
    private readonly ledger: LedgerService,
    private readonly clock: () => Date = () => new Date(),
    /** Operator switches; without them vouchers are on. */
    private readonly methods?: Pick<PaymentMethodsService, "require">,
  ) {}

  async create(input: VoucherInput, actor: string): Promise<CreatedVoucher> {
    await this.methods?.require("vouchers");
    const expiresAt = new Date(input.expiresAt);
    if (expiresAt <= this.clock()) throw new ValidationError("voucher_expired", "expiresAt must be in the future", [{ path: "expiresAt", message: "in the past" }]);
    const code = newVoucherCode();
    return this.store.transaction(async (repos) => {
      const row = await repos.vouchers.create({ codeHash: voucherCodeHash(code), prefix: code.slice(0, 12), amount: BigInt(input.amount), maxUses: input.maxUses, expiresAt, createdBy: actor });
      const voucher = voucherView(row);
      // The code itself is never logged: only the view (prefix, amount, limits).
      await repos.auditLog.record({ actor, action: "vouchers.create", target: `voucher:${row.id}`, after: voucher });
      return { voucher, code };
    });
  }

  async list(limit = 100): Promise<VoucherView[]> {
    return (await this.store.repos.vouchers.list(Math.min(Math.max(limit, 1), 500))).map(voucherView);
  }

  /** One page, newest first (decision 0032). */
  async page(page: { cursor?: string; limit?: number }): Promise<Page<VoucherView>> {
    const limit = page.limit ?? 100;
    const rows = await this.store.repos.vouchers.list(limit + 1, page.cursor ? decodeInstantCursor(page.cursor) : undefined);
    return pageOf(rows, limit, voucherView, (r) => encodeInstantCursor({ at: r.createdAt, id: r.id }));
  }

  async revoke(id: string, actor: string): Promise<VoucherView> {
    return this.store.transaction(async (repos) => {
      const before = await repos.vouchers.findById(id);
      if (!before) throw new NotFoundError("voucher_not_found", `no voucher ${id}`);
      await repos.vouchers.revoke(id, this.clock());
      const after = voucherView((await repos.vouchers.findById(id))!);
      await repos.auditLog.record({ actor, action: "vouchers.revoke", target: `voucher:${id}`, before: voucherView(before), after });
      return after;
    });
  }

  async redeem(developerId: string, code: string): Promise<RedeemedVoucher> {
    await this.methods?.require("vouchers");
    const now = this.clock();
    let credited: bigint;
    try {
      credited = await this.store.transaction(async (repos) => {
        const voucher = await repos.vouchers.findByHash(voucherCodeHash(code));
        // Unknown, revoked and expired codes get one answer: nothing to learn by guessing.
        if (!voucher || voucher.revokedAt || voucher.expiresAt <= now) throw new NotFoundError("voucher_not_redeemable", "no redeemable voucher has this code");
        // One redemption per developer at a time: the duplicate check below is read under this lock.
        await repos.ledger.lockAccounts([developerAccount(developerId)]);
        if (await repos.vouchers.redemption(voucher.id, developerId)) throw new ConflictError("voucher_already_redeemed", "you have redeemed this voucher already");
        if (!(await repos.vouchers.claimUse(voucher.id, now))) throw new ConflictError("voucher_used_up", "this voucher has been redeemed as many times as it allows");
        const posted = await this.ledger.postIn(repos, voucherEntry({ voucherId: voucher.id, developerId, amount: voucher.amount }));
        await repos.vouchers.addRedemption({ voucherId: voucher.id, developerId, entryId: posted.entryId });
        return voucher.amount;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError("voucher_already_redeemed", "you have redeemed this voucher already");
      throw err;
    }
    return { credited: Number(credited), balance: await this.ledger.developerBalance(developerId) };
  }
}

export function voucherView(row: VoucherRow): VoucherView {
  return {
    id: row.id,
    prefix: row.prefix,
    amount: Number(row.amount),
    maxUses: row.maxUses,
    usedCount: row.usedCount,
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
