// The status list's bitmap (docs/decisions/0022): a W3C Bitstring Status List
// bitstring. Bit i is the (i mod 8)-th most significant bit of byte floor(i/8)
// (index 0 = the left-most bit), a set bit means the certificate is withdrawn
// (revoked or suspended). The encoded form is W3C's `encodedList`: the multibase
// base64url (prefix "u", no padding) of the GZIP of the bitstring. Pure functions;
// compression goes through a `Gzip` so Node can pass node:zlib and a browser
// CompressionStream (the default, which Node 22 also has).
import { base64url } from "jose";

/** W3C's minimum list length (16 KiB): a list shorter than this tells too much about who is checked. */
export const STATUS_LIST_MIN_BITS = 131_072;
/** Lists grow in steps of the minimum length, so the length says little about how many certificates exist. */
export const STATUS_LIST_BLOCK_BITS = STATUS_LIST_MIN_BITS;
/** The largest list accepted (2^31 bits = 256 MiB uncompressed): bounds what a verifier inflates. */
export const STATUS_LIST_MAX_BITS = 2 ** 31;

export type Gzip = { gzip(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>; gunzip(bytes: Uint8Array, maxBytes: number): Uint8Array | Promise<Uint8Array> };

export class StatusListEncodingError extends Error {
  override readonly name = "StatusListEncodingError";
}

/** The list length (bits) that holds indexes 0..highestIndex: a multiple of the block, at least the minimum. */
export function statusListSize(highestIndex: number): number {
  if (!Number.isSafeInteger(highestIndex) || highestIndex < -1) throw new RangeError("highestIndex must be an integer ≥ -1");
  const needed = highestIndex + 1;
  const size = Math.max(STATUS_LIST_MIN_BITS, Math.ceil(needed / STATUS_LIST_BLOCK_BITS) * STATUS_LIST_BLOCK_BITS);
  if (size > STATUS_LIST_MAX_BITS) throw new RangeError(`a status list holds at most ${STATUS_LIST_MAX_BITS} bits`);
  return size;
}

/** A valid list size: a multiple of 8 between the minimum and the maximum. */
export function isStatusListSize(size: number): boolean {
  return Number.isSafeInteger(size) && size % 8 === 0 && size >= STATUS_LIST_MIN_BITS && size <= STATUS_LIST_MAX_BITS;
}

/** A zeroed bitstring of `size` bits. */
export function emptyBitstring(size: number): Uint8Array {
  if (!Number.isSafeInteger(size) || size < 0 || size % 8 !== 0) throw new RangeError("a bitstring's size is a non-negative multiple of 8");
  return new Uint8Array(size / 8);
}

function checkIndex(bits: Uint8Array, index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= bits.length * 8) throw new RangeError(`index ${index} is outside a list of ${bits.length * 8} bits`);
}

export function setStatusBit(bits: Uint8Array, index: number, value = true): void {
  checkIndex(bits, index);
  const mask = 0x80 >>> (index & 7);
  const at = index >>> 3;
  bits[at] = value ? bits[at]! | mask : bits[at]! & ~mask;
}

export function statusBit(bits: Uint8Array, index: number): boolean {
  checkIndex(bits, index);
  return (bits[index >>> 3]! & (0x80 >>> (index & 7))) !== 0;
}

/** A bitstring of `size` bits with exactly the given indexes set. */
export function bitstringOf(size: number, setIndexes: Iterable<number>): Uint8Array {
  const bits = emptyBitstring(size);
  for (const index of setIndexes) setStatusBit(bits, index);
  return bits;
}

/** The indexes set in a bitstring, ascending. */
export function setIndexesOf(bits: Uint8Array): number[] {
  const out: number[] = [];
  for (let byte = 0; byte < bits.length; byte++) {
    const value = bits[byte]!;
    if (value === 0) continue;
    for (let bit = 0; bit < 8; bit++) if (value & (0x80 >>> bit)) out.push(byte * 8 + bit);
  }
  return out;
}

/** W3C `encodedList`: "u" + base64url(gzip(bits)). */
export async function encodeBitstring(bits: Uint8Array, gzip: Gzip = webGzip): Promise<string> {
  return `u${base64url.encode(await gzip.gzip(bits))}`;
}

/**
 * The bitstring of an `encodedList` that must hold exactly `size` bits. Throws
 * StatusListEncodingError for anything else (bad multibase, not gzip, inflating
 * to another length — checked while inflating, so a gzip bomb stops at the cap).
 */
export async function decodeBitstring(encoded: string, size: number, gzip: Gzip = webGzip): Promise<Uint8Array> {
  if (!isStatusListSize(size)) throw new StatusListEncodingError(`list size ${size} is not a multiple of 8 between ${STATUS_LIST_MIN_BITS} and ${STATUS_LIST_MAX_BITS}`);
  if (!encoded.startsWith("u")) throw new StatusListEncodingError('encodedList is not multibase base64url (prefix "u")');
  let compressed: Uint8Array;
  try {
    compressed = base64url.decode(encoded.slice(1));
  } catch {
    throw new StatusListEncodingError("encodedList is not base64url");
  }
  let bits: Uint8Array;
  try {
    bits = await gzip.gunzip(compressed, size / 8);
  } catch (error) {
    throw new StatusListEncodingError(`encodedList does not inflate: ${(error as Error).message}`);
  }
  if (bits.length !== size / 8) throw new StatusListEncodingError(`encodedList inflates to ${bits.length * 8} bits, the list says ${size}`);
  return bits;
}

type StreamCtor = new (format: "gzip") => { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };

function streamCtor(name: "CompressionStream" | "DecompressionStream"): StreamCtor {
  const ctor = (globalThis as Record<string, unknown>)[name];
  if (typeof ctor !== "function") throw new Error(`${name} is not available here; pass a Gzip`);
  return ctor as StreamCtor;
}

async function pipeThrough(ctor: StreamCtor, bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const stream = new ctor("gzip");
  const writer = stream.writable.getWriter();
  const written = writer.write(bytes).then(() => writer.close()).catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  await written;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** GZIP through the Compression Streams API (browsers; Node ≥ 18). */
export const webGzip: Gzip = {
  gzip: (bytes) => pipeThrough(streamCtor("CompressionStream"), bytes, Number.MAX_SAFE_INTEGER),
  gunzip: (bytes, maxBytes) => pipeThrough(streamCtor("DecompressionStream"), bytes, maxBytes),
};
