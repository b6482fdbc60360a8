// The validator's Ed25519 key in the browser (WebCrypto, which Chromium, Firefox
// and Safari implement for Ed25519). The private key is imported as a
// non-extractable CryptoKey and only ever used to sign the server's challenge:
// it is never serialised into a request. A key generated here is exported once,
// as a file for the person to keep, before it becomes non-extractable.
import {
  AGENT_CHALLENGE_PREFIX,
  PKCS8_PEM_PATTERN,
  VALIDATOR_KEY_FILE_FORMAT,
  ValidatorKeyFileSchema,
  ValidatorKeysFileSchema,
  ValidatorPublicKeySchema,
  type ValidatorKeyFile,
} from "@assay/protocol";

export type LoadedKey = { name: string | null; publicKey: string; privateKey: CryptoKey };

/** A key file may hold several keys (the launcher's validators.json): the person picks one. */
export type KeyChoice = { name: string | null; pem: string };

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyFileError";
  }
}

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\s+/g, "");
  const binary = atob(body);
  const out = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function derToPem(der: ArrayBuffer): string {
  let binary = "";
  for (const b of new Uint8Array(der)) binary += String.fromCharCode(b);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----\n`;
}

/**
 * Reads what a key file offers: a PKCS#8 PEM, the launcher's validators.json
 * ({ keys: { name: pem } }), or a single-key file ({ format: "assay.validator-key/v1", ... }).
 */
export function readKeyFile(text: string): KeyChoice[] {
  const trimmed = text.trim();
  if (PKCS8_PEM_PATTERN.test(trimmed)) return [{ name: null, pem: trimmed }];
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new KeyFileError("the file is neither a PEM private key nor JSON: choose the key file Assay wrote (validators.json or an assay.validator-key/v1 file)");
  }
  const single = ValidatorKeyFileSchema.safeParse(json);
  if (single.success) return [{ name: single.data.name ?? null, pem: single.data.privateKeyPem }];
  const many = ValidatorKeysFileSchema.safeParse(json);
  if (many.success) {
    const choices = Object.entries(many.data.keys).map(([name, pem]) => ({ name, pem }));
    if (choices.length === 0) throw new KeyFileError("the validators file holds no keys");
    return choices;
  }
  throw new KeyFileError("the JSON file holds no validator key: expected { keys: { name: PEM } } or an assay.validator-key/v1 file");
}

/** Imports a PKCS#8 Ed25519 key as non-extractable and derives its public key (base64url, as the agent plane names validators). */
export async function importKey(choice: KeyChoice): Promise<LoadedKey> {
  const der = pemToDer(choice.pem);
  let extractable: CryptoKey;
  try {
    // Extractable once, only to read the public half (JWK "x"); the kept key is imported again without extraction.
    extractable = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, true, ["sign"]);
  } catch (error) {
    throw new KeyFileError(`the private key could not be read as an Ed25519 key (${(error as Error).message || "unsupported key"})`);
  }
  const jwk = await crypto.subtle.exportKey("jwk", extractable);
  const publicKey = ValidatorPublicKeySchema.parse(jwk.x);
  const privateKey = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"]);
  return { name: choice.name, publicKey, privateKey };
}

/** A fresh key pair: the file to download (shown once) and the key to use now. */
export async function generateKey(name?: string): Promise<{ file: ValidatorKeyFile; key: LoadedKey }> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const publicKey = base64url(new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)));
  const privateKeyPem = derToPem(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const file: ValidatorKeyFile = { format: VALIDATOR_KEY_FILE_FORMAT, publicKey, privateKeyPem, ...(name ? { name } : {}) };
  const key = await importKey({ name: name ?? null, pem: privateKeyPem });
  return { file: ValidatorKeyFileSchema.parse(file), key };
}

/** Signs the server's challenge message; refuses anything that is not one (the key signs nothing else). */
export async function signChallenge(key: LoadedKey, message: string): Promise<string> {
  if (!message.startsWith(`${AGENT_CHALLENGE_PREFIX}\n`)) throw new Error("the server sent something other than an agent challenge to sign; nothing was signed");
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, new TextEncoder().encode(message));
  return base64url(new Uint8Array(signature));
}

/** Offers text as a file download. */
export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
