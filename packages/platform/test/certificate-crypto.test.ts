// The server's node:crypto verification primitives (src/crypto/certificate-crypto.ts)
// must decide exactly as the protocol's WebCrypto + jose default does, on every
// document: same checks, same details, same verdict. Property-tested over
// tampered signatures, payloads and key sets.
import fc from "fast-check";
import { generateSigningKey, publicJwks, signCertificate, verifyCertificate, WEB_CRYPTO, type CertificateDocument, type SigningKey, type VerifyCertificateContext } from "@assay/protocol";
import type { JSONWebKeySet } from "jose";
import { nodeCertificateCrypto } from "../src/crypto/certificate-crypto";

const hex = (c: string) => `0x${c.repeat(64)}`;
const ISSUER = "assay:issuer:test";
const node = nodeCertificateCrypto();

let current: SigningKey;
let other: SigningKey;
let doc: CertificateDocument;
let jwks: JSONWebKeySet;

function context(keys: JSONWebKeySet = jwks): VerifyCertificateContext {
  return { jwks: keys, allowedIssuers: [ISSUER], now: new Date("2026-06-01T12:00:00Z"), status: { state: "active" }, anchor: { state: "not-anchored" } };
}

beforeAll(async () => {
  [current, other] = await Promise.all([generateSigningKey(), generateSigningKey()]);
  jwks = publicJwks([current]);
  doc = await signCertificate(
    {
      format: "assay.certificate/v2",
      subject: { name: "reference-runtime", version: "1.2.0", digest: hex("a") as `0x${string}` },
      claims: ["SRIP-03", "SRIP-05"],
      claimsNotGranted: [],
      audit: {
        suite: { id: "core", version: "1.0.0" },
        seed: 42,
        engine: { name: "assay-audit", version: "0.1.0" },
        metrics: [{ id: "srs.composite_drift_index.v1", value: 3120, unit: "bps", validity: "valid" }],
        findingsDigest: hex("b") as `0x${string}`,
        reportDigest: hex("c") as `0x${string}`,
        criticalFindings: 0,
      },
      assembly: null,
      verdict: "certified",
      level: "audit-only",
      issuedAt: "2026-01-01T00:00:00Z",
      validUntil: "2027-01-01T00:00:00Z",
      supersedes: null,
      issuer: { id: ISSUER, kid: current.kid },
    } as Parameters<typeof signCertificate>[0],
    { privateKey: current.privateJwk, kid: current.kid },
  );
});

async function bothAgree(document: unknown, keys: JSONWebKeySet = jwks): Promise<void> {
  const [web, server] = await Promise.all([verifyCertificate(document, context(keys), WEB_CRYPTO), verifyCertificate(document, context(keys), node)]);
  expect(server).toEqual(web);
}

describe("node:crypto certificate primitives", () => {
  it("verify a genuine certificate and compute its id like WebCrypto", async () => {
    const result = await verifyCertificate(doc, context(), node);
    expect(result.valid).toBe(true);
    await bothAgree(doc);
    expect(await node.sha256(new TextEncoder().encode("abc"))).toBe(await WEB_CRYPTO.sha256(new TextEncoder().encode("abc")));
  });

  it("refuse a signature made by another key, and a certificate checked against a set without its key", async () => {
    const forged = await signCertificate({ ...doc.payload, issuer: { id: ISSUER, kid: current.kid } } as Parameters<typeof signCertificate>[0], { privateKey: other.privateJwk, kid: current.kid }).catch(() => null);
    // signCertificate checks kid against the payload only; the signature is other's.
    expect(forged).not.toBeNull();
    const result = await verifyCertificate(forged, context(), node);
    expect(result.checks.find((c) => c.name === "signature")!.ok).toBe(false);
    await bothAgree(forged);
    await bothAgree(doc, publicJwks([other]));
  });

  it("agree with the WebCrypto default on any change to the JWS's characters", async () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: doc.jws.length - 1 }), fc.constantFrom(...alphabet.split("")), fc.boolean(), async (at, char, truncate) => {
        const jws = truncate ? doc.jws.slice(0, at) : doc.jws.slice(0, at) + char + doc.jws.slice(at + 1);
        await bothAgree({ ...doc, jws });
      }),
      { numRuns: 300, seed: 20261202 },
    );
  });

  it("agree on every spelling of the signature's last character (its unused low bits) and on padding", async () => {
    const base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const stem = doc.jws.slice(0, -1);
    const verdicts = new Set<boolean>();
    for (const char of base64url) {
      const jws = stem + char;
      await bothAgree({ ...doc, jws });
      verdicts.add((await verifyCertificate({ ...doc, jws }, context(), node)).valid);
    }
    expect(verdicts).toEqual(new Set([true, false]));
    await bothAgree({ ...doc, jws: `${doc.jws}==` });
    // The standard base64 alphabet's spellings of the same bytes, and characters decoders skip.
    const [head, body, signature] = doc.jws.split(".") as [string, string, string];
    // (The key is random: its signature may hold no "-" or "_"; then "+" and "/" are put in directly.)
    const standard = /[-_]/.test(signature) ? signature.replace(/-/g, "+").replace(/_/g, "/") : `+/${signature.slice(2)}`;
    await bothAgree({ ...doc, jws: `${head}.${body}.${standard}` });
    await bothAgree({ ...doc, jws: `${head}.${body}.${signature.slice(0, 40)} ${signature.slice(40)}` });
    await bothAgree({ ...doc, jws: `${head}.${body}.${signature.slice(0, 40)}=${signature.slice(40)}` });
    await bothAgree({ ...doc, jws: `${doc.jws}.` });
  });

  it("the primitive refuses characters outside base64url, which jose would skip; the document schema refuses them first", async () => {
    const [head, body, signature] = doc.jws.split(".") as [string, string, string];
    const publicJwk = { kty: "OKP", crv: "Ed25519", x: (current.publicJwk as { x: string }).x };
    expect(node.verifyJws(doc.jws, publicJwk)).toBe(true);
    for (const jws of [`${doc.jws}==`, `${head}.${body}.${signature.slice(0, 40)} ${signature.slice(40)}`, `${head}.${body}.${signature.slice(0, 40)}\n${signature.slice(40)}`]) {
      expect(await WEB_CRYPTO.verifyJws(jws, publicJwk)).toBe(true);
      expect(node.verifyJws(jws, publicJwk)).toBe(false);
      const result = await verifyCertificate({ ...doc, jws }, context(), node);
      expect(result.checks.find((c) => c.name === "schema")!.ok).toBe(false);
      await bothAgree({ ...doc, jws });
    }
  });

  it("agree on key sets with malformed, foreign and extra keys", async () => {
    const odd: JSONWebKeySet = {
      keys: [
        { kty: "OKP", crv: "Ed25519", x: "not-a-key", kid: current.kid },
        { kty: "OKP", crv: "Ed25519", x: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", kid: "zero" },
        { kty: "EC", crv: "P-256", x: "AAAA", y: "AAAA", kid: "ec" },
        ...publicJwks([other]).keys,
      ],
    };
    await bothAgree(doc, odd);
    await bothAgree(doc, { keys: [...odd.keys, ...jwks.keys] });
  });
});
