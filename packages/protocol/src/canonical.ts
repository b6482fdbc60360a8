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
  assertJsonSafe(value);
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

/** A value met by assertJsonSafe and how it was reached; its path is spelled only when an error names it. */
type Visit = { value: unknown; parent: Visit | null; key: string | number | null };

function pathOf(visit: Visit): string {
  let path = "";
  for (let v: Visit | null = visit; v !== null && v.key !== null; v = v.parent) path = (typeof v.key === "number" ? `[${v.key}]` : `.${v.key}`) + path;
  return `$${path}`;
}

// Why: JCS serialises numbers per ECMAScript, so NaN/Infinity/-0 and undefined
// silently change meaning. Hashed documents must fail loudly instead.
// Iterative, in document order (the first bad value is the one named), with no path
// string per value: it runs on every hot path (verify, reports), and a deeply nested
// request body must not overflow the stack.
function assertJsonSafe(root: unknown): void {
  const stack: Visit[] = [{ value: root, parent: null, key: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (value === null) continue;
    switch (typeof value) {
      case "string":
      case "boolean":
        continue;
      case "number":
        if (!Number.isFinite(value)) throw new TypeError(`${pathOf(visit)}: non-finite number`);
        if (Object.is(value, -0)) throw new TypeError(`${pathOf(visit)}: negative zero`);
        continue;
      case "object":
        // Last child first onto the stack, so children are checked in order; array holes are skipped (as JSON writes them, null).
        if (Array.isArray(value)) {
          for (let i = value.length - 1; i >= 0; i--) if (i in value) stack.push({ value: value[i], parent: visit, key: i });
        } else {
          const entries = Object.entries(value as Record<string, unknown>);
          for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], parent: visit, key: entries[i]![0] });
        }
        continue;
      default:
        // An undefined property is named as such; anything else (undefined in an array included) by its type.
        if (value === undefined && typeof visit.key === "string") throw new TypeError(`${pathOf(visit)}: undefined`);
        throw new TypeError(`${pathOf(visit)}: ${typeof value} is not JSON`);
    }
  }
}
