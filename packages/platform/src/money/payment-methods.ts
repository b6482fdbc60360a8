// Payment methods an operator can switch off (docs/money.md): prepaid credits
// granted by operators, vouchers, and on-chain deposits. Stored as platform flags `payments.<method>`
// (absent: on); a change writes its audit-log row in the same transaction.
// A method that is off refuses new grants / voucher creation and redemption
// (403 payment_method_disabled); credits already in the ledger stay usable.
// Deposits off: `POST /v1/developer/deposits` answers 403 and the deposit
// indexer pauses at its cursor (deposits made meanwhile are credited, once,
// when the method is switched back on: the ether is already in the Treasury).
import type { PaymentMethods, PaymentMethodsChange } from "@assay/protocol";
import { FlagRepository } from "../assemblies/repositories";
import { ForbiddenError } from "../errors";
import type { Store } from "../repositories";

const KEY = { prepaid: "payments.prepaid", vouchers: "payments.vouchers", deposits: "payments.deposits" } as const;
export type PaymentMethod = keyof typeof KEY;

export class PaymentMethodsService {
  constructor(private readonly store: Store) {}

  async get(): Promise<PaymentMethods> {
    const stored = new Map((await new FlagRepository(this.store.db).all()).map((r) => [r.key, r.value as unknown]));
    return { prepaid: stored.get(KEY.prepaid) !== false, vouchers: stored.get(KEY.vouchers) !== false, deposits: stored.get(KEY.deposits) !== false };
  }

  async set(change: PaymentMethodsChange, actor: string): Promise<PaymentMethods> {
    await this.store.db.$transaction(async (tx) => {
      const flags = new FlagRepository(tx);
      const stored = new Map((await flags.all()).map((r) => [r.key, r.value as unknown]));
      for (const method of Object.keys(change) as PaymentMethod[]) {
        const next = change[method]!;
        const before = stored.get(KEY[method]) !== false;
        if (before === next) continue;
        await flags.upsert(KEY[method], next, actor);
        await flags.log({ actor, action: "payments.set", target: KEY[method], before, after: next });
      }
    });
    return this.get();
  }

  /** Throws unless the method is switched on. */
  async require(method: PaymentMethod): Promise<void> {
    if (!(await this.get())[method]) throw new ForbiddenError("payment_method_disabled", `the ${method} payment method is switched off by the operators`, { method });
  }
}
