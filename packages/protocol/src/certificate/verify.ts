// Certificate verification (SPEC §6): every check is computed and reported on its
// own, in CERTIFICATE_CHECKS order, and `valid` is their conjunction. Pure and
// browser-safe: no network, clock or database (all come in through the context),
// digests via WebCrypto, signatures via jose — unless the caller passes faster
// primitives of its platform (the server passes node:crypto's, see CertificateCrypto).
import { base64url, compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { canonicalBytes, type Digest } from "../canonical";
import { CertificateError, describeIssues } from "./errors";
import { webSha256Digest } from "./id";
import { CERTIFICATE_ALG, CERTIFICATE_JWS_TYP } from "./jws-profile";
import { isEd25519Jwk } from "./keys";
import { CertificateDocumentSchema, type CertificateDocument } from "./schema";
import { certificateTimeSeconds } from "./time";
import {
  CERTIFICATE_CHECKS,
  VerifyCertificateContextSchema,
  type CertificateAnchorState,
  type CertificateCheck,
  type CertificateCheckName,
  type CertificateStatus,
  type CertificateVerifyResult,
  type VerifyCertificateContext,
} from "./verify-context";

const PROFILE_HEADER = new Set(["alg", "kid", "typ"]);

/**
 * The two cryptographic primitives verification needs. The default (WEB_CRYPTO)
 * runs anywhere (browsers, Node, Deno) but goes through WebCrypto's asynchronous
 * API, which on Node hops to the thread pool for every digest and signature; a
 * server verifying thousands of certificates a second passes synchronous
 * node:crypto implementations instead (packages/platform's nodeCertificateCrypto).
 * Both must compute the same function: tested by property in
 * packages/platform/test/certificate-crypto.test.ts.
 */
export type CertificateCrypto = {
  /** 0x + lowercase hex SHA-256 of the bytes. */
  sha256(data: Uint8Array): Digest | Promise<Digest>;
  /** Does the compact JWS verify (EdDSA/Ed25519) under this public JWK (kty, crv, x only)? Never throws. */
  verifyJws(jws: string, publicJwk: { kty: string; crv: string; x: string }): boolean | Promise<boolean>;
};

/** WebCrypto digest + jose (itself WebCrypto) signatures: what the browser and the CLI use. */
export const WEB_CRYPTO: CertificateCrypto = {
  sha256: webSha256Digest,
  async verifyJws(jws, publicJwk) {
    try {
      const key = await importJWK(publicJwk, CERTIFICATE_ALG);
      await compactVerify(jws, key, { algorithms: [CERTIFICATE_ALG] });
      return true;
    } catch {
      return false;
    }
  },
};

type Outcome = { ok: boolean; detail: string };
const pass = (detail: string): Outcome => ({ ok: true, detail });
const fail = (detail: string): Outcome => ({ ok: false, detail });

/**
 * Verifies a certificate document (any JSON value) against the caller's context.
 * Never throws for a bad document; throws CertificateError(CONTEXT_INVALID) when
 * the caller's own context is malformed.
 */
export async function verifyCertificate(
  document: unknown,
  context: VerifyCertificateContext,
  crypto: CertificateCrypto = WEB_CRYPTO,
): Promise<CertificateVerifyResult> {
  const ctx = VerifyCertificateContextSchema.safeParse(context);
  if (!ctx.success) {
    throw new CertificateError("CONTEXT_INVALID", `verify context invalid: ${describeIssues(ctx.error.issues)}`);
  }
  const parsed = CertificateDocumentSchema.safeParse(document);
  if (!parsed.success) {
    const outcomes = { schema: fail(describeIssues(parsed.error.issues)) } as Partial<Record<CertificateCheckName, Outcome>>;
    return report(outcomes, fail("not checked: the document does not parse"));
  }
  const doc = parsed.data;
  const c = ctx.data;
  const canonical = canonicalBytes(doc.payload);
  const outcomes: Record<CertificateCheckName, Outcome> = {
    schema: pass(`${doc.payload.format}, level ${doc.payload.level}`),
    id: checkId(doc, await crypto.sha256(canonical)),
    "jws-payload": checkJwsPayload(doc.jws, canonical),
    signature: await checkSignature(doc, c.jwks.keys as JWK[], crypto),
    issuer: c.allowedIssuers.includes(doc.payload.issuer.id)
      ? pass(`issuer ${doc.payload.issuer.id} is allowed`)
      : fail(`issuer ${doc.payload.issuer.id} is not in the allowed list`),
    "time-window": checkTimeWindow(doc, c.now),
    status: checkStatus(c.status),
    anchor: checkAnchor(c.anchor),
    artifact: checkArtifact(doc, c.artifactDigest),
  };
  return report(outcomes);
}

function report(
  outcomes: Partial<Record<CertificateCheckName, Outcome>>,
  missing: Outcome = fail("not checked"),
): CertificateVerifyResult {
  const checks: CertificateCheck[] = CERTIFICATE_CHECKS.map((name) => ({ name, ...(outcomes[name] ?? missing) }));
  return { valid: checks.every((check) => check.ok), checks };
}

/** The id is the SHA-256 of the payload's JCS bytes (the same bytes the JWS must carry). */
function checkId(doc: CertificateDocument, recomputed: Digest): Outcome {
  return recomputed === doc.id ? pass(`id ${recomputed}`) : fail(`document id ${doc.id} but the payload hashes to ${recomputed}`);
}

function checkJwsPayload(jws: string, canonical: Uint8Array): Outcome {
  let signed: Uint8Array;
  try {
    signed = base64url.decode(jws.split(".")[1]!);
  } catch {
    return fail("the JWS payload segment is not base64url");
  }
  return bytesEqual(signed, canonical)
    ? pass("the JWS payload is the JCS bytes of the payload")
    : fail("the JWS payload differs from the JCS bytes of the payload");
}

async function checkSignature(doc: CertificateDocument, jwks: JWK[], crypto: CertificateCrypto): Promise<Outcome> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(doc.jws);
  } catch {
    return fail("the JWS protected header does not decode");
  }
  const extra = Object.keys(header).filter((name) => !PROFILE_HEADER.has(name));
  if (extra.length > 0) return fail(`protected header has parameters outside the profile: ${extra.join(", ")}`);
  if (header.alg !== CERTIFICATE_ALG) return fail(`alg ${String(header.alg)} is not ${CERTIFICATE_ALG}`);
  if (header.typ !== CERTIFICATE_JWS_TYP) return fail(`typ ${String(header.typ)} is not ${CERTIFICATE_JWS_TYP}`);
  if (typeof header.kid !== "string") return fail("the JWS protected header has no kid");
  if (header.kid !== doc.payload.issuer.kid) {
    return fail(`header kid ${header.kid} differs from payload issuer.kid ${doc.payload.issuer.kid}`);
  }
  // Why every key: the kid is whatever the signer wrote, a hint for which key to
  // try first; trust comes only from a key of the issuer's set verifying the signature.
  const candidates = jwks.filter(usableSigningKey);
  const hinted = candidates.filter((k) => k.kid === header.kid);
  const ordered = [...hinted, ...candidates.filter((k) => k.kid !== header.kid)];
  for (const jwk of ordered) {
    // Public members only: a private JWK mistakenly published must not change the outcome.
    if (await crypto.verifyJws(doc.jws, { kty: jwk.kty!, crv: jwk.crv!, x: jwk.x! })) {
      return jwk.kid === header.kid
        ? pass(`EdDSA signature verified with key ${jwk.kid}`)
        : pass(`EdDSA signature verified with issuer key ${jwk.kid ?? "(no kid)"}, not the hinted kid ${header.kid}`);
    }
  }
  if (hinted.length === 0) return fail(`unknown kid ${header.kid} and no other issuer key (${candidates.length}) verifies the signature`);
  return fail(`the signature does not verify with key ${header.kid} or any other of the ${candidates.length} issuer keys`);
}

function usableSigningKey(jwk: JWK): boolean {
  return isEd25519Jwk(jwk) && (jwk.use === undefined || jwk.use === "sig") && (jwk.alg === undefined || jwk.alg === CERTIFICATE_ALG || jwk.alg === "Ed25519");
}

function checkTimeWindow(doc: CertificateDocument, now: Date): Outcome {
  const { issuedAt, validUntil } = doc.payload;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const nowText = new Date(nowSeconds * 1000).toISOString().replace(".000Z", "Z");
  if (nowSeconds < certificateTimeSeconds(issuedAt)) return fail(`not yet valid: issued at ${issuedAt}, now ${nowText}`);
  if (nowSeconds > certificateTimeSeconds(validUntil)) return fail(`expired: valid until ${validUntil}, now ${nowText}`);
  return pass(`valid from ${issuedAt} until ${validUntil}; now ${nowText}`);
}

function checkStatus(status: CertificateStatus): Outcome {
  switch (status.state) {
    case "active":
      return pass("active");
    case "suspended":
      return fail(status.reason ? `suspended: ${status.reason}` : "suspended");
    case "revoked":
      return fail(`revoked: ${status.reason}`);
    case "expired":
      return fail("expired");
    case "unknown":
      return fail("status unknown");
  }
}

function checkAnchor(anchor: CertificateAnchorState): Outcome {
  switch (anchor.state) {
    case "not-anchored":
      return pass("not anchored");
    case "pending":
      return pass("pending");
    case "anchored":
      return pass(`anchored in block ${anchor.block}, tx ${anchor.tx}`);
    case "revoked-on-chain":
      return fail(anchor.reason ? `revoked on chain: ${anchor.reason}` : "revoked on chain");
    case "failed":
      return fail(anchor.error ? `anchor not confirmed: ${anchor.error}` : "anchor not confirmed");
  }
}

function checkArtifact(doc: CertificateDocument, artifactDigest: string | undefined): Outcome {
  if (artifactDigest === undefined) return pass("not requested: no local artifact given");
  return artifactDigest === doc.payload.subject.digest
    ? pass(`local artifact matches subject digest ${artifactDigest}`)
    : fail(`local artifact digest ${artifactDigest} differs from subject digest ${doc.payload.subject.digest}`);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
