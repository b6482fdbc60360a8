// Issuing: validate the payload, compute its id, sign its JCS bytes as a compact
// JWS (EdDSA / Ed25519) with protected header {alg, kid, typ}.
import { CompactSign, importJWK, type CryptoKey, type JWK, type KeyObject } from "jose";
import { canonicalBytes } from "../canonical";
import { CertificateError, describeIssues } from "./errors";
import { certificateId } from "./id";
import { CERTIFICATE_ALG, CERTIFICATE_JWS_TYP } from "./jws-profile";
import { isEd25519Jwk } from "./keys";
import { SignableCertificatePayloadSchema, type CertificateDocument, type SignableCertificatePayload } from "./schema";

export type CertificateSigner = {
  /** Ed25519 private key: a CryptoKey / KeyObject, or a private JWK (with `d`). */
  privateKey: CryptoKey | KeyObject | JWK;
  /** Must equal payload.issuer.kid: the payload names the key that signs it. */
  kid: string;
};

/** Signs a v3 payload (what the platform issues) or a v2 one; v1 is never signed any more. */
export async function signCertificate(payload: SignableCertificatePayload, signer: CertificateSigner): Promise<CertificateDocument> {
  const parsed = SignableCertificatePayloadSchema.safeParse(payload);
  if (!parsed.success) {
    throw new CertificateError("PAYLOAD_INVALID", `certificate payload invalid: ${describeIssues(parsed.error.issues)}`);
  }
  if (signer.kid !== parsed.data.issuer.kid) {
    throw new CertificateError("KID_MISMATCH", `signing kid ${signer.kid} differs from payload issuer.kid ${parsed.data.issuer.kid}`);
  }
  const key = await signingKey(signer.privateKey);
  let jws: string;
  try {
    jws = await new CompactSign(canonicalBytes(parsed.data))
      .setProtectedHeader({ alg: CERTIFICATE_ALG, kid: signer.kid, typ: CERTIFICATE_JWS_TYP })
      .sign(key);
  } catch (error) {
    // jose refuses keys that are not Ed25519 private keys (wrong type or algorithm).
    throw new CertificateError("KEY_INVALID", `cannot sign with this key: ${(error as Error).message}`);
  }
  return { id: certificateId(parsed.data), payload: parsed.data, jws };
}

async function signingKey(key: CryptoKey | KeyObject | JWK): Promise<CryptoKey | KeyObject> {
  if (!isJwk(key)) return key;
  if (!isEd25519Jwk(key) || typeof key.d !== "string") {
    throw new CertificateError("KEY_INVALID", "signing key must be an Ed25519 private JWK (kty OKP, crv Ed25519, d)");
  }
  return (await importJWK(key, CERTIFICATE_ALG)) as CryptoKey;
}

function isJwk(key: unknown): key is JWK {
  return typeof key === "object" && key !== null && "kty" in key;
}
