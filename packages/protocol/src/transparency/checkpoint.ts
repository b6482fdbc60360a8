// Signed checkpoints in the C2SP signed-note / tlog-checkpoint format used by
// Go's sumdb, Sigstore and the transparency-dev witnesses (docs/decisions/0016):
//
//   <origin>\n<tree size>\n<base64 root hash>\nTimestamp: <unix seconds>\n
//   \n
//   — <key name> <base64(key hash[4] ‖ Ed25519 signature[64])>\n
//
// The signature covers the text above the blank line. The key hash is the
// first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key) (0x01 = Ed25519).
// Verification uses WebCrypto, so it runs in Node 22 and in browsers.
import { sha256 } from "@noble/hashes/sha2.js";
import { base64url } from "jose";
import { fromBase64, hashesEqual, toBase64, type Hash } from "./merkle-hash";

export type Checkpoint = { origin: string; treeSize: number; rootHash: Hash; timestamp: number };
export type CheckpointSignature = { name: string; keyHash: Uint8Array; signature: Uint8Array };
export type SignedCheckpoint = Checkpoint & { body: string; signatures: CheckpointSignature[] };

const ED25519_TYPE = 0x01;
const SIGNATURE_PREFIX = "\u2014 ";
const NOTE_MAX_BYTES = 16_384;

/** The checkpoint origin (also the signing key's name) of an issuer: no spaces or '+', as the note format requires. */
export function logOrigin(issuerId: string): string {
  return `${issuerId.replace(/[^A-Za-z0-9._:/-]/g, "-")}/transparency-log`;
}

export function checkpointBody(checkpoint: Checkpoint): string {
  if (!/^[^\s+]+$/.test(checkpoint.origin)) throw new TypeError("a checkpoint origin has no whitespace or '+'");
  if (!Number.isSafeInteger(checkpoint.treeSize) || checkpoint.treeSize < 0) throw new TypeError("tree size must be a non-negative integer");
  if (!Number.isSafeInteger(checkpoint.timestamp) || checkpoint.timestamp < 0) throw new TypeError("timestamp must be non-negative unix seconds");
  return `${checkpoint.origin}\n${checkpoint.treeSize}\n${toBase64(checkpoint.rootHash)}\nTimestamp: ${checkpoint.timestamp}\n`;
}

/** The note's key hash of an Ed25519 public key under `name`. */
export function noteKeyHash(name: string, publicKey: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(`${name}\n`);
  const data = new Uint8Array(nameBytes.length + 1 + publicKey.length);
  data.set(nameBytes, 0);
  data[nameBytes.length] = ED25519_TYPE;
  data.set(publicKey, nameBytes.length + 1);
  return sha256(data).slice(0, 4);
}

/** A signed note from a body and one signature line. */
export function signedNote(body: string, name: string, keyHash: Uint8Array, signature: Uint8Array): string {
  const blob = new Uint8Array(keyHash.length + signature.length);
  blob.set(keyHash, 0);
  blob.set(signature, keyHash.length);
  return `${body}\n${SIGNATURE_PREFIX}${name} ${toBase64(blob)}\n`;
}

export type SignedNote = { body: string; signatures: CheckpointSignature[] };

/** Splits a signed note into its text and its Ed25519 signature lines (other signature types are skipped). */
export function parseNote(note: string): SignedNote | null {
  if (note.length > NOTE_MAX_BYTES || !note.endsWith("\n")) return null;
  const split = note.lastIndexOf("\n\n");
  if (split < 0) return null;
  const body = note.slice(0, split + 1);
  const signatures: CheckpointSignature[] = [];
  for (const line of note.slice(split + 2, -1).split("\n")) {
    const match = /^\u2014 ([^\s+]+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) return null;
    let blob: Uint8Array;
    try {
      blob = fromBase64(match[2]!);
    } catch {
      return null;
    }
    if (blob.length !== 68) continue; // not an Ed25519 signature: another verifier's business
    signatures.push({ name: match[1]!, keyHash: blob.slice(0, 4), signature: blob.slice(4) });
  }
  return signatures.length === 0 ? null : { body, signatures };
}

/** Parses a signed checkpoint note (format only; signatures are checked by verifyCheckpoint). */
export function parseCheckpoint(note: string): SignedCheckpoint | null {
  const opened = parseNote(note);
  if (!opened) return null;
  const lines = opened.body.slice(0, -1).split("\n");
  if (lines.length < 4) return null;
  const [origin, sizeText, rootText, timestampLine] = lines as [string, string, string, string];
  if (!/^[^\s+]+$/.test(origin) || !/^(0|[1-9][0-9]{0,15})$/.test(sizeText)) return null;
  const timestamp = /^Timestamp: (0|[1-9][0-9]{0,15})$/.exec(timestampLine);
  if (!timestamp) return null;
  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(rootText);
  } catch {
    return null;
  }
  if (rootHash.length !== 32) return null;
  const treeSize = Number(sizeText);
  const seconds = Number(timestamp[1]);
  if (!Number.isSafeInteger(treeSize) || !Number.isSafeInteger(seconds)) return null;
  return { origin, treeSize, rootHash, timestamp: seconds, ...opened };
}

type PublicJwk = { kty?: unknown; crv?: unknown; x?: unknown; kid?: unknown };

export type CheckpointVerification = { ok: true; checkpoint: SignedCheckpoint; kid: string | null } | { ok: false; reason: string };

/**
 * Checks a checkpoint note: it parses, its origin is the expected one, and a
 * signature by `origin` verifies with an Ed25519 key of the issuer's JWKS
 * (matched by key hash; every key is published, retired ones too).
 */
export async function verifyCheckpoint(note: string, expected: { origin: string; jwks: { keys: readonly PublicJwk[] } }): Promise<CheckpointVerification> {
  const checkpoint = parseCheckpoint(note);
  if (!checkpoint) return { ok: false, reason: "the checkpoint is not a signed note" };
  if (checkpoint.origin !== expected.origin) return { ok: false, reason: `the checkpoint is for ${checkpoint.origin}, not ${expected.origin}` };
  const kid = await verifyNote(checkpoint, expected.origin, expected.jwks);
  return kid === undefined ? { ok: false, reason: "no signature on the checkpoint verifies with the issuer's keys" } : { ok: true, checkpoint, kid };
}

/**
 * The kid (null when the key has none) of an Ed25519 key of `jwks` whose
 * signature by `name` on the note verifies, matched by key hash; undefined when none does.
 */
export async function verifyNote(note: SignedNote, name: string, jwks: { keys: readonly PublicJwk[] }): Promise<string | null | undefined> {
  const message = new TextEncoder().encode(note.body);
  for (const signature of note.signatures.filter((s) => s.name === name)) {
    for (const jwk of jwks.keys) {
      if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") continue;
      let raw: Uint8Array;
      try {
        raw = base64url.decode(jwk.x);
      } catch {
        continue;
      }
      if (raw.length !== 32 || !hashesEqual(noteKeyHash(name, raw), signature.keyHash)) continue;
      if (await ed25519Verify(jwk.x, signature.signature, message)) return typeof jwk.kid === "string" ? jwk.kid : null;
    }
  }
  return undefined;
}

async function ed25519Verify(x: string, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x }, { name: "Ed25519" }, false, ["verify"]);
    return await crypto.subtle.verify({ name: "Ed25519" }, key, new Uint8Array(signature), new Uint8Array(message));
  } catch {
    return false;
  }
}
