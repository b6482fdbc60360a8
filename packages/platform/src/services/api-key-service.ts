// Developer API keys: `ak_<prefix>_<secret>`, 256 bits of randomness. Shown once
// at creation; only SHA-256(key) is stored. Why SHA-256 and not argon2: the key
// is random and long, so there is nothing to brute-force, and a keyed lookup by
// hash keeps authentication at one indexed query per request (docs/decisions/0006).
import { createHash, randomBytes } from "node:crypto";
import { NotFoundError, UnauthorizedError, ValidationError } from "../errors";
import type { Store } from "../repositories";

export const API_KEY_PATTERN = /^ak_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;

export type CreatedApiKey = { id: string; name: string; prefix: string; key: string; createdAt: string };
export type ApiKeyView = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
export type ApiKeyPrincipal = { developerId: string; apiKeyId: string };

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith("ak_");
}

export class ApiKeyService {
  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(developerId: string, name: string): Promise<CreatedApiKey> {
    if (name.trim().length === 0 || name.length > 100) throw new ValidationError("api_key_name_invalid", "an API key needs a name of 1-100 characters");
    const developer = await this.store.repos.developers.findById(developerId);
    if (!developer) throw new NotFoundError("developer_not_found", `no developer ${developerId}`);
    const prefix = `ak_${randomBytes(6).toString("hex")}`;
    const key = `${prefix}_${randomBytes(32).toString("base64url")}`;
    const row = await this.store.repos.apiKeys.create({ developerId, name: name.trim(), prefix, keyHash: hashApiKey(key) });
    return { id: row.id, name: row.name, prefix, key, createdAt: row.createdAt.toISOString() };
  }

  /** The developer a key belongs to; UnauthorizedError for unknown, malformed or revoked keys. */
  async authenticate(key: string): Promise<ApiKeyPrincipal> {
    if (!API_KEY_PATTERN.test(key)) throw new UnauthorizedError("api_key_invalid", "the API key is not valid");
    const row = await this.store.repos.apiKeys.findActiveByHash(hashApiKey(key));
    if (!row) throw new UnauthorizedError("api_key_invalid", "the API key is not valid");
    // Best effort, off the request's critical path.
    void this.store.repos.apiKeys.touch(row.id, this.clock()).catch(() => undefined);
    return { developerId: row.developerId, apiKeyId: row.id };
  }

  async list(developerId: string): Promise<ApiKeyView[]> {
    const rows = await this.store.repos.apiKeys.listForDeveloper(developerId);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      createdAt: r.createdAt.toISOString(),
      lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
      revokedAt: r.revokedAt?.toISOString() ?? null,
    }));
  }

  async revoke(developerId: string, id: string): Promise<void> {
    const uuid = /^[0-9a-f-]{36}$/i.test(id) ? id : null;
    const count = uuid ? await this.store.repos.apiKeys.revoke(uuid, developerId, this.clock()) : 0;
    if (count === 0) throw new NotFoundError("api_key_not_found", `no active API key ${id}`);
  }
}
