// On-chain deposits as they cross HTTP (issue 9, docs/money.md "On-chain
// deposits"): the deposit reference that binds a Treasury.depositFee call to a
// developer account, what a developer needs to deposit, and the answer to
// `POST /v1/developer/deposits { txHash }`. One contract for the API, the CLI
// and the web app.
import { z } from "zod";
import { searchTerm } from "./search-term";
import { CreditBalanceSchema } from "./pricing";

/**
 * The 16 ASCII bytes every deposit reference starts with ("assay-deposit-v1"),
 * followed by the 16 bytes of the developer id (a UUID): the bytes32 argument
 * of Treasury.depositFee. Reversible and computable by anyone who knows the
 * developer id; depositing for someone only ever gives them credits, so the
 * reference needs no signature.
 */
export const DEPOSIT_REFERENCE_TAG = "assay-deposit-v1";
// No Buffer: the web app imports this module too.
const TAG_HEX = [...DEPOSIT_REFERENCE_TAG].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
export const TX_HASH = /^0x[0-9a-fA-F]{64}$/;

/** The bytes32 reference of a developer (lowercase 0x + 64 hex). */
export function depositReference(developerId: string): `0x${string}` {
  const id = developerId.toLowerCase();
  if (!UUID.test(id)) throw new Error(`not a developer id: ${JSON.stringify(developerId)}`);
  return `0x${TAG_HEX}${id.replace(/-/g, "")}`;
}

/** The developer id a reference names, or null when it is not a deposit reference (another tag, not bytes32). */
export function developerOfReference(reference: string): string | null {
  if (!BYTES32.test(reference)) return null;
  const hex = reference.slice(2).toLowerCase();
  if (!hex.startsWith(TAG_HEX)) return null;
  const id = hex.slice(32);
  return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
}

const weiString = z.string().regex(/^[0-9]{1,78}$/, "wei as a decimal string");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

/** `POST /v1/developer/deposits`: a transaction that called Treasury.depositFee. */
export const DepositClaimBodySchema = z.strictObject({
  txHash: z.string().regex(TX_HASH, "expected a transaction hash (0x + 64 hex digits)").transform((h) => h.toLowerCase()),
});
export type DepositClaimBody = z.infer<typeof DepositClaimBodySchema>;

export const DEPOSIT_STATUSES = ["credited", "unassigned"] as const;
export const DEPOSIT_UNASSIGNED_REASONS = ["unknown_reference", "below_one_credit"] as const;

/** One FeeDeposited log as recorded (confirmed). */
export const DepositViewSchema = z.strictObject({
  chainId: z.number().int(),
  txHash: z.string(),
  logIndex: z.number().int().min(0),
  blockNumber: z.string().regex(/^[0-9]+$/),
  reference: z.string(),
  payer: z.string(),
  amountWei: weiString,
  credits: z.number().int().min(0),
  status: z.enum(DEPOSIT_STATUSES),
  reason: z.enum(DEPOSIT_UNASSIGNED_REASONS).nullable(),
  /** True when the deposit credited the caller. */
  mine: z.boolean(),
  recordedAt: z.string(),
});
export type DepositView = z.infer<typeof DepositViewSchema>;

/**
 * The answer to a deposit claim: `pending` while the transaction is unmined or
 * has fewer confirmations than required (nothing recorded yet: ask again),
 * `confirmed` once its FeeDeposited logs are recorded (`credited` is what this
 * claim or an earlier sighting gave the caller; 0 for a deposit to another
 * account or to no account).
 */
export const DepositClaimSchema = z.strictObject({
  txHash: z.string(),
  status: z.enum(["pending", "confirmed"]),
  confirmations: z.number().int().min(0),
  required: z.number().int().min(1),
  deposits: z.array(DepositViewSchema),
  /** Credits these deposits gave the caller (0 while pending). */
  credited: z.number().int().min(0),
  balance: CreditBalanceSchema,
});
export type DepositClaim = z.infer<typeof DepositClaimSchema>;

/** `GET /v1/developer/deposits`: how to deposit, and the caller's recorded deposits (newest first). */
export const DepositInfoSchema = z.strictObject({
  /** Operators' switch `payments.deposits` and a configured chain. */
  enabled: z.boolean(),
  chainId: z.number().int().nullable(),
  treasury: address.nullable(),
  /** The bytes32 argument of Treasury.depositFee that credits the caller. */
  reference: z.string().regex(BYTES32),
  /** Credits = floor(wei / weiPerCredit). */
  weiPerCredit: weiString,
  confirmations: z.number().int().min(1),
  deposits: z.array(DepositViewSchema),
});
export type DepositInfo = z.infer<typeof DepositInfoSchema>;

/**
 * `GET /v1/operator/deposits`: recorded deposits, newest first (e.g. `?status=unassigned`: the ones that credited nobody);
 * `q`: a transaction hash, a payer address or a developer id (exact, any case); cursor-paginated (decision 0032:
 * `limit` 1–500, default 100; `cursor` is the answer's `nextCursor`).
 */
export const OperatorDepositQuerySchema = z.strictObject({
  status: z.enum(DEPOSIT_STATUSES).optional(),
  q: searchTerm(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type OperatorDepositQuery = z.infer<typeof OperatorDepositQuerySchema>;

export const OperatorDepositSchema = DepositViewSchema.omit({ mine: true }).extend({
  blockHash: z.string(),
  treasury: z.string(),
  /** The developer credited (or, below one credit, named); null for an unknown reference. */
  developerId: z.string().nullable(),
  /** indexer | api: who recorded it first. */
  source: z.enum(["indexer", "api"]),
});
export type OperatorDeposit = z.infer<typeof OperatorDepositSchema>;
export const OperatorDepositListSchema = z.strictObject({
  deposits: z.array(OperatorDepositSchema),
  /** The next page's cursor; null on the last page (optional so older servers still parse). */
  nextCursor: z.string().nullable().optional(),
});
export type OperatorDepositList = z.infer<typeof OperatorDepositListSchema>;
