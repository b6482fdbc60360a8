// node:crypto primitives for certificate verification on the server. The
// protocol's default (WebCrypto + jose) is asynchronous: on Node every digest
// and every signature check is a round trip through the libuv thread pool,
// plus a fresh key import per check — measured at ~4× the CPU of the work
// itself on the verify endpoint (docs/decisions/0026, "Verification without
// the cache"). These compute the same functions synchronously, with imported
// public keys kept per key (a JWKS has a handful). Equality with the default is
// tested by property (test/certificate-crypto.test.ts).
import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import type { CertificateCrypto, Digest } from "@assay/protocol";

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const MAX_CACHED_KEYS = 64;

export function nodeCertificateCrypto(): CertificateCrypto {
  const keys = new Map<string, KeyObject | null>();

  function keyOf(publicJwk: { kty: string; crv: string; x: string }): KeyObject | null {
    const cacheKey = `${publicJwk.kty}|${publicJwk.crv}|${publicJwk.x}`;
    let key = keys.get(cacheKey);
    if (key === undefined) {
      try {
        key = publicJwk.kty === "OKP" && publicJwk.crv === "Ed25519" ? createPublicKey({ key: { ...publicJwk }, format: "jwk" }) : null;
      } catch {
        key = null;
      }
      if (keys.size >= MAX_CACHED_KEYS) keys.clear();
      keys.set(cacheKey, key);
    }
    return key;
  }

  return {
    sha256(data: Uint8Array): Digest {
      return `0x${createHash("sha256").update(data).digest("hex")}`;
    },
    verifyJws(jws, publicJwk) {
      const parts = jws.split(".");
      if (parts.length !== 3) return false;
      const [header, payload, signature] = parts as [string, string, string];
      // Only the base64url alphabet (jose would skip whitespace and "="; the certificate schema refuses them anyway).
      if (!BASE64URL.test(header) || !BASE64URL.test(payload) || !BASE64URL.test(signature)) return false;
      // Like jose, the unused low bits of the last character are not checked (the signature bytes are what count).
      const signatureBytes = Buffer.from(signature, "base64url");
      if (signatureBytes.length !== 64) return false;
      const key = keyOf(publicJwk);
      if (!key) return false;
      try {
        return verify(null, Buffer.from(`${header}.${payload}`, "ascii"), key, signatureBytes);
      } catch {
        return false;
      }
    },
  };
}
