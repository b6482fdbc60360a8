import { CompactSign, base64url, calculateJwkThumbprint, decodeProtectedHeader, importJWK, type CryptoKey, type JSONWebKeySet } from "jose";
import {
  CERTIFICATE_CHECKS,
  CertificateError,
  AuditReportSchema,
  AnyCertificatePayloadSchema,
  CERTIFICATE_FORMATS,
  CertificatePayloadSchema,
  CertificatePayloadV1Schema,
  CertificateVerifyResultSchema,
  certificateClaims,
  type ClaimResult,
  certificateAuditOf,
  digestOf,
  canonicalBytes,
  canonicalJson,
  certificateId,
  certificateIdAsync,
  generateSigningKey,
  isCertificateTime,
  jwkThumbprint,
  publicJwks,
  signCertificate,
  toCertificateTime,
  verifyCertificate,
  type CertificateDocument,
  type CertificatePayload,
  type CertificateVerifyResult,
  type SigningKey,
  type VerifyCertificateContext,
} from "../src";

const ISSUER = "assay:issuer:test";
const hex = (c: string) => `0x${c.repeat(64)}`;

function payloadFor(kid: string, overrides: Partial<CertificatePayload> = {}): CertificatePayload {
  return {
    format: "assay.certificate/v2",
    subject: { name: "reference-runtime", version: "1.2.0", digest: hex("a") },
    claims: ["SRIP-03", "SRIP-05"],
    claimsNotGranted: [{ srip: "SRIP-13", reason: "not-evidenced", findings: ["ALIAS_SCOPE_LEAK", "SESSION_LEAK"] }],
    audit: {
      suite: { id: "core", version: "1.0.0" },
      seed: 42,
      engine: { name: "assay-audit", version: "0.1.0" },
      metrics: [
        { id: "srs.composite_drift_index.v1", value: 3120, unit: "bps", validity: "valid" },
        { id: "srs.recovery_turns.v1", value: 4, unit: "turns", validity: "valid" },
        { id: "srs.semantic_compression_ratio.v1", value: null, unit: "bps", validity: "unverified" },
      ],
      findingsDigest: hex("b"),
      reportDigest: hex("c"),
      criticalFindings: 0,
    },
    assembly: {
      recordDigest: hex("d"),
      rounds: 1,
      seats: 5,
      tally: { verdict: "certify", certifyWeightBps: 8000, participationBps: 10_000, stabilityScoreBps: 7400 },
    },
    verdict: "certified",
    level: "assembly",
    issuedAt: "2026-01-01T00:00:00Z",
    validUntil: "2027-01-01T00:00:00Z",
    supersedes: null,
    issuer: { id: ISSUER, kid },
    ...overrides,
  };
}

const clone = <T>(value: T): T => structuredClone(value);
const failing = (result: CertificateVerifyResult) => result.checks.filter((c) => !c.ok).map((c) => c.name);
const check = (result: CertificateVerifyResult, name: string) => result.checks.find((c) => c.name === name)!;

let current: SigningKey; // the issuer's active key
let retired: SigningKey; // rotated out, still published
let stranger: SigningKey; // not the issuer's
let jwks: JSONWebKeySet;
let payload: CertificatePayload;
let doc: CertificateDocument;

function context(overrides: Partial<VerifyCertificateContext> = {}): VerifyCertificateContext {
  return {
    jwks,
    allowedIssuers: [ISSUER],
    now: new Date("2026-06-01T12:00:00Z"),
    status: { state: "active" },
    anchor: { state: "not-anchored" },
    artifactDigest: payload.subject.digest,
    ...overrides,
  };
}

beforeAll(async () => {
  [current, retired, stranger] = await Promise.all([generateSigningKey(), generateSigningKey(), generateSigningKey()]);
  jwks = publicJwks([current, retired]);
  payload = payloadFor(current.kid);
  doc = await signCertificate(payload, { privateKey: current.privateJwk, kid: current.kid });
});

describe("signing keys", () => {
  it("generates Ed25519 JWKs whose kid is the RFC 7638 thumbprint", async () => {
    expect(current.publicJwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig", kid: current.kid });
    expect(current.publicJwk.d).toBeUndefined();
    expect(typeof current.privateJwk.d).toBe("string");
    expect(current.kid).toBe(await calculateJwkThumbprint(current.publicJwk, "sha256"));
    expect(current.kid).not.toBe(retired.kid);
    expect(await jwkThumbprint(current.privateJwk)).toBe(current.kid);
  });

  it("publishes only public members and refuses duplicate or foreign keys", () => {
    const set = publicJwks([current, retired.privateJwk]);
    expect(set.keys).toHaveLength(2);
    for (const key of set.keys) expect(Object.keys(key).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x"]);
    expect(() => publicJwks([current, current])).toThrow(CertificateError);
    expect(() => publicJwks([{ kty: "EC", crv: "P-256", x: "a", y: "b", kid: "ec" }])).toThrow(/Ed25519/);
    expect(() => publicJwks([{ ...current.publicJwk, kid: undefined }])).toThrow(/kid/);
  });
});

describe("certificate times", () => {
  it("accepts only real UTC instants with second precision", () => {
    expect(isCertificateTime("2026-01-31T12:00:00Z")).toBe(true);
    for (const bad of ["2026-02-30T00:00:00Z", "2026-01-31T12:00:00.000Z", "2026-01-31T12:00:00+00:00", "2026-01-31", "2026-01-31T24:00:00Z"]) {
      expect(isCertificateTime(bad)).toBe(false);
    }
  });

  it("truncates instants to the second", () => {
    expect(toCertificateTime(new Date("2026-03-04T05:06:07.999Z"))).toBe("2026-03-04T05:06:07Z");
    expect(() => toCertificateTime(new Date(Number.NaN))).toThrow(CertificateError);
  });
});

describe("certificate payload schema", () => {
  const invalid: Array<[string, (p: CertificatePayload) => unknown]> = [
    ["a float", (p) => ({ ...p, audit: { ...p.audit, seed: 1.5 } })],
    ["a float metric", (p) => ({ ...p, audit: { ...p.audit, metrics: [{ ...p.audit.metrics[0]!, value: 0.31 }] } })],
    ["unsorted claims", (p) => ({ ...p, claims: ["SRIP-05", "SRIP-03"] })],
    ["duplicate claims", (p) => ({ ...p, claims: ["SRIP-03", "SRIP-03"] })],
    ["no claims", (p) => ({ ...p, claims: [] })],
    ["a non-SRIP claim", (p) => ({ ...p, claims: ["Sigma Certified"] })],
    ["level assembly without an assembly", (p) => ({ ...p, assembly: null })],
    ["level audit-only with an assembly", (p) => ({ ...p, level: "audit-only" })],
    ["critical findings on a certified subject", (p) => ({ ...p, audit: { ...p.audit, criticalFindings: 1 } })],
    ["validUntil not after issuedAt", (p) => ({ ...p, validUntil: p.issuedAt })],
    ["a time with milliseconds", (p) => ({ ...p, issuedAt: "2026-01-01T00:00:00.000Z" })],
    ["an impossible date", (p) => ({ ...p, validUntil: "2027-02-29T00:00:00Z" })],
    ["a bps above 10000", (p) => ({ ...p, assembly: { ...p.assembly!, tally: { ...p.assembly!.tally, participationBps: 10_001 } } })],
    ["an uppercase digest", (p) => ({ ...p, subject: { ...p.subject, digest: hex("A") } })],
    ["an unknown key", (p) => ({ ...p, note: "x" })],
    ["an unknown nested key", (p) => ({ ...p, issuer: { ...p.issuer, url: "https://x" } })],
    ["duplicate metric ids", (p) => ({ ...p, audit: { ...p.audit, metrics: [p.audit.metrics[0]!, p.audit.metrics[0]!] } })],
    ["verdict other than certified", (p) => ({ ...p, verdict: "rejected" })],
    ["a claim both granted and not granted", (p) => ({ ...p, claimsNotGranted: [{ srip: "SRIP-05", reason: "not-tested", findings: [] }] })],
    [
      "unsorted claimsNotGranted",
      (p) => ({
        ...p,
        claimsNotGranted: [
          { srip: "SRIP-13", reason: "not-tested", findings: [] },
          { srip: "SRIP-07", reason: "not-tested", findings: [] },
        ],
      }),
    ],
    ["unsorted findings of a withheld claim", (p) => ({ ...p, claimsNotGranted: [{ srip: "SRIP-13", reason: "not-evidenced", findings: ["SESSION_LEAK", "ALIAS_SCOPE_LEAK"] }] })],
    ["an unknown finding code", (p) => ({ ...p, claimsNotGranted: [{ srip: "SRIP-13", reason: "not-evidenced", findings: ["NOT_A_CODE"] }] })],
    ["an unknown reason", (p) => ({ ...p, claimsNotGranted: [{ srip: "SRIP-13", reason: "forgotten", findings: [] }] })],
    [
      "denied-by-assembly without an assembly",
      (p) => ({ ...p, level: "audit-only", assembly: null, claimsNotGranted: [{ srip: "SRIP-13", reason: "denied-by-assembly", findings: [] }] }),
    ],
    ["no claimsNotGranted (a v1 shape under the v2 format)", (p) => ({ ...p, claimsNotGranted: undefined })],
    ["the legacy format (never issued)", (p) => { const { claimsNotGranted: _, ...v1 } = p; return { ...v1, format: "assay.certificate/v1" }; }],
  ];

  it("accepts the assembly and the audit-only levels", () => {
    expect(CertificatePayloadSchema.safeParse(payloadFor("k")).success).toBe(true);
    expect(CertificatePayloadSchema.safeParse(payloadFor("k", { level: "audit-only", assembly: null })).success).toBe(true);
  });

  it.each(invalid)("rejects %s, and signing refuses it", async (_label, mutate) => {
    const bad = mutate(payloadFor(current.kid)) as CertificatePayload;
    expect(CertificatePayloadSchema.safeParse(bad).success).toBe(false);
    await expect(signCertificate(bad, { privateKey: current.privateJwk, kid: current.kid })).rejects.toMatchObject({
      code: "PAYLOAD_INVALID",
    });
  });
});

describe("certificateAuditOf", () => {
  const report = AuditReportSchema.parse({
    format: "assay.report/v2",
    verdict: "pass",
    digest: hex("c"),
    suite: { id: "core", version: "1.0.0" },
    seed: 42,
    engine: { name: "assay-audit", version: "0.1.0" },
    profile: "srs-default/1",
    limits: { memoryBytes: 1, stackBytes: 1, stepBudget: 1, auditBudget: 1, outputBytes: 1, wallClockMs: 1 },
    subject: { name: "reference-runtime", version: "1.2.0", digest: hex("a") },
    metrics: [{ id: "srs.composite_drift_index.v1", value: 3120, unit: "bps", validity: "valid" }],
    scenarios: [],
    findings: [
      { code: "CRYSTALLIZED", severity: "minor", scenario: "stability", turn: 40, message: "m", evidence: {} },
      { code: "RECOVERY_SLOW", severity: "major", scenario: "drift", turn: null, message: "m", evidence: { turns: 9 } },
    ],
    claims: [{ srip: "SRIP-03", status: "not-evidenced", findings: ["RECOVERY_SLOW"] }],
    usage: { modelCalls: 1, inputTokens: 1, outputTokens: 1 },
  });

  it("summarises a report into the audit block, with the findings and report digests", () => {
    const audit = certificateAuditOf(report);
    expect(audit).toEqual({
      suite: { id: "core", version: "1.0.0" },
      seed: 42,
      engine: { name: "assay-audit", version: "0.1.0" },
      metrics: report.metrics,
      findingsDigest: digestOf(report.findings),
      reportDigest: report.digest,
      criticalFindings: 0,
    });
    expect(CertificatePayloadSchema.safeParse({ ...payloadFor("k"), audit }).success).toBe(true);
  });

  it("counts critical findings, which a certified payload refuses", () => {
    const critical = { ...report.findings[0]!, code: "RUNTIME_CRASH" as const, severity: "critical" as const };
    const audit = certificateAuditOf({ ...report, findings: [...report.findings, critical, critical] });
    expect(audit.criticalFindings).toBe(2);
    expect(CertificatePayloadSchema.safeParse({ ...payloadFor("k"), audit }).success).toBe(false);
  });
});

describe("signCertificate", () => {
  it("produces { id, payload, jws } with the profile header and the JCS bytes as JWS payload", () => {
    expect(Object.keys(doc).sort()).toEqual(["id", "jws", "payload"]);
    expect(doc.id).toBe(certificateId(payload));
    expect(decodeProtectedHeader(doc.jws)).toEqual({ alg: "EdDSA", kid: current.kid, typ: "assay-certificate+jws" });
    const [, body] = doc.jws.split(".");
    expect(new TextDecoder().decode(base64url.decode(body!))).toBe(canonicalJson(payload));
  });

  it("computes the same id synchronously and with WebCrypto", async () => {
    expect(await certificateIdAsync(payload)).toBe(certificateId(payload));
  });

  it("refuses a kid other than the payload's issuer.kid and a non-private key", async () => {
    await expect(signCertificate(payload, { privateKey: current.privateJwk, kid: retired.kid })).rejects.toMatchObject({
      code: "KID_MISMATCH",
    });
    await expect(signCertificate(payload, { privateKey: current.publicJwk, kid: current.kid })).rejects.toMatchObject({
      code: "KEY_INVALID",
    });
    const publicOnly = (await importJWK(current.publicJwk, "EdDSA")) as CryptoKey;
    await expect(signCertificate(payload, { privateKey: publicOnly, kid: current.kid })).rejects.toMatchObject({ code: "KEY_INVALID" });
  });

  it("accepts an imported CryptoKey as well as a JWK", async () => {
    const key = (await importJWK(current.privateJwk, "EdDSA")) as CryptoKey;
    const viaKey = await signCertificate(payload, { privateKey: key, kid: current.kid });
    expect(viaKey.id).toBe(doc.id);
    expect((await verifyCertificate(viaKey, context())).valid).toBe(true);
  });
});

describe("verifyCertificate: a genuine certificate", () => {
  it("is valid, with every check reported in the fixed order", async () => {
    const result = await verifyCertificate(doc, context());
    expect(CertificateVerifyResultSchema.parse(result)).toEqual(result);
    expect(result.checks.map((c) => c.name)).toEqual([...CERTIFICATE_CHECKS]);
    expect(failing(result)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(check(result, "signature").detail).toContain(current.kid);
  });

  it("survives a JSON round trip and ignores unsigned envelope fields", async () => {
    const wire = JSON.parse(JSON.stringify({ ...doc, anchor: { batchRoot: hex("e"), proof: [] }, status: "active" }));
    expect((await verifyCertificate(wire, context())).valid).toBe(true);
  });

  it("verifies an audit-only certificate", async () => {
    const auditOnly = await signCertificate(payloadFor(current.kid, { level: "audit-only", assembly: null }), {
      privateKey: current.privateJwk,
      kid: current.kid,
    });
    expect((await verifyCertificate(auditOnly, context())).valid).toBe(true);
  });

  it("still verifies certificates signed by a rotated-out key that stays published", async () => {
    const old = await signCertificate(payloadFor(retired.kid), { privateKey: retired.privateJwk, kid: retired.kid });
    const result = await verifyCertificate(old, context());
    expect(result.valid).toBe(true);
    expect(check(result, "signature").detail).toContain(retired.kid);
  });

  it("treats the kid as a hint: an issuer key verifies even under another kid", async () => {
    // Signed by the retired key while naming the current key's kid.
    const mislabelled = await signCertificate(payloadFor(current.kid), { privateKey: retired.privateJwk, kid: current.kid });
    const result = await verifyCertificate(mislabelled, context());
    expect(failing(result)).toEqual([]);
    expect(check(result, "signature").detail).toContain(`issuer key ${retired.kid}`);
    // And under a kid the issuer never published.
    const unlisted = await signCertificate(payloadFor("rotation-label-7"), { privateKey: retired.privateJwk, kid: "rotation-label-7" });
    expect((await verifyCertificate(unlisted, context())).valid).toBe(true);
  });

  it("reports a pending anchor as ok with detail pending, and an anchored one with block and tx", async () => {
    const pending = await verifyCertificate(doc, context({ anchor: { state: "pending" } }));
    expect(pending.valid).toBe(true);
    expect(check(pending, "anchor")).toEqual({ name: "anchor", ok: true, detail: "pending" });
    const anchored = await verifyCertificate(doc, context({ anchor: { state: "anchored", block: 12, tx: hex("f") } }));
    expect(anchored.valid).toBe(true);
    expect(check(anchored, "anchor").detail).toContain("block 12");
  });

  it("passes the artifact check when no local artifact is given", async () => {
    const result = await verifyCertificate(doc, context({ artifactDigest: undefined }));
    expect(result.valid).toBe(true);
    expect(check(result, "artifact").detail).toMatch(/not requested/);
  });

  it("accepts the window boundaries at second precision", async () => {
    for (const now of ["2026-01-01T00:00:00Z", "2027-01-01T00:00:00.999Z"]) {
      expect(failing(await verifyCertificate(doc, context({ now: new Date(now) })))).toEqual([]);
    }
  });
});

// Every leaf of the payload, with a schema-preserving change where one exists.
type Leaf = { path: (string | number)[]; value: unknown };
function leaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, Array.isArray(value) ? Number(k) : k]));
  }
  return [{ path, value }];
}
function changed(leaf: Leaf): unknown {
  const { path, value } = leaf;
  const last = path[path.length - 1];
  if (value === null) return path.includes("supersedes") ? hex("9") : 0;
  if (typeof value === "number") return value === 10_000 ? 9_999 : value + 1;
  const s = value as string;
  if (/^0x[0-9a-f]{64}$/.test(s)) return `${s.slice(0, -1)}${s.endsWith("0") ? "1" : "0"}`;
  if (isCertificateTime(s)) return toCertificateTime(new Date(Date.parse(s) + (last === "issuedAt" ? -1000 : 1000)));
  if (/^SRIP-\d+$/.test(s)) return `SRIP-${String(Number(s.slice(5)) + 1).padStart(2, "0")}`;
  if (/\.v\d+$/.test(s)) return s.replace(/\d+$/, (n) => String(Number(n) + 1));
  return `${s}x`;
}
function withLeaf(p: CertificatePayload, path: (string | number)[], value: unknown): CertificatePayload {
  const out = clone(p) as unknown as Record<string | number, unknown>;
  let node = out;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return out as unknown as CertificatePayload;
}

// Fields whose every change leaves the format (literals, enums, the critical-findings veto).
const SCHEMA_BOUND = new Set([
  "format",
  "claimsNotGranted.0.reason",
  "claimsNotGranted.0.findings.0",
  "claimsNotGranted.0.findings.1",
  "verdict",
  "level",
  "audit.criticalFindings",
  "assembly.tally.verdict",
  "audit.metrics.0.unit",
  "audit.metrics.0.validity",
  "audit.metrics.1.unit",
  "audit.metrics.1.validity",
  "audit.metrics.2.unit",
  "audit.metrics.2.validity",
]);
// Checks that a field feeds besides the id and the signed bytes.
const ALSO_FAILS: Record<string, string[]> = {
  "issuer.kid": ["signature"],
  "issuer.id": ["issuer"],
  "subject.digest": ["artifact"],
};

describe("verifyCertificate: tampering", () => {
  const paths = leaves(payloadFor("k")).map((l) => l.path.join("."));

  it("covers every payload field", () => {
    expect(paths.length).toBeGreaterThan(30);
  });

  it.each(paths)("a changed %s fails exactly the checks it feeds", async (dotted) => {
    const leaf = leaves(payload).find((l) => l.path.join(".") === dotted)!;
    const tampered = withLeaf(payload, leaf.path, changed(leaf));
    const extra = ALSO_FAILS[dotted] ?? [];
    const byOrder = (names: string[]) => CERTIFICATE_CHECKS.filter((n) => names.includes(n));

    const kept = await verifyCertificate({ ...doc, payload: tampered }, context());
    expect(kept.valid).toBe(false);
    if (SCHEMA_BOUND.has(dotted)) {
      expect(check(kept, "schema").ok).toBe(false);
      return;
    }
    expect(failing(kept)).toEqual(byOrder(["id", "jws-payload", ...extra]));

    // Even with a matching id the signed bytes give the change away.
    const rehashed = await verifyCertificate({ ...doc, id: certificateId(tampered), payload: tampered }, context());
    expect(failing(rehashed)).toEqual(byOrder(["jws-payload", ...extra]));
  });

  it("an added or removed payload field fails the schema check, and nothing is trusted after it", async () => {
    const { supersedes: _dropped, ...missing } = payload;
    for (const bad of [{ ...payload, extra: 1 }, missing]) {
      const result = await verifyCertificate({ ...doc, payload: bad }, context());
      expect(result.valid).toBe(false);
      expect(result.checks.map((c) => c.name)).toEqual([...CERTIFICATE_CHECKS]);
      expect(result.checks.every((c) => !c.ok)).toBe(true);
      expect(result.checks.slice(1).every((c) => c.detail.startsWith("not checked"))).toBe(true);
    }
  });

  it("non-documents fail the schema check without throwing", async () => {
    for (const junk of [null, "0x12", 42, [], { id: doc.id }, { ...doc, jws: "not a jws" }, { ...doc, id: "0x1234" }]) {
      const result = await verifyCertificate(junk, context());
      expect(result.valid).toBe(false);
      expect(check(result, "schema").ok).toBe(false);
    }
  });

  it("a changed id fails only the id check", async () => {
    const result = await verifyCertificate({ ...doc, id: hex("0") }, context());
    expect(failing(result)).toEqual(["id"]);
  });

  const segments = (jws: string) => jws.split(".") as [string, string, string];
  const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

  it.each([
    ["typ", { alg: "EdDSA", kid: "KID", typ: "JWT" }],
    ["alg", { alg: "ES256", kid: "KID", typ: "assay-certificate+jws" }],
    ["kid", { alg: "EdDSA", kid: "other", typ: "assay-certificate+jws" }],
    ["an embedded jwk", { alg: "EdDSA", kid: "KID", typ: "assay-certificate+jws", jwk: { kty: "OKP" } }],
    ["member order only", { typ: "assay-certificate+jws", kid: "KID", alg: "EdDSA" }],
  ])("a JWS header with a changed %s fails only the signature check", async (_label, header) => {
    const [, body, signature] = segments(doc.jws);
    const forged = JSON.parse(JSON.stringify(header).replace('"KID"', JSON.stringify(current.kid)));
    const result = await verifyCertificate({ ...doc, jws: `${encodeJson(forged)}.${body}.${signature}` }, context());
    expect(failing(result)).toEqual(["signature"]);
  });

  it.each([
    ["another typ", { typ: "JWT" }, /typ JWT/],
    ["no typ", { typ: undefined }, /typ undefined/],
    ["an extra header parameter", { jku: "https://attacker.example/jwks.json" }, /outside the profile: jku/],
  ])("a JWS genuinely signed by the issuer but with %s fails only the signature check", async (_label, change, detail) => {
    const header = JSON.parse(JSON.stringify({ alg: "EdDSA", kid: current.kid, typ: "assay-certificate+jws", ...change }));
    const jws = await new CompactSign(canonicalBytes(payload)).setProtectedHeader(header).sign(await importJWK(current.privateJwk, "EdDSA"));
    const result = await verifyCertificate({ ...doc, jws }, context());
    expect(failing(result)).toEqual(["signature"]);
    expect(check(result, "signature").detail).toMatch(detail);
  });

  it("a changed JWS payload segment fails the jws-payload and signature checks", async () => {
    const [header, , signature] = segments(doc.jws);
    const other = base64url.encode(canonicalBytes(payloadFor(current.kid, { issuedAt: "2026-01-02T00:00:00Z" })));
    const reordered = base64url.encode(JSON.stringify(payload)); // same values, not JCS bytes
    for (const body of [other, reordered]) {
      const result = await verifyCertificate({ ...doc, jws: `${header}.${body}.${signature}` }, context());
      expect(failing(result)).toEqual(["jws-payload", "signature"]);
    }
  });

  it("a changed signature segment fails only the signature check", async () => {
    const [header, body, signature] = segments(doc.jws);
    const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    const otherDoc = await signCertificate(payloadFor(current.kid, { issuedAt: "2026-01-02T00:00:00Z" }), {
      privateKey: current.privateJwk,
      kid: current.kid,
    });
    const other = segments(otherDoc.jws)[2]; // a genuine signature, over other bytes
    for (const sig of [flipped, signature.slice(0, 40), other]) {
      expect(sig).not.toBe(signature);
      const result = await verifyCertificate({ ...doc, jws: `${header}.${body}.${sig}` }, context());
      expect(failing(result)).toEqual(["signature"]);
    }
  });

  it("a key swap (another key signing under the issuer's kid) fails only the signature check", async () => {
    const forged = await signCertificate(payload, { privateKey: stranger.privateJwk, kid: current.kid });
    expect(forged.id).toBe(doc.id);
    const result = await verifyCertificate(forged, context());
    expect(failing(result)).toEqual(["signature"]);
    expect(check(result, "signature").detail).toMatch(/does not verify with key/);
  });

  it("an unknown kid with no matching issuer key fails only the signature check", async () => {
    const forged = await signCertificate(payloadFor(stranger.kid), { privateKey: stranger.privateJwk, kid: stranger.kid });
    const result = await verifyCertificate(forged, context());
    expect(failing(result)).toEqual(["signature"]);
    expect(check(result, "signature").detail).toMatch(/unknown kid/);
  });

  it("an empty or foreign key set verifies nothing", async () => {
    expect(failing(await verifyCertificate(doc, context({ jwks: { keys: [] } })))).toEqual(["signature"]);
    expect(failing(await verifyCertificate(doc, context({ jwks: publicJwks([stranger]) })))).toEqual(["signature"]);
  });
});

describe("verifyCertificate: context checks", () => {
  it.each([
    ["before issuedAt", "2025-12-31T23:59:59Z", /not yet valid/],
    ["after validUntil", "2027-01-01T00:00:01Z", /expired/],
  ])("a certificate checked %s fails only the time-window check", async (_label, now, detail) => {
    const result = await verifyCertificate(doc, context({ now: new Date(now) }));
    expect(failing(result)).toEqual(["time-window"]);
    expect(check(result, "time-window").detail).toMatch(detail);
  });

  it.each([
    [{ state: "revoked", reason: "KEY_COMPROMISE" } as const, /revoked: KEY_COMPROMISE/],
    [{ state: "suspended", reason: "under review" } as const, /suspended/],
    [{ state: "expired" } as const, /expired/],
    [{ state: "unknown" } as const, /unknown/],
  ])("status %o fails only the status check", async (status, detail) => {
    const result = await verifyCertificate(doc, context({ status }));
    expect(failing(result)).toEqual(["status"]);
    expect(check(result, "status").detail).toMatch(detail);
  });

  it.each([
    [{ state: "revoked-on-chain", reason: "superseded" } as const],
    [{ state: "failed", error: "receipt reverted" } as const],
  ])("anchor %o fails only the anchor check", async (anchor) => {
    expect(failing(await verifyCertificate(doc, context({ anchor })))).toEqual(["anchor"]);
  });

  it("an issuer outside the allowed list fails only the issuer check", async () => {
    expect(failing(await verifyCertificate(doc, context({ allowedIssuers: ["assay:issuer:other"] })))).toEqual(["issuer"]);
  });

  it("a local artifact with another digest fails only the artifact check", async () => {
    const result = await verifyCertificate(doc, context({ artifactDigest: hex("0") }));
    expect(failing(result)).toEqual(["artifact"]);
  });

  it("throws a typed error for a malformed context instead of reporting on the document", async () => {
    const bad = [
      { ...context(), now: new Date(Number.NaN) },
      { ...context(), status: { state: "revoked" } },
      { ...context(), anchor: { state: "anchored", block: 1.5, tx: hex("f") } },
      { ...context(), artifactDigest: "abc" },
    ];
    for (const ctx of bad) {
      await expect(verifyCertificate(doc, ctx as VerifyCertificateContext)).rejects.toMatchObject({ code: "CONTEXT_INVALID" });
    }
  });
});

describe("legacy v1 certificates", () => {
  // Issued before per-claim conformance: v1 is never issued any more (signCertificate
  // refuses it), so the document is signed here by hand, exactly as v1 issuers did.
  async function signV1(kid: string, edit: (p: Record<string, unknown>) => void = () => {}): Promise<CertificateDocument> {
    const { claimsNotGranted: _dropped, ...rest } = payloadFor(kid);
    const v1: Record<string, unknown> = { ...rest, format: "assay.certificate/v1", claims: ["SRIP-03", "SRIP-05", "SRIP-13"] };
    edit(v1);
    const key = (await importJWK(current.privateJwk, "EdDSA")) as CryptoKey;
    const jws = await new CompactSign(canonicalBytes(v1)).setProtectedHeader({ alg: "EdDSA", kid, typ: "assay-certificate+jws" }).sign(key);
    return { id: digestOf(v1), payload: v1, jws } as unknown as CertificateDocument;
  }

  it("still verify, and the schema check names the format", async () => {
    const legacy = await signV1(current.kid);
    expect(CertificatePayloadV1Schema.safeParse(legacy.payload).success).toBe(true);
    const result = await verifyCertificate(legacy, context());
    expect(failing(result)).toEqual([]);
    expect(check(result, "schema").detail).toContain("assay.certificate/v1");
    expect(check(await verifyCertificate(doc, context()), "schema").detail).toContain("assay.certificate/v2");
  });

  it("are checked as strictly as before: a v2 field on a v1 payload, or tampering, fails", async () => {
    const withV2Field = await signV1(current.kid, (p) => (p.claimsNotGranted = []));
    expect(check(await verifyCertificate(withV2Field, context()), "schema").ok).toBe(false);
    const legacy = await signV1(current.kid);
    const tampered = { ...legacy, payload: { ...legacy.payload, claims: ["SRIP-03"] } };
    expect(failing(await verifyCertificate(tampered, context()))).toEqual(["id", "jws-payload"]);
  });

  it("are discriminated on format by the document schema", () => {
    expect(AnyCertificatePayloadSchema.safeParse(payload).success).toBe(true);
    // A v2 payload relabelled v3 lacks credentialStatus: it is not a v3 payload either.
    expect(AnyCertificatePayloadSchema.safeParse({ ...payload, format: "assay.certificate/v3" }).success).toBe(false);
    expect(AnyCertificatePayloadSchema.safeParse({ ...payload, format: "assay.certificate/v4" }).success).toBe(false);
    expect(CERTIFICATE_FORMATS).toEqual(["assay.certificate/v3", "assay.certificate/v2", "assay.certificate/v1"]);
  });
});

describe("certificateClaims", () => {
  const report: ClaimResult[] = [
    { srip: "SRIP-13", status: "not-evidenced", findings: ["SESSION_LEAK", "ALIAS_SCOPE_LEAK"] },
    { srip: "SRIP-05", status: "evidenced", findings: [] },
    { srip: "SRIP-03", status: "evidenced", findings: [] },
  ];

  it("grants every evidenced claim without an assembly, and lists the rest with reason and findings", () => {
    expect(certificateClaims(report)).toEqual({
      claims: ["SRIP-03", "SRIP-05"],
      claimsNotGranted: [{ srip: "SRIP-13", reason: "not-evidenced", findings: ["ALIAS_SCOPE_LEAK", "SESSION_LEAK"] }],
    });
    expect(certificateClaims(report, null)).toEqual(certificateClaims(report));
  });

  it("lets an assembly withhold an evidenced claim but never add one", () => {
    expect(certificateClaims(report, ["SRIP-05", "SRIP-13"])).toEqual({
      claims: ["SRIP-05"],
      claimsNotGranted: [
        { srip: "SRIP-03", reason: "denied-by-assembly", findings: [] },
        { srip: "SRIP-13", reason: "not-evidenced", findings: ["ALIAS_SCOPE_LEAK", "SESSION_LEAK"] },
      ],
    });
  });

  it("returns no claims when nothing is granted (the submission is then rejected, not certified)", () => {
    const onlyLeaky: ClaimResult[] = [{ srip: "SRIP-13", status: "not-evidenced", findings: ["SESSION_LEAK"] }];
    expect(certificateClaims(onlyLeaky).claims).toEqual([]);
    expect(certificateClaims(report, []).claims).toEqual([]);
    expect(certificateClaims([{ srip: "SRIP-05", status: "not-tested", findings: [] }]).claimsNotGranted).toEqual([
      { srip: "SRIP-05", reason: "not-tested", findings: [] },
    ]);
  });

  it("produces lists a v2 payload accepts, and refuses a report listing a claim twice", () => {
    const lists = certificateClaims(report, ["SRIP-03"]);
    expect(CertificatePayloadSchema.safeParse({ ...payloadFor("k"), ...lists }).success).toBe(true);
    expect(() => certificateClaims([...report, report[0]!])).toThrow(CertificateError);
  });
});
