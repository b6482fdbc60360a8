// Signing and verifying a status list: compact JWS, EdDSA (Ed25519), protected
// header exactly {alg, kid, typ: "assay-status-list+jws"}, payload = the JCS
// bytes of the StatusListPayload. The keys are the issuer's certificate-signing
// keys, so its JWKS is the one trust root for certificates, checkpoints and
// status lists. Browser-safe (jose, WebCrypto).
import { base64url, CompactSign, compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { canonicalBytes } from "../canonical";
import { CertificateError, describeIssues } from "../certificate/errors";
import { CERTIFICATE_ALG } from "../certificate/jws-profile";
import { isEd25519Jwk } from "../certificate/keys";
import type { CertificateSigner } from "../certificate/sign";
import { decodeBitstring, StatusListEncodingError, type Gzip } from "./bitstring";
import { STATUS_LIST_JWS_TYP, StatusListPayloadSchema, type StatusListPayload } from "./schema";

const PROFILE_HEADER = new Set(["alg", "kid", "typ"]);
/** A list published this far ahead of the verifier's clock is still accepted (clock skew). */
export const STATUS_LIST_CLOCK_SKEW_SECONDS = 300;
/** A signed list is at most this long (a 2^31-bit list of random bits would not fit; real lists are a few KiB). */
export const STATUS_LIST_JWS_MAX_BYTES = 16 * 1024 * 1024;

export async function signStatusList(payload: StatusListPayload, signer: CertificateSigner): Promise<string> {
  const parsed = StatusListPayloadSchema.safeParse(payload);
  if (!parsed.success) throw new CertificateError("PAYLOAD_INVALID", `status list payload invalid: ${describeIssues(parsed.error.issues)}`);
  const key = isJwk(signer.privateKey) ? await importJWK(signer.privateKey, CERTIFICATE_ALG) : signer.privateKey;
  return new CompactSign(canonicalBytes(parsed.data)).setProtectedHeader({ alg: CERTIFICATE_ALG, kid: signer.kid, typ: STATUS_LIST_JWS_TYP }).sign(key);
}

export type VerifiedStatusList = { ok: true; payload: StatusListPayload; bits: Uint8Array; kid: string };
export type RejectedStatusList = { ok: false; reason: string };

export type StatusListExpectations = {
  /** The issuer's key set (from its discovery document, never from the list). */
  jwks: { keys: ReadonlyArray<Record<string, unknown>> };
  /** The issuer the list must name. */
  issuer: string;
  /** The list id the certificate names, when checking one. */
  listId?: string;
  now: Date;
  gzip?: Gzip;
};

/**
 * Verifies a signed status list: the profile header, an Ed25519 signature by a
 * key of the issuer's set (the kid is tried first, then every other key), the
 * payload schema, the issuer and list id, the validity window, and that the
 * encoded bitstring inflates to exactly the declared size. Never throws.
 */
export async function verifyStatusList(jws: unknown, expected: StatusListExpectations): Promise<VerifiedStatusList | RejectedStatusList> {
  const reject = (reason: string): RejectedStatusList => ({ ok: false, reason });
  if (typeof jws !== "string" || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws)) return reject("not a compact JWS");
  if (jws.length > STATUS_LIST_JWS_MAX_BYTES) return reject(`longer than ${STATUS_LIST_JWS_MAX_BYTES} bytes`);
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return reject("the protected header does not decode");
  }
  const extra = Object.keys(header).filter((name) => !PROFILE_HEADER.has(name));
  if (extra.length > 0) return reject(`protected header has parameters outside the profile: ${extra.join(", ")}`);
  if (header.alg !== CERTIFICATE_ALG) return reject(`alg ${String(header.alg)} is not ${CERTIFICATE_ALG}`);
  if (header.typ !== STATUS_LIST_JWS_TYP) return reject(`typ ${String(header.typ)} is not ${STATUS_LIST_JWS_TYP}`);
  if (typeof header.kid !== "string") return reject("the protected header has no kid");
  const candidates = (expected.jwks.keys as JWK[]).filter(usableKey);
  const ordered = [...candidates.filter((k) => k.kid === header.kid), ...candidates.filter((k) => k.kid !== header.kid)];
  let signed: Uint8Array | null = null;
  let signer = "";
  for (const jwk of ordered) {
    signed = await verifiedPayload(jws, jwk);
    if (signed) {
      signer = jwk.kid ?? "(no kid)";
      break;
    }
  }
  if (!signed) return reject(`the signature does not verify with any of the issuer's ${candidates.length} keys`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(signed));
  } catch {
    return reject("the signed payload is not JSON");
  }
  const parsed = StatusListPayloadSchema.safeParse(json);
  if (!parsed.success) return reject(`the signed payload is not a status list: ${describeIssues(parsed.error.issues)}`);
  const payload = parsed.data;
  if (payload.issuer !== expected.issuer) return reject(`issued by ${payload.issuer}, not ${expected.issuer}`);
  if (expected.listId !== undefined && payload.id !== expected.listId) return reject(`it is list ${payload.id}; the certificate names ${expected.listId}`);
  const now = Math.floor(expected.now.getTime() / 1000);
  if (seconds(payload.publishedAt) > now + STATUS_LIST_CLOCK_SKEW_SECONDS) return reject(`published at ${payload.publishedAt}, in the future`);
  if (now > seconds(payload.validUntil)) return reject(`list #${payload.sequence} expired at ${payload.validUntil}; fetch a newer one`);
  try {
    const bits = await decodeBitstring(payload.encodedList, payload.size, expected.gzip);
    return { ok: true, payload, bits, kid: signer };
  } catch (error) {
    if (error instanceof StatusListEncodingError) return reject(error.message);
    throw error;
  }
}

function seconds(time: string): number {
  return Math.floor(Date.parse(time) / 1000);
}

function usableKey(jwk: JWK): boolean {
  return isEd25519Jwk(jwk) && (jwk.use === undefined || jwk.use === "sig") && (jwk.alg === undefined || jwk.alg === CERTIFICATE_ALG || jwk.alg === "Ed25519");
}

async function verifiedPayload(jws: string, jwk: JWK): Promise<Uint8Array | null> {
  try {
    const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, CERTIFICATE_ALG);
    return (await compactVerify(jws, key, { algorithms: [CERTIFICATE_ALG] })).payload;
  } catch {
    return null;
  }
}

function isJwk(key: unknown): key is JWK {
  return typeof key === "object" && key !== null && "kty" in key;
}

/** The payload of a signed list without verifying it (display only; never for decisions). */
export function unverifiedStatusListPayload(jws: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(base64url.decode(jws.split(".")[1] ?? "")));
  } catch {
    return null;
  }
}
