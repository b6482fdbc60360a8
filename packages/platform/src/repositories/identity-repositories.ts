// Developers, API keys and operator accounts.
import type { OperatorRole } from "../generated/prisma";
import type { DbClient } from "./types";

export class DeveloperRepository {
  constructor(private readonly db: DbClient) {}

  create(input: { email: string; name: string; passwordHash?: string }) {
    return this.db.developer.create({ data: input });
  }

  findById(id: string) {
    return this.db.developer.findUnique({ where: { id } });
  }

  findByEmail(email: string) {
    return this.db.developer.findUnique({ where: { email } });
  }
}

/** Portal sessions (docs/decisions/0029): only the SHA-256 of the cookie's token is stored. */
export class DeveloperSessionRepository {
  constructor(private readonly db: DbClient) {}

  create(input: { developerId: string; tokenHash: string; csrfToken: string; expiresAt: Date }) {
    return this.db.developerSession.create({ data: input });
  }

  /** The unexpired session with this token hash, or null. */
  findLive(tokenHash: string, now: Date) {
    return this.db.developerSession.findFirst({ where: { tokenHash, expiresAt: { gt: now } } });
  }

  /** Sign-out: the session ends at once (returns how many rows went). */
  async delete(id: string): Promise<number> {
    return (await this.db.developerSession.deleteMany({ where: { id } })).count;
  }

  /** Expired sessions of a developer go when they sign in again (the table does not grow without bound). */
  async deleteExpired(developerId: string, now: Date): Promise<void> {
    await this.db.developerSession.deleteMany({ where: { developerId, expiresAt: { lte: now } } });
  }
}

export class ApiKeyRepository {
  constructor(private readonly db: DbClient) {}

  create(input: { developerId: string; name: string; prefix: string; keyHash: string }) {
    return this.db.apiKey.create({ data: input });
  }

  findActiveByHash(keyHash: string) {
    return this.db.apiKey.findFirst({ where: { keyHash, revokedAt: null } });
  }

  listForDeveloper(developerId: string) {
    return this.db.apiKey.findMany({ where: { developerId }, orderBy: { createdAt: "asc" } });
  }

  /** Returns the number of keys revoked (0 when not found or not the owner's). */
  async revoke(id: string, developerId: string, at: Date): Promise<number> {
    const result = await this.db.apiKey.updateMany({ where: { id, developerId, revokedAt: null }, data: { revokedAt: at } });
    return result.count;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
  }
}

export class OperatorRepository {
  constructor(private readonly db: DbClient) {}

  create(input: { email: string; passwordHash: string; totpSecretEncrypted: string; role: OperatorRole }) {
    return this.db.operator.create({ data: input });
  }

  findByEmail(email: string) {
    return this.db.operator.findUnique({ where: { email } });
  }

  findById(id: string) {
    return this.db.operator.findUnique({ where: { id } });
  }

  /**
   * Counts a failed login against `email` and locks the account until
   * `lockUntil` once the count reaches `threshold` — unless it is locked now
   * (failures during a lock neither count nor extend it). The same two
   * statements run whether or not the email exists (they then touch no row),
   * so a failure costs the same for unknown and known accounts.
   */
  async recordFailedLogin(input: { email: string; now: Date; threshold: number; lockUntil: Date }): Promise<void> {
    const notLocked = [{ lockedUntil: null }, { lockedUntil: { lte: input.now } }];
    await this.db.operator.updateMany({ where: { email: input.email, OR: notLocked }, data: { failedLogins: { increment: 1 } } });
    await this.db.operator.updateMany({
      where: { email: input.email, failedLogins: { gte: input.threshold }, OR: notLocked },
      data: { lockedUntil: input.lockUntil },
    });
  }

  /** A successful login clears the failure count and any lock. */
  async clearFailedLogins(id: string): Promise<void> {
    await this.db.operator.updateMany({ where: { id, OR: [{ failedLogins: { gt: 0 } }, { lockedUntil: { not: null } }] }, data: { failedLogins: 0, lockedUntil: null } });
  }

  /**
   * Records an accepted TOTP time step unless an equal or later one was already
   * used (one code, one login, even under concurrent requests). Returns false on replay.
   */
  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const result = await this.db.operator.updateMany({
      where: { id, OR: [{ lastTotpStep: null }, { lastTotpStep: { lt: BigInt(step) } }] },
      data: { lastTotpStep: BigInt(step) },
    });
    return result.count === 1;
  }
}
