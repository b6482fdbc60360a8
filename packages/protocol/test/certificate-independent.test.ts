// Cross-checks of the certificate module against primitives it does not use:
// node:crypto Ed25519 and SHA-256, Buffer base64url, and a sorted-key JSON
// serialiser (equal to RFC 8785 for the integer-and-string data of a payload).
// Plus fast-check properties over random payloads.
import fc from "fast-check";
import { createHash, createPublicKey, createPrivateKey, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import {
  certificateId,
  certificateIdAsync,
  CertificatePayloadSchema,
  FindingCode,
  generateSigningKey,
  publicJwks,
  signCertificate,
  verifyCertificate,
  type CertificatePayload,
  type SigningKey,
  type VerifyCertificateContext,
} from "../src";

const ISSUER = "assay:issuer:independent";

/** JCS for data without floats: keys sorted by UTF-16 code units, JSON.stringify for scalars. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
const nodeId = (payload: unknown) => `0x${createHash("sha256").update(sortedJson(payload), "utf8").digest("hex")}`;
const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

const digestArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString("hex")}`);
const textArb = fc.string({ minLength: 1, maxLength: 12 });
const secondsArb = fc.integer({ min: 1_700_000_000, max: 2_000_000_000 });
const timeOf = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

const metricArb = fc.record({
  id: fc.stringMatching(/^[a-z0-9_]{1,12}$/).map((n) => `srs.${n}.v1`),
  value: fc.option(fc.integer({ min: -1_000_000, max: 1_000_000 }), { nil: null }),
  unit: fc.constantFrom("bps" as const, "count" as const, "turns" as const),
  validity: fc.constantFrom("valid" as const, "degraded" as const, "unverified" as const),
});
const bpsArb = fc.integer({ min: 0, max: 10_000 });
const assemblyArb = fc.record({
  recordDigest: digestArb,
  rounds: fc.integer({ min: 1, max: 5 }),
  seats: fc.integer({ min: 1, max: 31 }),
  tally: fc.record({ verdict: fc.constant("certify" as const), certifyWeightBps: bpsArb, participationBps: bpsArb, stabilityScoreBps: bpsArb }),
});

const payloadArb = (kid: string): fc.Arbitrary<CertificatePayload> =>
  fc
    .record({
      subject: fc.record({ name: textArb, version: textArb, digest: digestArb }),
      srips: fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 6 }),
      grantedCount: fc.integer({ min: 1, max: 6 }),
      withheld: fc.array(
        fc.record({
          reason: fc.constantFrom("not-evidenced" as const, "not-tested" as const, "denied-by-assembly" as const),
          findings: fc.subarray([...FindingCode.options]),
        }),
        { minLength: 6, maxLength: 6 },
      ),
      suite: fc.record({ id: textArb, version: textArb }),
      seed: fc.nat(),
      engine: fc.record({ name: textArb, version: textArb }),
      metrics: fc.uniqueArray(metricArb, { maxLength: 4, selector: (m) => m.id }),
      findingsDigest: digestArb,
      reportDigest: digestArb,
      assembly: fc.option(assemblyArb, { nil: null }),
      issued: secondsArb,
      lifetime: fc.integer({ min: 1, max: 3 * 365 * 86_400 }),
      supersedes: fc.option(digestArb, { nil: null }),
    })
    .map((r) => {
      // Disjoint lists: the first srips are granted, the rest withheld (v2 keeps both sorted by SRIP).
      const srip = (n: number) => `SRIP-${String(n).padStart(2, "0")}`;
      const granted = Math.min(r.grantedCount, r.srips.length);
      const withheld = r.srips.slice(granted).map((n, i) => ({
        srip: srip(n),
        reason: r.assembly === null && r.withheld[i]!.reason === "denied-by-assembly" ? ("not-tested" as const) : r.withheld[i]!.reason,
        findings: [...r.withheld[i]!.findings].sort(),
      }));
      return { r, claims: r.srips.slice(0, granted).sort((a, b) => a - b).map(srip), claimsNotGranted: withheld.sort((a, b) => (a.srip < b.srip ? -1 : 1)) };
    })
    .map(({ r, claims, claimsNotGranted }) => ({
      format: "assay.certificate/v2" as const,
      subject: r.subject,
      claims,
      claimsNotGranted,
      audit: {
        suite: r.suite,
        seed: r.seed,
        engine: r.engine,
        metrics: r.metrics,
        findingsDigest: r.findingsDigest,
        reportDigest: r.reportDigest,
        criticalFindings: 0,
      },
      assembly: r.assembly,
      verdict: "certified" as const,
      level: r.assembly === null ? ("audit-only" as const) : ("assembly" as const),
      issuedAt: timeOf(r.issued),
      validUntil: timeOf(r.issued + r.lifetime),
      supersedes: r.supersedes,
      issuer: { id: ISSUER, kid },
    }));

function shuffleKeys(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rand));
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(() => rand() - 0.5);
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, rand)]));
  }
  return value;
}

type Path = (string | number)[];
function leafPaths(value: unknown, path: Path = []): Path[] {
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, Array.isArray(value) ? Number(k) : k]));
  }
  return [path];
}
function changeLeaf(payload: CertificatePayload, path: Path): CertificatePayload {
  const out = structuredClone(payload) as unknown as Record<string | number, unknown>;
  let node = out;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  const old = node[key];
  node[key] = old === null ? 0 : typeof old === "number" ? (old === 0 ? 1 : -old - 1) : `${String(old)}~`;
  return out as unknown as CertificatePayload;
}

let key: SigningKey;
beforeAll(async () => {
  key = await generateSigningKey();
});

const contextAt = (payload: CertificatePayload, jwksOf: SigningKey): VerifyCertificateContext => ({
  jwks: publicJwks([jwksOf]),
  allowedIssuers: [ISSUER],
  now: new Date(Date.parse(payload.issuedAt) + 500),
  status: { state: "active" },
  anchor: { state: "not-anchored" },
});

describe("certificates checked with node:crypto alone", () => {
  it("the JWS is Ed25519 over base64url(header).base64url(JCS bytes), and the id is SHA-256 of those bytes", async () => {
    const payload = fc.sample(payloadArb(key.kid), { numRuns: 1, seed: 7 })[0]!;
    const doc = await signCertificate(payload, { privateKey: key.privateJwk, kid: key.kid });
    const [header, body, signature] = doc.jws.split(".") as [string, string, string];

    expect(JSON.parse(Buffer.from(header, "base64url").toString("utf8"))).toEqual({
      alg: "EdDSA",
      kid: key.kid,
      typ: "assay-certificate+jws",
    });
    expect(body).toBe(b64url(sortedJson(payload)));
    const publicKey = createPublicKey({ key: key.publicJwk as never, format: "jwk" });
    const signingInput = Buffer.from(`${header}.${b64url(sortedJson(payload))}`, "ascii");
    expect(nodeVerify(null, signingInput, publicKey, Buffer.from(signature, "base64url"))).toBe(true);
    expect(nodeVerify(null, Buffer.from(`${header}.${b64url(sortedJson({ ...payload, supersedes: doc.id }))}`), publicKey, Buffer.from(signature, "base64url"))).toBe(false);
    expect(doc.id).toBe(nodeId(payload));
  });

  it("a certificate assembled with node:crypto verifies with verifyCertificate", async () => {
    const payload = fc.sample(payloadArb(key.kid), { numRuns: 1, seed: 11 })[0]!;
    const header = b64url(JSON.stringify({ alg: "EdDSA", kid: key.kid, typ: "assay-certificate+jws" }));
    const signingInput = `${header}.${b64url(sortedJson(payload))}`;
    const privateKey = createPrivateKey({ key: key.privateJwk as never, format: "jwk" });
    const jws = `${signingInput}.${b64url(nodeSign(null, Buffer.from(signingInput), privateKey))}`;
    const result = await verifyCertificate({ id: nodeId(payload), payload, jws }, contextAt(payload, key));
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe("legacy v1 certificates checked with node:crypto alone", () => {
  it("a v1 certificate assembled with node:crypto still verifies; its v2 spelling is another certificate", async () => {
    const v2 = fc.sample(payloadArb(key.kid), { numRuns: 1, seed: 13 })[0]!;
    const { claimsNotGranted: _dropped, ...rest } = v2;
    const payload = { ...rest, format: "assay.certificate/v1" as const };
    const header = b64url(JSON.stringify({ alg: "EdDSA", kid: key.kid, typ: "assay-certificate+jws" }));
    const signingInput = `${header}.${b64url(sortedJson(payload))}`;
    const privateKey = createPrivateKey({ key: key.privateJwk as never, format: "jwk" });
    const jws = `${signingInput}.${b64url(nodeSign(null, Buffer.from(signingInput), privateKey))}`;
    const result = await verifyCertificate({ id: nodeId(payload), payload, jws }, contextAt(v2, key));
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(nodeId(payload)).not.toBe(nodeId(v2));
    await expect(signCertificate(payload as unknown as CertificatePayload, { privateKey: key.privateJwk, kid: key.kid })).rejects.toMatchObject({
      code: "PAYLOAD_INVALID",
    });
  });
});

describe("certificate properties (fast-check)", () => {
  it("generated payloads are valid certificate payloads", () => {
    fc.assert(fc.property(payloadArb("kid"), (p) => CertificatePayloadSchema.safeParse(p).success), { numRuns: 200 });
  });

  it("the id is SHA-256 of the JCS bytes, the same under any key order, sync or WebCrypto", async () => {
    await fc.assert(
      fc.asyncProperty(payloadArb("kid"), fc.integer(), async (payload, seed) => {
        let s = seed;
        const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
        const shuffled = shuffleKeys(payload, rand) as CertificatePayload;
        const id = certificateId(payload);
        expect(id).toMatch(/^0x[0-9a-f]{64}$/);
        expect(certificateId(shuffled)).toBe(id);
        expect(await certificateIdAsync(shuffled)).toBe(id);
        expect(id).toBe(nodeId(payload));
      }),
      { numRuns: 200 },
    );
  });

  it("changing any single field changes the id", () => {
    fc.assert(
      fc.property(
        payloadArb("kid").chain((p) => fc.record({ payload: fc.constant(p), path: fc.constantFrom(...leafPaths(p)) })),
        ({ payload, path }) => {
          expect(certificateId(changeLeaf(payload, path))).not.toBe(certificateId(payload));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("sign then verify holds for random payloads", async () => {
    await fc.assert(
      fc.asyncProperty(payloadArb(key.kid), async (payload) => {
        const doc = await signCertificate(payload, { privateKey: key.privateJwk, kid: key.kid });
        const result = await verifyCertificate(JSON.parse(JSON.stringify(doc)), contextAt(payload, key));
        expect(result.checks.filter((c) => !c.ok)).toEqual([]);
        expect(result.valid).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
