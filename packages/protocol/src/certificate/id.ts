// Certificate id = 0x + SHA-256 hex over the RFC 8785 (JCS) bytes of the payload.
// Two spellings of one computation: a synchronous one for servers (shared
// digestOf) and a WebCrypto one for the verify path, which must also run in a
// browser where node:crypto does not exist.
import { canonicalBytes, digestOf, type Digest } from "../canonical";
import type { AnyCertificatePayload } from "./schema";

export function certificateId(payload: AnyCertificatePayload): Digest {
  return digestOf(payload);
}

/** Same value as certificateId, computed with crypto.subtle (Node 22 and browsers). */
export async function certificateIdAsync(payload: AnyCertificatePayload): Promise<Digest> {
  return webSha256Digest(canonicalBytes(payload));
}

export async function webSha256Digest(data: Uint8Array): Promise<Digest> {
  const hash = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  let hex = "";
  for (const byte of hash) hex += byte.toString(16).padStart(2, "0");
  return `0x${hex}`;
}
