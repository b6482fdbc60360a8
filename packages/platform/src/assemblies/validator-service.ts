// Validators on the agent plane: activation with an Ed25519 public key, stake and
// kind; challenge → token (the validator signs the server's nonce with its key;
// the server verifies Ed25519 and issues a short-lived agent-audience JWT); and
// the validator's own view (reputation, stake, history).
import { createPublicKey, randomBytes, verify as verifySignature } from "node:crypto";
import { z } from "zod";
import { ConflictError, NotFoundError, UnauthorizedError } from "../errors";
import type { Store } from "../repositories";
import { SessionTokens } from "../services/session-tokens";
import { isUniqueViolation } from "../services/unique-violation";
import type { FlagService } from "./flag-service";
import { ValidatorRepository } from "./repositories";

/** What a validator signs: this prefix, a newline, and the nonce (domain separation: a signature here is useless elsewhere). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const CHALLENGE_PREFIX = "assay.agent-challenge/v1";
export const challengeMessage = (nonce: string): string => `${CHALLENGE_PREFIX}\n${nonce}`;

const base64url = (bytes: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}$`), `expected ${bytes} bytes as base64url without padding`);
export const PublicKeySchema = base64url(32);

export const ActivateBody = z.strictObject({
  publicKey: PublicKeySchema,
  /** Stake in the smallest unit, as decimal text. */
  stake: z.string().regex(/^[1-9][0-9]{0,17}$/, "a positive integer below 10^18"),
  kind: z.enum(["person", "agent"]),
  modelFamily: z.string().trim().min(1).max(64).optional(),
  name: z.string().trim().min(1).max(100).optional(),
});
export type ActivateBody = z.infer<typeof ActivateBody>;

export const ChallengeBody = z.strictObject({ publicKey: PublicKeySchema });
export const TokenBody = z.strictObject({ nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/), signature: base64url(64) });

export type ValidatorView = {
  id: string;
  publicKey: string;
  name: string | null;
  kind: "person" | "agent";
  modelFamily: string | null;
  stake: string;
  reputationBps: number;
  standing: string;
  createdAt: string;
};

export function validatorView(v: { id: string; publicKey: string; name: string | null; kind: "person" | "agent"; modelFamily: string | null; stake: bigint; reputationBps: number; standing: string; createdAt: Date }): ValidatorView {
  return {
    id: v.id,
    publicKey: v.publicKey,
    name: v.name,
    kind: v.kind,
    modelFamily: v.modelFamily,
    stake: v.stake.toString(),
    reputationBps: v.reputationBps,
    standing: v.standing,
    createdAt: v.createdAt.toISOString(),
  };
}

export class ValidatorService {
  private readonly agentTokens: SessionTokens;

  constructor(
    private readonly store: Store,
    private readonly flags: FlagService,
    sessionSecret: string,
    private readonly options: { challengeTtlSeconds: number; tokenTtlSeconds: number } = { challengeTtlSeconds: 120, tokenTtlSeconds: 900 },
    private readonly clock: () => Date = () => new Date(),
  ) {
    // Same secret and derivation as the platform's tokens (so every plane guard verifies it), shorter lifetime.
    this.agentTokens = new SessionTokens(sessionSecret, options.tokenTtlSeconds, clock);
  }

  async activate(body: ActivateBody): Promise<ValidatorView> {
    const params = await this.flags.assemblyParams();
    try {
      const row = await new ValidatorRepository(this.store.db).create({
        publicKey: body.publicKey,
        name: body.name ?? null,
        kind: body.kind,
        modelFamily: body.kind === "agent" ? (body.modelFamily ?? null) : null,
        stake: BigInt(body.stake),
        reputationBps: params.initialReputationBps,
        developerId: null,
      });
      return validatorView(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError("validator_exists", "a validator with this public key is already active");
      throw err;
    }
  }

  async challenge(publicKey: string): Promise<{ nonce: string; message: string; expiresAt: string }> {
    const repo = new ValidatorRepository(this.store.db);
    const validator = await repo.findByPublicKey(publicKey);
    if (!validator) throw new NotFoundError("validator_not_found", "no validator with this public key; activate first");
    const nonce = randomBytes(32).toString("base64url");
    const expiresAt = new Date(this.clock().getTime() + this.options.challengeTtlSeconds * 1000);
    await repo.createChallenge({ validatorId: validator.id, nonce, expiresAt });
    return { nonce, message: challengeMessage(nonce), expiresAt: expiresAt.toISOString() };
  }

  /** Exchanges a signed challenge for an agent session token. Any failure is the same 401 (no oracle). */
  async token(body: z.infer<typeof TokenBody>): Promise<{ token: string; expiresAt: string; validatorId: string }> {
    const repo = new ValidatorRepository(this.store.db);
    const challenge = await repo.findChallenge(body.nonce);
    const refuse = (detail: string) => new UnauthorizedError("challenge_invalid", `the challenge response is not valid: ${detail}`);
    if (!challenge) throw refuse("unknown nonce");
    if (challenge.usedAt) throw refuse("nonce already used");
    if (challenge.expiresAt.getTime() <= this.clock().getTime()) throw refuse("nonce expired");
    const validator = await repo.findById(challenge.validatorId);
    if (!validator) throw refuse("unknown validator");
    if (!verifyEd25519(validator.publicKey, challengeMessage(body.nonce), body.signature)) throw refuse("bad signature");
    if (!(await repo.useChallenge(challenge.id, this.clock()))) throw refuse("nonce already used");
    if (validator.standing === "suspended") throw new UnauthorizedError("validator_suspended", "this validator is suspended");
    const issued = await this.agentTokens.issue("agent", validator.id);
    return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), validatorId: validator.id };
  }

  /** The standing of a validator, or null when there is none with this id. */
  async standingOf(validatorId: string): Promise<string | null> {
    if (!UUID.test(validatorId)) return null;
    return (await new ValidatorRepository(this.store.db).findById(validatorId))?.standing ?? null;
  }

  async me(validatorId: string) {
    const repo = new ValidatorRepository(this.store.db);
    const validator = await repo.findById(validatorId);
    if (!validator) throw new NotFoundError("validator_not_found", "this validator no longer exists");
    const events = await repo.reputationEvents(validatorId, 50);
    const seats = await repo.seatsOf(validatorId, 50);
    return {
      ...validatorView(validator),
      history: {
        reputation: events.map((e) => ({
          assemblyId: e.assemblyId,
          round: e.round,
          role: e.role,
          reputationBefore: e.reputationBefore,
          reputationAfter: e.reputationAfter,
          stakeSlashed: e.stakeSlashed.toString(),
          reward: e.reward.toString(),
          stakeDelta: e.stakeDelta.toString(),
          at: e.createdAt.toISOString(),
        })),
        seats: seats.map((s) => ({ assemblyId: s.assemblyId, submissionId: s.assembly.submissionId, round: s.round, weight: s.weight, assemblyStatus: s.assembly.status })),
      },
    };
  }

  async list(limit = 200): Promise<ValidatorView[]> {
    return (await new ValidatorRepository(this.store.db).list(limit)).map(validatorView);
  }
}

export function verifyEd25519(publicKey: string, message: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: publicKey }, format: "jwk" });
    return verifySignature(null, Buffer.from(message, "utf8"), key, Buffer.from(signature, "base64url"));
  } catch {
    return false;
  }
}

