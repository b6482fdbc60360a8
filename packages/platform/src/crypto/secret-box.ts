// Authenticated encryption of secrets at rest (signing keys' private JWKs, TOTP
// secrets): AES-256-GCM with a key derived by HKDF-SHA256 from the configured
// key-encryption secret and a purpose label, so one secret yields independent
// keys per purpose and a ciphertext of one purpose does not open as another.
// Format: "v1.<iv>.<tag>.<ciphertext>", base64url parts.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const IV_BYTES = 12;

export type SecretPurpose = "signing-key" | "totp-secret";

export class SecretBox {
  private readonly keys = new Map<SecretPurpose, Buffer>();

  constructor(private readonly secret: string) {
    if (secret.length < 32) throw new Error("key-encryption secret must be at least 32 characters");
  }

  seal(purpose: SecretPurpose, plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key(purpose), iv);
    cipher.setAAD(Buffer.from(`assay:${purpose}:${VERSION}`));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
  }

  /** Throws when the box was sealed with another secret or purpose, or was altered. */
  open(purpose: SecretPurpose, sealed: string): string {
    const [version, iv, tag, ciphertext, ...rest] = sealed.split(".");
    if (version !== VERSION || !iv || !tag || ciphertext === undefined || rest.length > 0) {
      throw new Error("sealed secret has an unknown format");
    }
    const decipher = createDecipheriv("aes-256-gcm", this.key(purpose), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(`assay:${purpose}:${VERSION}`));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  }

  private key(purpose: SecretPurpose): Buffer {
    let key = this.keys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync("sha256", this.secret, "assay-secret-box", `assay:${purpose}`, 32));
      this.keys.set(purpose, key);
    }
    return key;
  }
}
