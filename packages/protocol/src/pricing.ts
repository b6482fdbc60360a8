// Prices, quotes and credits as they cross HTTP (issue 9, docs/money.md): the
// price catalogue an operator edits, the quote a developer asks for, campaigns,
// grants and balances. One contract for the API, the CLI and the web app.
import { z } from "zod";

export const CREDITS_CURRENCY = "credits";
/** Credits are whole numbers; the cap keeps every amount a safe JSON integer. */
export const MAX_CREDITS = 1_000_000_000_000;
const credits = z.number().int().min(0).max(MAX_CREDITS);
const bps = z.number().int().min(0).max(1_000_000);
const suiteId = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/);

/**
 * A version of the price catalogue. Formulas (docs/money.md):
 * multiplierBps = 10000 + steps(turnBudget) + steps(bundleBytes) + steps(claims), capped at maxBps;
 * complexity line = ceil(suite price × (multiplierBps − 10000) / 10000).
 */
export const PriceCatalogueSchema = z.strictObject({
  currency: z.literal(CREDITS_CURRENCY),
  /** A price per suite and suite version; a suite's last entry is the version in force. */
  suites: z
    .array(z.strictObject({ suite: suiteId, version: z.string().min(1).max(32), price: credits, turnBudget: z.number().int().min(1).max(1_000_000) }))
    .min(1)
    .max(100),
  assembly: z.strictObject({
    /** Price by round-1 seat count; a size not listed costs perSeat × seats. */
    sizes: z.array(z.strictObject({ seats: z.number().int().min(1).max(1000), price: credits })).max(50),
    perSeat: credits,
  }),
  complexity: z.strictObject({
    turns: z.strictObject({ included: z.number().int().min(0), step: z.number().int().min(1), stepBps: bps }),
    bundleBytes: z.strictObject({ included: z.number().int().min(0), step: z.number().int().min(1), stepBps: bps }),
    claims: z.strictObject({ included: z.number().int().min(0), step: z.number().int().min(1), stepBps: bps }),
    /** Cap of the multiplier (10000 = ×1). */
    maxBps: z.number().int().min(10_000).max(1_000_000),
  }),
  /** How long a quote is honoured as shown. */
  quoteTtlSeconds: z.number().int().min(60).max(86_400),
});
export type PriceCatalogue = z.infer<typeof PriceCatalogueSchema>;

export const QUOTE_LINE_KINDS = ["suite", "complexity", "assembly", "discount"] as const;
export const QuoteLineSchema = z.strictObject({
  kind: z.enum(QUOTE_LINE_KINDS),
  /** Credits; a discount is negative. */
  amount: z.number().int().min(-MAX_CREDITS).max(MAX_CREDITS),
  detail: z.string(),
});
export type QuoteLine = z.infer<typeof QuoteLineSchema>;

export const QuoteSchema = z.strictObject({
  total: credits,
  currency: z.literal(CREDITS_CURRENCY),
  lines: z.array(QuoteLineSchema),
  catalogueVersion: z.number().int().min(0),
  /** The campaign whose discount applies (null: none). */
  campaign: z.strictObject({ id: z.string(), name: z.string() }).nullable(),
  expiresAt: z.string(),
});
export type Quote = z.infer<typeof QuoteSchema>;

export const CreditBalanceSchema = z.strictObject({ available: credits, held: credits, currency: z.literal(CREDITS_CURRENCY) });
export type CreditBalance = z.infer<typeof CreditBalanceSchema>;

const signedCredits = z.number().int().min(-MAX_CREDITS).max(MAX_CREDITS);

/**
 * GET /v1/agent/rewards: a validator's rewards in credits (docs/money.md
 * "Validator rewards"). `payable` is owed and not yet credited on chain,
 * `onChain` credited to its address on the Treasury and not yet withdrawn,
 * `withdrawn` the total it withdrew; `history` the latest movements, newest
 * first, each with the signed change of `payable` and of `onChain`.
 */
export const ValidatorRewardsSchema = z.strictObject({
  validatorId: z.string().uuid(),
  payable: credits,
  onChain: credits,
  withdrawn: credits,
  currency: z.literal(CREDITS_CURRENCY),
  /** Lowercase 0x address the Treasury credits (the validator's bound chain address); null: rewards stay payable until one is bound. */
  chainAddress: z.string().regex(/^0x[0-9a-f]{40}$/).nullable(),
  history: z.array(
    z.strictObject({
      entryId: z.string().uuid(),
      kind: z.enum(["reward", "payout", "withdrawal"]),
      payable: signedCredits,
      onChain: signedCredits,
      assemblyId: z.string().uuid().nullable(),
      submissionId: z.string().uuid().nullable(),
      txHash: z.string().regex(/^0x[0-9a-f]{64}$/).nullable(),
      at: z.iso.datetime(),
    }),
  ),
});
export type ValidatorRewards = z.infer<typeof ValidatorRewardsSchema>;

/** GET /v1/operator/validators/:id/rewards: the validator's view plus its payouts on the Treasury (creditRewards), oldest first. */
export const OperatorValidatorRewardsSchema = ValidatorRewardsSchema.extend({
  payouts: z.array(
    z.strictObject({
      id: z.string().uuid(),
      address: z.string().regex(/^0x[0-9a-f]{40}$/),
      amount: credits,
      /** uint256 sent, decimal text. */
      amountWei: z.string().regex(/^[0-9]{1,78}$/),
      status: z.enum(["prepared", "sent", "confirmed"]),
      txHash: z.string().regex(/^0x[0-9a-f]{64}$/).nullable(),
      blockNumber: z.number().int().min(0).nullable(),
      attempts: z.number().int().min(0),
      lastError: z.string().nullable(),
      createdAt: z.iso.datetime(),
      confirmedAt: z.iso.datetime().nullable(),
    }),
  ),
});
export type OperatorValidatorRewards = z.infer<typeof OperatorValidatorRewardsSchema>;

/** `POST /v1/operator/campaigns`. */
export const CampaignInputSchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    discount: z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("percent"), bps: z.number().int().min(1).max(10_000) }),
      z.strictObject({ kind: z.literal("fixed"), credits: z.number().int().min(1).max(MAX_CREDITS) }),
    ]),
    /** First-N: at most this many discounted submissions. */
    maxUses: z.number().int().min(1).max(10_000_000).nullable().default(null),
    perDeveloperLimit: z.number().int().min(1).max(10_000_000).nullable().default(null),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
  })
  .refine((c) => Date.parse(c.endsAt) > Date.parse(c.startsAt), { message: "endsAt must be after startsAt", path: ["endsAt"] });
export type CampaignInput = z.infer<typeof CampaignInputSchema>;

export const CampaignViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  discount: z.union([z.strictObject({ kind: z.literal("percent"), bps: z.number().int() }), z.strictObject({ kind: z.literal("fixed"), credits: z.number().int() })]),
  maxUses: z.number().int().nullable(),
  usedCount: z.number().int(),
  perDeveloperLimit: z.number().int().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  disabledAt: z.string().nullable(),
});
export type CampaignView = z.infer<typeof CampaignViewSchema>;

/** `POST /v1/operator/credits/grants`: the request key makes a retried grant post once. */
export const CreditGrantInputSchema = z.strictObject({
  developerId: z.uuid(),
  amount: z.number().int().min(1).max(MAX_CREDITS),
  requestKey: z.string().regex(/^[A-Za-z0-9_.-]{8,100}$/, "8-100 characters of A-Z, a-z, 0-9, '_', '.', '-'"),
  reason: z.string().min(1).max(500),
});
export type CreditGrantInput = z.infer<typeof CreditGrantInputSchema>;

/** `POST /v1/operator/vouchers`: a code worth `amount` credits, redeemable by up to `maxUses` developers (once each) until `expiresAt`. */
export const VoucherInputSchema = z.strictObject({
  amount: z.number().int().min(1).max(MAX_CREDITS),
  maxUses: z.number().int().min(1).max(1_000_000),
  expiresAt: z.iso.datetime(),
});
export type VoucherInput = z.infer<typeof VoucherInputSchema>;

export const VoucherViewSchema = z.strictObject({
  id: z.string(),
  /** Non-secret start of the code, to tell vouchers apart. */
  prefix: z.string(),
  amount: z.number().int(),
  maxUses: z.number().int(),
  usedCount: z.number().int(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type VoucherView = z.infer<typeof VoucherViewSchema>;

/** The code is shown once, here; only its SHA-256 is stored. */
export const CreatedVoucherSchema = z.strictObject({ voucher: VoucherViewSchema, code: z.string() });
export type CreatedVoucher = z.infer<typeof CreatedVoucherSchema>;

export const VOUCHER_CODE_PATTERN = /^vch_[a-z0-9]{8}_[A-Za-z0-9_-]{22}$/;
/** `POST /v1/developer/credits/redeem`. */
export const RedeemVoucherBodySchema = z.strictObject({ code: z.string().regex(VOUCHER_CODE_PATTERN, "not a voucher code") });
export type RedeemVoucherBody = z.infer<typeof RedeemVoucherBodySchema>;

export const RedeemedVoucherSchema = z.strictObject({ credited: z.number().int(), balance: CreditBalanceSchema });
export type RedeemedVoucher = z.infer<typeof RedeemedVoucherSchema>;

/** Payment methods an operator can switch off (on-chain deposits are not offered yet). */
export const PaymentMethodsSchema = z.strictObject({ prepaid: z.boolean(), vouchers: z.boolean(), deposits: z.boolean() });
export type PaymentMethods = z.infer<typeof PaymentMethodsSchema>;
/** `PUT /v1/operator/payment-methods`: the switches to change. */
export const PaymentMethodsChangeSchema = PaymentMethodsSchema.partial().refine((c) => Object.keys(c).length > 0, { message: "name at least one payment method" });
export type PaymentMethodsChange = z.infer<typeof PaymentMethodsChangeSchema>;
