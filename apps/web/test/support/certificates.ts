// Real certificates for the browser tests: signed here with the protocol's own
// signCertificate and a fresh Ed25519 key, so the page's in-browser
// verification runs for real against the key set the fake API publishes.
import { createPrivateKey, sign } from "node:crypto";
import {
  canonicalJson,
  digestOf,
  generateSigningKey,
  publicJwks,
  sha256Digest,
  signCertificate,
  subjectDigest,
  toCertificateTime,
  type CertificateDocument,
  type CertificatePayload,
  type SigningKey,
} from "@assay/protocol";

export const ISSUER_ID = "assay-test";

/** The artifact the test certificate certifies (what the artifact check hashes in the browser). */
export const ARTIFACT = {
  manifest: JSON.stringify({ name: "reference-runtime", version: "1.2.0", protocol: "sigma-runtime/1", entry: "src/index.ts" }, null, 2),
  bundle: "export function createRuntime(host) { return { step(turn) { return { reply: turn.text, packet: null }; } }; }\n",
};

export type Fixtures = {
  key: SigningKey;
  jwks: ReturnType<typeof publicJwks>;
  valid: CertificateDocument;
  /** valid with payload.subject.version changed after signing (id and JWS kept). */
  tampered: CertificateDocument;
  /** A report with per-scenario DI series, published with the valid certificate. */
  report: unknown;
  /** Another valid certificate (a different seed), for status changes. */
  second: CertificateDocument;
  /** A legacy assay.certificate/v1 certificate (issued before per-claim conformance), signed by the same key. */
  legacy: CertificateDocument;
};

export async function makeFixtures(now = new Date()): Promise<Fixtures> {
  const key = await generateSigningKey();
  const payload: CertificatePayload = {
    format: "assay.certificate/v2",
    subject: {
      name: "reference-runtime",
      version: "1.2.0",
      digest: subjectDigest([
        { path: "sigma-runtime.json", content: ARTIFACT.manifest },
        { path: "src/index.js", content: ARTIFACT.bundle },
      ]),
    },
    claims: ["SRIP-03", "SRIP-05"],
    claimsNotGranted: [{ srip: "SRIP-13", reason: "not-evidenced", findings: ["ALIAS_SCOPE_LEAK", "SESSION_LEAK"] }],
    audit: {
      suite: { id: "core", version: "1.0.0" },
      seed: 42,
      engine: { name: "assay-audit", version: "0.1.0" },
      metrics: [
        { id: "srs.composite_drift_index.v1", value: 3120, unit: "bps", validity: "valid" },
        { id: "srs.recovery_turns.v1", value: 3, unit: "turns", validity: "valid" },
      ],
      findingsDigest: digestOf([]),
      reportDigest: sha256Digest("report"),
      criticalFindings: 0,
    },
    assembly: {
      recordDigest: sha256Digest("assembly record"),
      rounds: 1,
      seats: 5,
      tally: { verdict: "certify", certifyWeightBps: 8000, participationBps: 10_000, stabilityScoreBps: 8700 },
    },
    verdict: "certified",
    level: "assembly",
    issuedAt: toCertificateTime(new Date(now.getTime() - 86_400_000)),
    validUntil: toCertificateTime(new Date(now.getTime() + 365 * 86_400_000)),
    supersedes: null,
    issuer: { id: ISSUER_ID, kid: key.kid },
  };
  const valid = await signCertificate(payload, { privateKey: key.privateJwk, kid: key.kid });
  const second = await signCertificate({ ...payload, audit: { ...payload.audit, seed: 43 } }, { privateKey: key.privateJwk, kid: key.kid });
  const tampered: CertificateDocument = { ...valid, payload: { ...valid.payload, subject: { ...valid.payload.subject, version: "9.9.9" } } };
  // Per-turn DI in basis points, as an audit report carries it (scenarios[].series).
  const series = (peak: number) => Array.from({ length: 40 }, (_, i) => Math.round(2000 + peak * Math.sin((i / 39) * Math.PI)));
  const scenario = (id: string, title: string, peak: number) => ({ id, title, seed: 42, turns: 40, completed: true, transcriptDigest: sha256Digest(id), metrics: [], series: series(peak) });
  const report = {
    format: "assay.report/v2",
    verdict: "pass",
    digest: sha256Digest("report"),
    suite: { id: "core", version: "1.0.0" },
    seed: 42,
    engine: { name: "assay-audit", version: "1.1.0" },
    profile: "srs.profile.core.v1",
    limits: { memoryBytes: 33_554_432, stackBytes: 524_288, stepBudget: 1_000_000, auditBudget: 100_000_000, outputBytes: 65_536, wallClockMs: 10_000 },
    subject: { name: payload.subject.name, version: payload.subject.version, digest: payload.subject.digest },
    metrics: [],
    scenarios: [scenario("long-horizon", "Long-horizon task", 1800), scenario("drift-pressure", "Drift pressure and realignment", 3500)],
    findings: [],
    claims: [],
    usage: { modelCalls: 0, inputTokens: 0, outputTokens: 0 },
  };
  return { key, jwks: publicJwks([key]), valid, tampered, report, second, legacy: signLegacy(payload, key) };
}

/**
 * The same certificate in the legacy v1 format (all three claims, no withheld
 * list). v1 is never issued any more (signCertificate refuses it), so it is
 * signed here with node:crypto exactly as the JWS profile says.
 */
function signLegacy(payload: CertificatePayload, key: SigningKey): CertificateDocument {
  const { claimsNotGranted: _withheld, ...common } = payload;
  const v1 = { ...common, format: "assay.certificate/v1", claims: ["SRIP-03", "SRIP-05", "SRIP-13"] };
  const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64url");
  const input = `${b64(JSON.stringify({ alg: "EdDSA", kid: key.kid, typ: "assay-certificate+jws" }))}.${b64(canonicalJson(v1))}`;
  const signature = sign(null, Buffer.from(input, "ascii"), createPrivateKey({ key: key.privateJwk as never, format: "jwk" }));
  return { id: digestOf(v1), payload: v1, jws: `${input}.${b64(signature)}` } as unknown as CertificateDocument;
}
