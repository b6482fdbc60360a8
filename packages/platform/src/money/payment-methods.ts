// Payment methods an operator can switch off (docs/money.md): prepaid credits
// granted by operators, vouchers, and on-chain deposits. They are the registry's
// flags `payments.prepaid`, `payments.vouchers` and `payments.deposits` (default
// on), read and changed only through FlagService; a change writes its audit-log
// row (`payments.set`) in the same transaction. A method that is off refuses new
// grants / voucher creation and redemption (403 payment_method_disabled);
// credits already in the ledger stay usable. Deposits off:
// `POST /v1/developer/deposits` answers 403 and the deposit indexer pauses at its
// cursor (deposits made meanwhile are credited, once, when the method is
// switched back on: the ether is already in the Treasury).
import type { PaymentMethods, PaymentMethodsChange } from "@assay/protocol";
import { ForbiddenError } from "../errors";
import type { FlagService } from "../flags";

const KEY = { prepaid: "payments.prepaid", vouchers: "payments.vouchers", deposits: "payments.deposits" } as const;
export type PaymentMethod = keyof typeof KEY;

export class PaymentMethodsService {
  constructor(private readonly flags: Pick<FlagService, "get" | "update">) {}

  async get(): Promise<PaymentMethods> {
    return { prepaid: await this.flags.get(KEY.prepaid), vouchers: await this.flags.get(KEY.vouchers), deposits: await this.flags.get(KEY.deposits) };
  }

  async set(change: PaymentMethodsChange, actor: string): Promise<PaymentMethods> {
    const current = await this.get();
    const changes = Object.fromEntries((Object.keys(change) as PaymentMethod[]).filter((m) => change[m] !== current[m]).map((m) => [KEY[m], change[m]!]));
    if (Object.keys(changes).length > 0) await this.flags.update(changes, actor, { action: "payments.set" });
    return this.get();
  }

  /** Throws unless the method is switched on. */
  async require(method: PaymentMethod): Promise<void> {
    if (!(await this.get())[method]) throw new ForbiddenError("payment_method_disabled", `the ${method} payment method is switched off by the operators`, { method });
  }
}
