// RFC 8785 (JCS) canonical JSON and SHA-256 digests. Everything Assay hashes goes
// through here so that the same value always gives the same bytes and digest.
import canonicalize from "canonicalize";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

/** A SHA-256 digest written as 0x + 64 lowercase hex digits (a bytes32 on chain). */
export type Digest = `0x${string}`;
export const DIGEST_PATTERN = /^0x[0-9a-f]{64}$/;

/** JCS canonical string of a JSON value. Rejects values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  // The walk without paths first: it is on every hot path (verify, reports); paths are built only to
  // name what is wrong.
  if (!isJsonSafe(value)) assertJsonSafe(value, "$");
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("value has no JSON representation");
  return text;
}

export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}

/** A SHA-256 implementation: bytes in, 64 lowercase hex digits out. */
export type Sha256HexImplementation = (bytes: Uint8Array) => string;

/** The portable path (@noble/hashes, pure JavaScript): the browser verifies certificates with it. */
export function sha256HexPortable(data: Uint8Array | string): string {
  return bytesToHex(sha256(typeof data === "string" ? new TextEncoder().encode(data) : data));
}

let sha256Implementation: Sha256HexImplementation = (bytes) => bytesToHex(sha256(bytes));

/**
 * Replaces the SHA-256 behind every digest of this package. Node processes install node:crypto's
 * native hash through `useNodeSha256` from "@assay/protocol/node". Why: @noble/hashes took ~0.5 s
 * of CPU per `core` audit report (2.4 MB of transcript hashed), on the audit's critical path;
 * node:crypto takes a few ms (docs/decisions/0027-sandbox-speed.md). Why not detect Node here: this
 * module ships in the browser bundle, which must not reference Node built-ins at all.
 * Same bytes in, same digest out (tested).
 */
export function useSha256Implementation(implementation: Sha256HexImplementation): void {
  sha256Implementation = implementation;
}

export function sha256Hex(data: Uint8Array | string): string {
  return sha256Implementation(typeof data === "string" ? new TextEncoder().encode(data) : data);
}

export function sha256Digest(data: Uint8Array | string): Digest {
  return `0x${sha256Hex(data)}`;
}

/** SHA-256 over the JCS bytes of a value. */
export function digestOf(value: unknown): Digest {
  return sha256Digest(canonicalBytes(value));
}

/**
 * assertJsonSafe's test without building a path per value. Iterative: a deeply nested value
 * (a request body, say) is refused by the precise walk below, not by a stack overflow here.
 */
function isJsonSafe(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null) continue;
    switch (typeof value) {
      case "string":
      case "boolean":
        continue;
      case "number":
        if (!Number.isFinite(value) || Object.is(value, -0)) return false;
        continue;
      case "object":
        if (Array.isArray(value)) {
          for (const item of value) {
            if (item === undefined) return false;
            stack.push(item);
          }
        } else {
          for (const item of Object.values(value)) {
            if (item === undefined) return false;
            stack.push(item);
          }
        }
        continue;
      default:
        return false;
    }
  }
  return true;
}

// Why: JCS serialises numbers per ECMAScript, so NaN/Infinity/-0 and undefined
// silently change meaning. Hashed documents must fail loudly instead.
function assertJsonSafe(value: unknown, path: string): void {
  if (value === null) return;
  switch (typeof value) {
    case "string":
    case "boolean":
      return;
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`${path}: non-finite number`);
      if (Object.is(value, -0)) throw new TypeError(`${path}: negative zero`);
      return;
    case "object":
      if (Array.isArray(value)) {
        value.forEach((item, i) => assertJsonSafe(item, `${path}[${i}]`));
        return;
      }
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item === undefined) throw new TypeError(`${path}.${key}: undefined`);
        assertJsonSafe(item, `${path}.${key}`);
      }
      return;
    default:
      throw new TypeError(`${path}: ${typeof value} is not JSON`);
  }
}
