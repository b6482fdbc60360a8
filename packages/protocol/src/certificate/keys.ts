// Ed25519 signing keys as JWKs. The kid is the RFC 7638 thumbprint of the public
// key, so a kid names exactly one key and anyone can recompute it.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK } from "jose";
import { CertificateError } from "./errors";
import { CERTIFICATE_ALG } from "./jws-profile";

export type SigningKey = { kid: string; publicJwk: JWK; privateJwk: JWK };

/** A fresh Ed25519 key pair; both JWKs carry kid (thumbprint), alg EdDSA and use sig. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(CERTIFICATE_ALG, { crv: "Ed25519", extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk, "sha256");
  const tags = { kid, alg: CERTIFICATE_ALG, use: "sig" };
  return { kid, publicJwk: { ...publicJwk, ...tags }, privateJwk: { ...privateJwk, ...tags } };
}

/** RFC 7638 thumbprint of an Ed25519 JWK (public or private). */
export async function jwkThumbprint(jwk: JWK): Promise<string> {
  assertEd25519(jwk);
  return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, "sha256");
}

/**
 * The JWKS to publish at /.well-known/jwks.json: public members only (kty, crv,
 * x, kid, alg, use), whatever was passed in. Keep retired keys in the list so
 * old certificates still verify.
 */
export function publicJwks(keys: ReadonlyArray<SigningKey | JWK>): JSONWebKeySet {
  const seen = new Set<string>();
  const out: JWK[] = [];
  for (const key of keys) {
    const jwk = "publicJwk" in key ? (key as SigningKey).publicJwk : (key as JWK);
    assertEd25519(jwk);
    if (!jwk.kid) throw new CertificateError("KEY_INVALID", "a published key needs a kid");
    if (seen.has(jwk.kid)) throw new CertificateError("KEY_INVALID", `duplicate kid in key set: ${jwk.kid}`);
    seen.add(jwk.kid);
    out.push({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: jwk.kid, alg: CERTIFICATE_ALG, use: "sig" });
  }
  return { keys: out };
}

export function isEd25519Jwk(jwk: JWK): boolean {
  return jwk.kty === "OKP" && jwk.crv === "Ed25519" && typeof jwk.x === "string" && jwk.x.length > 0;
}

function assertEd25519(jwk: JWK): void {
  if (!isEd25519Jwk(jwk)) throw new CertificateError("KEY_INVALID", "expected an Ed25519 (OKP) JWK");
}
