// Ed25519 with the checks node:crypto (OpenSSL) leaves out: OpenSSL verifies
// [S]B = R + [k]A for any decodable A and R, so a public key of small order
// (e.g. the all-zero key, or the identity 01 00…00) lets anyone "sign" without a
// private key: with A = identity, R = identity and S = 0 verify for every
// message (issue 14 item 7). RFC 8032 strict verification (and @noble's
// zip215:false) refuses such keys; here the key and R are checked explicitly,
// then OpenSSL verifies the equation.
//
// A point of small order has an order dividing 8. On edwards25519 there are 8
// of them, with y ∈ {1, −1, 0, ±y₈} (y₈: the y of the order-8 points); every
// encoding of them (either sign bit, and the non-canonical y + p forms) is
// refused, as is any encoding with y ≥ p or a y that is not on the curve.
import { createPublicKey, verify as verifySignature } from "node:crypto";

const P = 2n ** 255n - 19n;
/** The curve constant d = −121665/121666 mod p. */
const D = mod(-121665n * modInverse(121666n));
/** y of the points of order 8 (libsodium's blocklist, and the root of d·y⁴ + 2y² − 1 = 0, tested). */
export const Y_ORDER_8 = leToBigInt(Buffer.from("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "hex"));
const SMALL_ORDER_Y = new Set([0n, 1n, P - 1n, Y_ORDER_8, P - Y_ORDER_8]);

export type Ed25519KeyProblem = "length" | "non_canonical" | "not_on_curve" | "small_order";

function mod(a: bigint): bigint {
  const r = a % P;
  return r < 0n ? r + P : r;
}

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

function modInverse(a: bigint): bigint {
  return modPow(a, P - 2n);
}

function leToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i -= 1) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/** Why a 32-byte point encoding is unfit as a public key (or R), or null when it is a point of large order. */
export function ed25519PointProblem(bytes: Uint8Array): Ed25519KeyProblem | null {
  if (bytes.length !== 32) return "length";
  const copy = Uint8Array.from(bytes);
  const signBit = copy[31]! >> 7;
  copy[31]! &= 0x7f;
  const y = leToBigInt(copy);
  if (y >= P) return SMALL_ORDER_Y.has(y - P) ? "small_order" : "non_canonical";
  if (SMALL_ORDER_Y.has(y)) return "small_order";
  // x² = (y² − 1) / (d·y² + 1) must be a square; x = 0 with the sign bit set is a non-canonical encoding.
  const y2 = (y * y) % P;
  const x2 = mod((y2 - 1n) * modInverse(mod(D * y2 + 1n)));
  if (x2 === 0n) return signBit ? "non_canonical" : null;
  if (modPow(x2, (P - 1n) / 2n) !== 1n) return "not_on_curve";
  return null;
}

/** The problem of a base64url public key, or null when it is usable. */
export function ed25519PublicKeyProblem(publicKey: string): Ed25519KeyProblem | null {
  return ed25519PointProblem(Buffer.from(publicKey, "base64url"));
}

/**
 * Strict verification: the public key and the signature's R must be points of
 * large order (a small-order R is refused too: honest signers never produce one),
 * S < L is enforced by OpenSSL, then the equation.
 */
export function verifyEd25519Strict(publicKey: string, message: string, signature: string): boolean {
  try {
    const key = Buffer.from(publicKey, "base64url");
    const sig = Buffer.from(signature, "base64url");
    if (sig.length !== 64 || ed25519PointProblem(key) !== null || ed25519PointProblem(sig.subarray(0, 32)) !== null) return false;
    const keyObject = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: publicKey }, format: "jwk" });
    return verifySignature(null, Buffer.from(message, "utf8"), keyObject, sig);
  } catch {
    return false;
  }
}
