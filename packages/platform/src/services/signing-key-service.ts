// Certificate-signing keys (Ed25519). Generated on first start; the private JWK
// is sealed with AES-256-GCM (SecretBox) before it reaches the database. Rotation
// makes a new active key and retires the old one, which stays in the JWKS so
// certificates it signed keep verifying; each rotation writes an audit_log row
// (who, the retired and the new kid) in the same transaction.
import { generateSigningKey, publicJwks, type CertificateSigner } from "@assay/protocol";
import type { JSONWebKeySet, JWK } from "jose";
import type { StoredJson } from "../repositories";
import type { SecretBox } from "../crypto/secret-box";
import type { Store } from "../repositories";

export type SigningKeyView = { kid: string; status: "active" | "retired"; createdAt: string; retiredAt: string | null };

export class SigningKeyService {
  private jwksCache: { value: JSONWebKeySet; at: number } | undefined;
  private signerCache: (CertificateSigner & { privateKey: JWK }) | undefined;

  constructor(
    private readonly store: Store,
    private readonly secrets: SecretBox,
    /** How long a process may serve a cached JWKS (other processes may rotate). */
    private readonly cacheMs = 5_000,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The active key's kid, generating the first key when there is none. Safe across processes. */
  async ensureActiveKey(): Promise<string> {
    const active = await this.store.repos.signingKeys.findActive();
    if (active) return active.kid;
    return this.store.transaction(async (repos) => {
      await repos.signingKeys.lockKeyring();
      const again = await repos.signingKeys.findActive();
      if (again) return again.kid;
      return this.createKey(repos);
    });
  }

  /**
   * New active key; the previous one is retired (still published). Returns the
   * new kid. `actor` names who asked (`operator:<id>`, `script:keys:rotate`, …)
   * for the audit log.
   */
  async rotate(options: { actor?: string; reason?: string } = {}): Promise<string> {
    const kid = await this.store.transaction(async (repos) => {
      await repos.signingKeys.lockKeyring();
      const retired = await repos.signingKeys.findActive();
      await repos.signingKeys.retireAllActive(this.clock());
      const created = await this.createKey(repos);
      await repos.auditLog.record({
        actor: options.actor ?? "system",
        action: "signing_key.rotate",
        target: created,
        before: retired ? { activeKid: retired.kid } : null,
        after: { activeKid: created, ...(options.reason ? { reason: options.reason } : {}) },
      });
      return created;
    });
    this.jwksCache = undefined;
    this.signerCache = undefined;
    return kid;
  }

  /** The cached JWKS when still fresh (lets hot paths skip an await). */
  cachedJwks(): JSONWebKeySet | undefined {
    return this.jwksCache && Date.now() - this.jwksCache.at < this.cacheMs ? this.jwksCache.value : undefined;
  }

  /** Every key, active and retired: public members only. */
  async jwks(options: { fresh?: boolean } = {}): Promise<JSONWebKeySet> {
    const now = Date.now();
    if (!options.fresh && this.jwksCache && now - this.jwksCache.at < this.cacheMs) return this.jwksCache.value;
    const rows = await this.store.repos.signingKeys.listAll();
    const value = publicJwks(rows.map((r) => r.publicJwk as JWK));
    this.jwksCache = { value, at: now };
    return value;
  }

  /** The active key for signing (decrypted in memory only). */
  async signer(): Promise<CertificateSigner & { privateKey: JWK }> {
    const kid = await this.ensureActiveKey();
    if (this.signerCache?.kid === kid) return this.signerCache;
    const row = (await this.store.repos.signingKeys.listAll()).find((r) => r.kid === kid)!;
    const privateKey = JSON.parse(this.secrets.open("signing-key", row.privateJwkEncrypted)) as JWK;
    this.signerCache = { kid, privateKey };
    return this.signerCache;
  }

  /**
   * Whether the active key's private half opens with this process's
   * key-encryption secret. False after the secret changed (e.g. an install that
   * used the public development secret before decision 0013): such a key can
   * never sign again and must be rotated away.
   */
  async activeKeyOpens(): Promise<boolean> {
    const active = await this.store.repos.signingKeys.findActive();
    if (!active) return true;
    try {
      this.secrets.open("signing-key", active.privateJwkEncrypted);
      return true;
    } catch {
      return false;
    }
  }

  async list(): Promise<SigningKeyView[]> {
    const rows = await this.store.repos.signingKeys.listAll();
    return rows.map((r) => ({ kid: r.kid, status: r.status, createdAt: r.createdAt.toISOString(), retiredAt: r.retiredAt?.toISOString() ?? null }));
  }

  private async createKey(repos: Store["repos"]): Promise<string> {
    const key = await generateSigningKey();
    await repos.signingKeys.create({
      kid: key.kid,
      algorithm: "EdDSA",
      publicJwk: key.publicJwk as StoredJson,
      privateJwkEncrypted: this.secrets.seal("signing-key", JSON.stringify(key.privateJwk)),
    });
    return key.kid;
  }
}
