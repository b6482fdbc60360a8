// Strict Ed25519 (docs/decisions/0012, issue 14 item 7), pure: every encoding
// of a small-order point is refused whatever its sign bit, real keys are
// accepted and verify, and verification never accepts a small-order R.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import fc from "fast-check";
import { ed25519PointProblem, verifyEd25519Strict } from "../src/crypto/ed25519-strict";

const P = 2n ** 255n - 19n;
const le = (n: bigint): Buffer => {
  const out = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
};
const Y8 = 0x05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826n;
const SMALL_ORDER_Y = [0n, 1n, P - 1n, Y8, P - Y8];

/** A key pair from a 32-byte seed (PKCS#8 prefix for Ed25519 private keys). */
const keyFromSeed = (seed: Uint8Array) => {
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seed)]);
  const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  return { privateKey, publicKey: (createPublicKey(privateKey).export({ format: "jwk" }) as { x: string }).x };
};

it("every small-order y, with either sign bit and as y + p when that fits, is small_order", () => {
  for (const y of SMALL_ORDER_Y) {
    for (const sign of [0, 0x80]) {
      const bytes = le(y);
      bytes[31]! |= sign;
      expect(ed25519PointProblem(bytes)).toBe("small_order");
      if (y + P < 2n ** 255n) {
        const alt = le(y + P);
        alt[31]! |= sign;
        expect(ed25519PointProblem(alt)).toBe("small_order");
      }
    }
  }
});

it("keys derived from any seed are accepted and their signatures verify strictly (property)", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ maxLength: 64 }), (seed, message) => {
      const { privateKey, publicKey } = keyFromSeed(seed);
      expect(ed25519PointProblem(Buffer.from(publicKey, "base64url"))).toBeNull();
      const signature = sign(null, Buffer.from(message, "utf8"), privateKey).toString("base64url");
      expect(verifyEd25519Strict(publicKey, message, signature)).toBe(true);
      // Any signature whose R is a small-order point is refused, whatever S.
      const forged = Buffer.concat([le(1n), Buffer.from(signature, "base64url").subarray(32)]).toString("base64url");
      expect(verifyEd25519Strict(publicKey, message, forged)).toBe(false);
    }),
    { numRuns: 200 },
  );
});

it("the classification is a pure function of the bytes (twice-run = once-run) and never throws", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 40 }), (bytes) => {
      expect(ed25519PointProblem(bytes)).toBe(ed25519PointProblem(Uint8Array.from(bytes)));
      if (bytes.length !== 32) expect(ed25519PointProblem(bytes)).toBe("length");
    }),
    { numRuns: 500 },
  );
  // A random key from node's generator: accepted.
  const x = (generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }) as { x: string }).x;
  expect(ed25519PointProblem(Buffer.from(x, "base64url"))).toBeNull();
});
