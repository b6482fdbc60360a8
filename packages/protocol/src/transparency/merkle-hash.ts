// RFC 9162 §2.1.1 hashing (same as RFC 6962): SHA-256, leaves prefixed 0x00,
// interior nodes 0x01, so a leaf can never be passed off as a node. Pure and
// browser-safe (@noble/hashes), shared by the platform, the CLI and the web.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";

export type Hash = Uint8Array;

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hash = sha256(new Uint8Array(0));

export function leafHash(leaf: Uint8Array): Hash {
  const data = new Uint8Array(leaf.length + 1);
  data[0] = 0x00;
  data.set(leaf, 1);
  return sha256(data);
}

export function nodeHash(left: Hash, right: Hash): Hash {
  const data = new Uint8Array(1 + left.length + right.length);
  data[0] = 0x01;
  data.set(left, 1);
  data.set(right, 1 + left.length);
  return sha256(data);
}

export function hashesEqual(a: Hash, b: Hash): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Hashes cross HTTP as 64 lowercase hex digits (no 0x: they are not certificate ids). */
export const hashToHex = (hash: Hash): string => bytesToHex(hash);
export const hashFromHex = (hex: string): Hash => hexToBytes(hex);

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Standard base64 (with padding); throws on anything else. */
export function fromBase64(text: string): Uint8Array {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) throw new TypeError("not base64");
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
