// The secrets of one install, generated once (docs/decisions/0013). When the
// environment does not set them (development and test; production must),
// the configuration takes them from `<state dir>/secrets.json`: 32 random bytes
// each, written on first start with mode 0600 and created atomically (a temp
// file hard-linked into place, which fails if another process got there first,
// so the API, the workers and the launcher starting together agree on one
// file), then reused on every restart. There is no public default any more:
// a token or a sealed secret made with a well-known value opens nothing.
import { randomBytes } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

export const INSTALL_SECRETS_FILE = "secrets.json";

const MIN_SECRET_LENGTH = 32;

const InstallSecretsSchema = z.strictObject({
  format: z.literal("assay.install-secrets/v1"),
  sessionSecret: z.string().min(MIN_SECRET_LENGTH),
  keyEncryptionSecret: z.string().min(MIN_SECRET_LENGTH),
});
export type InstallSecrets = z.infer<typeof InstallSecretsSchema>;

export class InstallSecretsError extends Error {
  override readonly name = "InstallSecretsError";
}

export function generateInstallSecrets(): InstallSecrets {
  return {
    format: "assay.install-secrets/v1",
    sessionSecret: randomBytes(32).toString("base64url"),
    keyEncryptionSecret: randomBytes(32).toString("base64url"),
  };
}

/** The install's secrets from `<stateDir>/secrets.json`, generating the file when it does not exist. */
export function loadOrCreateInstallSecrets(stateDir: string): InstallSecrets & { path: string; created: boolean } {
  const path = join(stateDir, INSTALL_SECRETS_FILE);
  const existing = readInstallSecrets(path);
  if (existing) return { ...existing, path, created: false };
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const temp = join(stateDir, `.${INSTALL_SECRETS_FILE}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  writeFileSync(temp, `${JSON.stringify(generateInstallSecrets(), null, 2)}\n`, { mode: 0o600, flag: "wx" });
  try {
    // The umask may have narrowed the mode further, never widened it; make it exact.
    chmodSync(temp, 0o600);
    linkSync(temp, path);
    return { ...readInstallSecrets(path)!, path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Another process created it between our read and our link: use theirs.
    const theirs = readInstallSecrets(path);
    if (!theirs) throw new InstallSecretsError(`${path} appeared but cannot be read`);
    return { ...theirs, path, created: false };
  } finally {
    unlinkSync(temp);
  }
}

/** The stored secrets, or null when the file does not exist. Throws when it exists but is unusable. */
function readInstallSecrets(path: string): InstallSecrets | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new InstallSecretsError(`cannot read ${path}: ${(error as Error).message}`);
  }
  // Why refuse rather than fix: a file others could read may already have leaked.
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new InstallSecretsError(`${path} is readable by other users (mode ${mode.toString(8)}); make it 0600 (chmod 600) or delete it to generate new secrets`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const checked = InstallSecretsSchema.safeParse(parsed);
  if (!checked.success) throw new InstallSecretsError(`${path} is not a valid secrets file; delete it to generate new secrets`);
  return checked.data;
}
