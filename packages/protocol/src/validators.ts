// Validator shapes that cross HTTP (docs/decisions/0009, 0012): agent-plane
// activation and challenge → token, the operator's admission actions, and the
// validator view both planes return. The API validates with these; the web app
// and the demo agents import them.
import { z } from "zod";
import { searchTerm } from "./search-term";

const base64url = (bytes: number) =>
  z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}$`), `expected ${bytes} bytes as base64url without padding`);

/** Raw 32-byte Ed25519 public key, base64url without padding (small-order keys are refused by the server). */
export const ValidatorPublicKeySchema = base64url(32);

/** A positive integer below 10^18 as decimal text: stakes fit the 64-bit stake column. */
export const StakeAmountText = z.string().regex(/^[1-9][0-9]{0,17}$/, "a positive integer below 10^18");

export const ChainAddressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "expected a 0x address (40 hex digits)")
  .transform((v) => v.toLowerCase());

/** What the staking address signs (EIP-191 personal_sign) to bind its on-chain stake to a validator key. */
export const CHAIN_BINDING_PREFIX = "assay.validator-chain-binding/v1";
export const chainBindingMessage = (publicKey: string): string => `${CHAIN_BINDING_PREFIX}\n${publicKey}`;

export const ActivateValidatorBody = z
  .strictObject({
    publicKey: ValidatorPublicKeySchema,
    /** Self-declared stake, informational only: the draw weighs the indexed or operator-approved stake. */
    stake: StakeAmountText,
    kind: z.enum(["person", "agent"]),
    modelFamily: z.string().trim().min(1).max(64).optional(),
    name: z.string().trim().min(1).max(100).optional(),
    /** Staking address on the ValidatorRegistry (chain mode): the stake indexer admits the validator when it sees the stake. */
    chainAddress: ChainAddressSchema.optional(),
    /** EIP-191 signature by chainAddress over chainBindingMessage(publicKey): proves the address is the caller's. */
    chainSignature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "expected a 65-byte signature as 0x + 130 hex digits").optional(),
  })
  .refine((b) => (b.chainAddress === undefined) === (b.chainSignature === undefined), {
    message: "chainAddress and chainSignature go together",
    path: ["chainSignature"],
  });
export type ActivateValidatorBody = z.infer<typeof ActivateValidatorBody>;

export const ChallengeBody = z.strictObject({ publicKey: ValidatorPublicKeySchema });
export type ChallengeBody = z.infer<typeof ChallengeBody>;
export const TokenBody = z.strictObject({ nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/), signature: base64url(64) });
export type TokenBody = z.infer<typeof TokenBody>;

export const VALIDATOR_STANDINGS = ["pending", "active", "probation", "suspended"] as const;
export const ValidatorStandingSchema = z.enum(VALIDATOR_STANDINGS);

export const ValidatorViewSchema = z.object({
  id: z.string().uuid(),
  publicKey: z.string(),
  name: z.string().nullable(),
  kind: z.enum(["person", "agent"]),
  modelFamily: z.string().nullable(),
  /** The stake the draw weighs (indexed on chain or approved by an operator; 0 while pending). */
  stake: z.string(),
  /** What the validator declared at activation: never a draw weight. */
  declaredStake: z.string(),
  reputationBps: z.number().int(),
  standing: ValidatorStandingSchema,
  developerId: z.string().nullable(),
  chainAddress: z.string().nullable(),
  admittedAt: z.string().nullable(),
  admittedBy: z.string().nullable(),
  createdAt: z.string(),
});
export type ValidatorViewBody = z.infer<typeof ValidatorViewSchema>;

const reason = z.string().trim().min(1).max(2_000);

/** Operator plane, admin: admit a pending validator with the stake the draw will weigh. */
export const ApproveValidatorBody = z.strictObject({ stake: StakeAmountText, reason: reason.optional() });
export const SuspendValidatorBody = z.strictObject({ reason });
export const ReinstateValidatorBody = z.strictObject({ reason: reason.optional() });
/** Slash `amount` stake units (at most the current stake); mirrored on chain when the validator stakes there. */
export const SlashValidatorBody = z.strictObject({ amount: StakeAmountText, reason });
export const BindValidatorBody = z.strictObject({ developerId: z.string().uuid() });
export type ApproveValidatorBody = z.infer<typeof ApproveValidatorBody>;
export type SuspendValidatorBody = z.infer<typeof SuspendValidatorBody>;
export type ReinstateValidatorBody = z.infer<typeof ReinstateValidatorBody>;
export type SlashValidatorBody = z.infer<typeof SlashValidatorBody>;
export type BindValidatorBody = z.infer<typeof BindValidatorBody>;

export const ValidatorIdParams = z.strictObject({ id: z.string().uuid() });
/**
 * Operator list filter: e.g. `?standing=pending`, the admission queue (oldest
 * first; without a standing: by reputation); `q` matches the name (contains, any
 * case), the id or the public key (prefix); cursor-paginated (decision 0032).
 */
export const ValidatorListQuery = z.strictObject({
  standing: ValidatorStandingSchema.optional(),
  q: searchTerm(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/** Answer of every operator action on a validator: the validator after it, and the audit-log row written. */
export const ValidatorActionResultSchema = z.object({
  validator: ValidatorViewSchema,
  auditLogId: z.string().uuid(),
  /** Suspension: open seats voided (and re-drawn by the assembly). */
  voidedSeats: z.number().int().nonnegative().optional(),
  /** Slash: the outbox event mirroring it on chain, when the validator stakes there. */
  chainMirror: z.enum(["queued", "not_on_chain"]).optional(),
});
export type ValidatorActionResult = z.infer<typeof ValidatorActionResultSchema>;

/** The machine-readable codes of refusals on the agent plane's unauthenticated routes (429). */
export const AGENT_RATE_LIMIT_CODES = ["rate_limited", "pending_validators_full"] as const;

/** The challenge message a validator signs (Ed25519, UTF-8 bytes): the server sends it in full, clients may check its form. */
export const AGENT_CHALLENGE_PREFIX = "assay.agent-challenge/v1";

/**
 * Files that hold validator keys (never sent to the server). The launcher's
 * demo agents keep `.assay/validators.json` as `{ keys: { <name>: <PKCS#8 PEM> } }`;
 * one key on its own (what the web's validator portal offers as a download) is
 * `{ format: "assay.validator-key/v1", publicKey, privateKeyPem, name? }`.
 */
export const PKCS8_PEM_PATTERN = /^-----BEGIN PRIVATE KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PRIVATE KEY-----\s*$/;
export const Pkcs8PemSchema = z.string().trim().regex(PKCS8_PEM_PATTERN, "expected a PKCS#8 PEM private key");
export const ValidatorKeysFileSchema = z.object({ keys: z.record(z.string().min(1).max(100), Pkcs8PemSchema) });
export type ValidatorKeysFile = z.infer<typeof ValidatorKeysFileSchema>;
export const VALIDATOR_KEY_FILE_FORMAT = "assay.validator-key/v1";
export const ValidatorKeyFileSchema = z.object({
  format: z.literal(VALIDATOR_KEY_FILE_FORMAT),
  publicKey: ValidatorPublicKeySchema,
  privateKeyPem: Pkcs8PemSchema,
  name: z.string().max(100).optional(),
});
export type ValidatorKeyFile = z.infer<typeof ValidatorKeyFileSchema>;
