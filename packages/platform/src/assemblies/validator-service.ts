// Validators on the agent plane: activation with an Ed25519 public key and kind
// creates a *pending* validator (docs/decisions/0012: drawable only once admitted
// by its indexed on-chain stake or by an operator; the stake it declares is kept
// but never weighed); challenge → token (the validator signs the server's nonce
// with its key; the server verifies Ed25519 strictly and issues a short-lived
// agent-audience JWT); and the validator's own view (reputation, stake, history).
import { randomBytes } from "node:crypto";
import { ActivateValidatorBody, AGENT_CHALLENGE_PREFIX, chainBindingMessage, ChallengeBody, TokenBody, ValidatorPublicKeySchema, type AgentHistory, type ValidatorViewBody } from "@assay/protocol";
import { recoverMessageAddress, type Hex } from "viem";
import type { z } from "zod";
import { ed25519PublicKeyProblem, verifyEd25519Strict } from "../crypto/ed25519-strict";
import { ConflictError, NotFoundError, RateLimitedError, UnauthorizedError, ValidationError } from "../errors";
import type { Store } from "../repositories";
import { WEI_PER_STAKE_UNIT } from "../repositories/stake-repositories";
import { SessionTokens } from "../services/session-tokens";
import { decodeInstantCursor, decodeNumberCursor, encodeInstantCursor, encodeNumberCursor, pageOf, type Page } from "../services/page-cursor";
import { isUniqueViolation } from "../services/unique-violation";
import type { FlagService } from "../flags";
import { ValidatorRepository } from "./repositories";
import { ValidatorAdmissionRepository } from "./validator-admission-repository";

/** What a validator signs: this prefix, a newline, and the nonce (domain separation: a signature here is useless elsewhere). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const CHALLENGE_PREFIX = AGENT_CHALLENGE_PREFIX;
export const challengeMessage = (nonce: string): string => `${CHALLENGE_PREFIX}\n${nonce}`;

// The HTTP shapes live in @assay/protocol (one contract for server, agents and web).
export { ChallengeBody, TokenBody };
export const PublicKeySchema = ValidatorPublicKeySchema;
export const ActivateBody = ActivateValidatorBody;
export type ActivateBody = z.infer<typeof ActivateValidatorBody>;

export type ValidatorView = ValidatorViewBody;

type ValidatorRowLike = {
  id: string;
  publicKey: string;
  name: string | null;
  kind: "person" | "agent";
  modelFamily: string | null;
  stake: bigint;
  declaredStake: bigint;
  reputationBps: number;
  standing: ValidatorView["standing"];
  developerId: string | null;
  chainAddress: string | null;
  admittedAt: Date | null;
  admittedBy: string | null;
  createdAt: Date;
};

export function validatorView(v: ValidatorRowLike): ValidatorView {
  return {
    id: v.id,
    publicKey: v.publicKey,
    name: v.name,
    kind: v.kind,
    modelFamily: v.modelFamily,
    stake: v.stake.toString(),
    declaredStake: v.declaredStake.toString(),
    reputationBps: v.reputationBps,
    standing: v.standing,
    developerId: v.developerId,
    chainAddress: v.chainAddress,
    admittedAt: v.admittedAt?.toISOString() ?? null,
    admittedBy: v.admittedBy,
    createdAt: v.createdAt.toISOString(),
  };
}

export class ValidatorService {
  private readonly agentTokens: SessionTokens;

  constructor(
    private readonly store: Store,
    private readonly flags: FlagService,
    sessionSecret: string,
    private readonly options: { challengeTtlSeconds: number; tokenTtlSeconds: number; maxPending: number } = { challengeTtlSeconds: 120, tokenTtlSeconds: 900, maxPending: 200 },
    private readonly clock: () => Date = () => new Date(),
  ) {
    // Same secret and derivation as the platform's tokens (so every plane guard verifies it), shorter lifetime.
    this.agentTokens = new SessionTokens(sessionSecret, options.tokenTtlSeconds, clock);
  }

  /**
   * Creates a pending validator (stake 0, the declared figure kept apart). Refused:
   * a small-order or malformed key (400 public_key_weak), a chain binding whose
   * signature is not the address's (400 chain_binding_invalid), the pending cap
   * reached (429 pending_validators_full, nothing written), a known key (409).
   * With a chain address whose stake is already indexed, it is admitted at once.
   */
  async activate(body: ActivateBody): Promise<ValidatorView> {
    const problem = ed25519PublicKeyProblem(body.publicKey);
    if (problem) {
      throw new ValidationError("public_key_weak", `the public key is not usable for Ed25519 (${problem.replace("_", " ")})`, [{ path: "publicKey", message: problem }]);
    }
    if (body.chainAddress && !(await this.chainBindingHolds(body.publicKey, body.chainAddress, body.chainSignature!))) {
      throw new ValidationError("chain_binding_invalid", "chainSignature is not the chain address's signature over the binding message", [
        { path: "chainSignature", message: `expected personal_sign of "${chainBindingMessage(body.publicKey).replace("\n", "\\n")}" by ${body.chainAddress}` },
      ]);
    }
    const params = await this.flags.assemblyParams();
    try {
      const row = await this.store.db.$transaction(async (tx) => {
        const repo = new ValidatorAdmissionRepository(tx);
        await repo.lockPendingCap();
        if ((await repo.pendingCount()) >= this.options.maxPending) {
          throw new RateLimitedError("pending_validators_full", `${this.options.maxPending} validators are already waiting for admission; try again later`, 600);
        }
        const created = await repo.createPending({
          publicKey: body.publicKey,
          name: body.name ?? null,
          kind: body.kind,
          modelFamily: body.kind === "agent" ? (body.modelFamily ?? null) : null,
          declaredStake: BigInt(body.stake),
          reputationBps: params.initialReputationBps,
          chainAddress: body.chainAddress ?? null,
        });
        if (!body.chainAddress) return created;
        // Stake indexed before the key was declared: admit now, as the indexer would have.
        const indexed = await repo.lastStakeTx(body.chainAddress);
        if (!indexed || indexed.active / WEI_PER_STAKE_UNIT <= 0n) return created;
        return repo.update(created.id, { standing: "active", stake: indexed.active / WEI_PER_STAKE_UNIT, admittedAt: this.clock(), admittedBy: `chain:${indexed.txHash}` });
      });
      return validatorView(row);
    } catch (err) {
      if (isUniqueViolation(err)) {
        const byKey = await new ValidatorRepository(this.store.db).findByPublicKey(body.publicKey);
        if (byKey) throw new ConflictError("validator_exists", "a validator with this public key is already active");
        throw new ConflictError("chain_address_taken", "another validator already stakes from this chain address");
      }
      throw err;
    }
  }

  private async chainBindingHolds(publicKey: string, address: string, signature: string): Promise<boolean> {
    try {
      const signer = await recoverMessageAddress({ message: chainBindingMessage(publicKey), signature: signature as Hex });
      return signer.toLowerCase() === address.toLowerCase();
    } catch {
      return false;
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
    if (!verifyEd25519Strict(validator.publicKey, challengeMessage(body.nonce), body.signature)) throw refuse("bad signature");
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

  /** Reputation and stake after each settled seat, newest first, in keyset pages (GET /v1/agent/history). */
  async history(validatorId: string, query: { cursor?: string; limit?: number }): Promise<AgentHistory> {
    const repo = new ValidatorRepository(this.store.db);
    const validator = await repo.findById(validatorId);
    if (!validator) throw new NotFoundError("validator_not_found", "this validator no longer exists");
    const limit = query.limit ?? 200;
    const rows = await repo.reputationHistory(validatorId, { before: query.cursor === undefined ? undefined : decodeHistoryCursor(query.cursor), limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      validatorId,
      current: { at: this.clock().toISOString(), reputationBps: validator.reputationBps, stake: validator.stake.toString() },
      points: page.map((e) => ({
        at: e.createdAt.toISOString(),
        assemblyId: e.assemblyId,
        round: e.round,
        role: e.role,
        reputationBefore: e.reputationBefore,
        reputationAfter: e.reputationAfter,
        stakeBefore: e.stakeBefore.toString(),
        stakeAfter: (e.stakeBefore + e.stakeDelta).toString(),
        stakeSlashed: e.stakeSlashed.toString(),
        reward: e.reward.toString(),
      })),
      nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString("base64url") : null,
    };
  }

  /** The validator with this public key, or null (the launcher admits its demo agents by key). */
  async findByPublicKey(publicKey: string): Promise<ValidatorView | null> {
    const row = await new ValidatorRepository(this.store.db).findByPublicKey(publicKey);
    return row ? validatorView(row) : null;
  }

  /** One page of the operator's list (decision 0032): filters on the server, keyset cursor. */
  async page(filter: { standing?: ValidatorView["standing"]; q?: string; cursor?: string; limit?: number }): Promise<Page<ValidatorView>> {
    const limit = filter.limit ?? 200;
    const after = filter.cursor ? (filter.standing ? decodeInstantCursor(filter.cursor) : decodeNumberCursor(filter.cursor)) : undefined;
    const rows = await new ValidatorRepository(this.store.db).page({ standing: filter.standing, q: filter.q, after, limit: limit + 1 });
    return pageOf(rows, limit, validatorView, (r) =>
      filter.standing ? encodeInstantCursor({ at: r.createdAt, id: r.id }) : encodeNumberCursor({ value: r.reputationBps, id: r.id }),
    );
  }

  /** Validators by reputation, or those of one standing oldest first (`pending`: the admission queue). */
  async list(limit = 200, standing?: ValidatorView["standing"]): Promise<ValidatorView[]> {
    const rows = standing ? await new ValidatorAdmissionRepository(this.store.db).listByStanding(standing, limit) : await new ValidatorRepository(this.store.db).list(limit);
    return rows.map(validatorView);
  }
}

const HISTORY_CURSOR_INSTANT = /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Only what history() writes: an instant PostgreSQL can hold and a row id; anything else is a 400, never a query. */
function decodeHistoryCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    if (typeof createdAt !== "string" || !HISTORY_CURSOR_INSTANT.test(createdAt) || typeof id !== "string" || !UUID.test(id)) throw new Error("bad cursor");
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || date.toISOString() !== createdAt) throw new Error("bad cursor");
    return { createdAt: date, id };
  } catch {
    throw new ValidationError("cursor_invalid", "the pagination cursor is not valid", [{ path: "cursor", message: "not a cursor from this API" }]);
  }
}

/** Strict Ed25519 (small-order keys and R refused): see crypto/ed25519-strict.ts. */
export const verifyEd25519 = verifyEd25519Strict;

