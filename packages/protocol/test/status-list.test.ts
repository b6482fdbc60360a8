// The status list (docs/decisions/0022): the bitstring's encoding (W3C
// Bitstring Status List layout, gzip, multibase base64url) with property tests,
// the signed list, and the verifier's status-list check on v3 certificates.
import { gunzipSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { CompactSign, importJWK } from "jose";
import {
  bitstringOf,
  canonicalBytes,
  certificateId,
  checkStatusList,
  decodeBitstring,
  encodeBitstring,
  generateSigningKey,
  publicJwks,
  setIndexesOf,
  signCertificate,
  signStatusList,
  STATUS_LIST_MIN_BITS,
  statusBit,
  statusListId,
  statusListSize,
  verifyCertificate,
  verifyStatusList,
  webGzip,
  type CertificatePayloadV3,
  type Gzip,
  type SigningKey,
  type StatusListPayload,
} from "../src";

const nodeGzip: Gzip = {
  gzip: (bytes) => gzipSync(bytes),
  gunzip: (bytes, maxBytes) => gunzipSync(bytes, { maxOutputLength: maxBytes }),
};
const ISSUER = "assay-test";
const LIST = statusListId(ISSUER);
const NOW = new Date("2026-06-01T12:00:00Z");
const hex = (c: string) => `0x${c.repeat(64)}`;

describe("bitstring", () => {
  test("sizes: at least 131,072 bits, in steps of 131,072", () => {
    expect(statusListSize(-1)).toBe(STATUS_LIST_MIN_BITS);
    expect(statusListSize(0)).toBe(STATUS_LIST_MIN_BITS);
    expect(statusListSize(STATUS_LIST_MIN_BITS - 1)).toBe(STATUS_LIST_MIN_BITS);
    expect(statusListSize(STATUS_LIST_MIN_BITS)).toBe(2 * STATUS_LIST_MIN_BITS);
    expect(statusListSize(999_999)).toBe(8 * STATUS_LIST_MIN_BITS);
  });

  test("index 0 is the most significant bit of the first byte (W3C layout)", () => {
    const bits = bitstringOf(16, [0, 9, 15]);
    expect([...bits]).toEqual([0b1000_0000, 0b0100_0001]);
    expect(statusBit(bits, 0)).toBe(true);
    expect(statusBit(bits, 1)).toBe(false);
    expect(() => statusBit(bits, 16)).toThrow(RangeError);
  });

  const indexes = fc.uniqueArray(fc.integer({ min: 0, max: 4 * STATUS_LIST_MIN_BITS - 1 }), { maxLength: 300 });

  test("property: set bits round-trip through encode/decode (node zlib), every other bit stays zero", async () => {
    await fc.assert(
      fc.asyncProperty(indexes, async (set) => {
        const size = statusListSize(Math.max(-1, ...set));
        const decoded = await decodeBitstring(await encodeBitstring(bitstringOf(size, set), nodeGzip), size, nodeGzip);
        expect(setIndexesOf(decoded)).toEqual([...set].sort((a, b) => a - b));
        const chosen = new Set(set);
        for (let probe = 0; probe < 200; probe++) {
          const i = (probe * 7919 + set.length * 31) % size;
          expect(statusBit(decoded, i)).toBe(chosen.has(i));
        }
      }),
      { numRuns: 60 },
    );
  });

  test("property: the Compression Streams codec (browser path) reads what node:zlib wrote and vice versa", async () => {
    await fc.assert(
      fc.asyncProperty(indexes, async (set) => {
        const size = statusListSize(Math.max(-1, ...set));
        const bits = bitstringOf(size, set);
        expect(setIndexesOf(await decodeBitstring(await encodeBitstring(bits, nodeGzip), size, webGzip))).toEqual(setIndexesOf(bits));
        expect(setIndexesOf(await decodeBitstring(await encodeBitstring(bits, webGzip), size, nodeGzip))).toEqual(setIndexesOf(bits));
      }),
      { numRuns: 15 },
    );
  });

  test("decoding refuses another length, a gzip bomb, non-gzip and non-multibase input", async () => {
    const size = STATUS_LIST_MIN_BITS;
    const encoded = await encodeBitstring(bitstringOf(size, [1]), nodeGzip);
    await expect(decodeBitstring(encoded, 2 * size)).rejects.toThrow(/inflates to 131072 bits/);
    const bomb = `u${Buffer.from(gzipSync(new Uint8Array(64 * 1024 * 1024))).toString("base64url")}`;
    await expect(decodeBitstring(bomb, size)).rejects.toThrow(/does not inflate: more than 16384 bytes/);
    await expect(decodeBitstring(bomb, size, nodeGzip)).rejects.toThrow(/does not inflate/);
    await expect(decodeBitstring(`u${Buffer.from("not gzip").toString("base64url")}`, size)).rejects.toThrow(/does not inflate/);
    await expect(decodeBitstring(encoded.slice(1), size)).rejects.toThrow(/prefix "u"/);
    await expect(decodeBitstring(encoded, size + 4)).rejects.toThrow(/not a multiple of 8/);
  });
});

let key: SigningKey;
let other: SigningKey;
beforeAll(async () => {
  key = await generateSigningKey();
  other = await generateSigningKey();
});

async function listPayload(set: number[], overrides: Partial<StatusListPayload> = {}): Promise<StatusListPayload> {
  const size = statusListSize(Math.max(-1, ...set));
  return {
    format: "assay.status-list/v1",
    id: LIST,
    issuer: ISSUER,
    purpose: "revocation-or-suspension",
    sequence: 3,
    publishedAt: "2026-06-01T11:55:00Z",
    validUntil: "2026-06-02T11:55:00Z",
    size,
    encodedList: await encodeBitstring(bitstringOf(size, set), nodeGzip),
    ...overrides,
  };
}

describe("signed status list", () => {
  test("signs and verifies against the issuer's JWKS (the kid is a hint: a retired key still verifies)", async () => {
    const jws = await signStatusList(await listPayload([5, 70_000]), { privateKey: key.privateJwk, kid: key.kid });
    const ok = await verifyStatusList(jws, { jwks: publicJwks([other, key]), issuer: ISSUER, listId: LIST, now: NOW });
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(setIndexesOf(ok.bits)).toEqual([5, 70_000]);
  });

  test("refuses a tampered list, a foreign key, another issuer or list, an expired or future list", async () => {
    const payload = await listPayload([5]);
    const jws = await signStatusList(payload, { privateKey: key.privateJwk, kid: key.kid });
    const jwks = publicJwks([key]);
    const reason = async (j: string, over: Partial<Parameters<typeof verifyStatusList>[1]> = {}) => {
      const r = await verifyStatusList(j, { jwks, issuer: ISSUER, listId: LIST, now: NOW, ...over });
      return r.ok ? "ok" : r.reason;
    };
    // Clear bit 5 in the signed payload: the signature no longer covers it.
    const cleared = { ...payload, encodedList: await encodeBitstring(bitstringOf(payload.size, []), nodeGzip) };
    const [h, , s] = jws.split(".");
    const tampered = `${h}.${Buffer.from(canonicalBytes(cleared)).toString("base64url")}.${s}`;
    expect(await reason(tampered)).toMatch(/signature does not verify/);
    expect(await reason(jws, { jwks: publicJwks([other]) })).toMatch(/signature does not verify/);
    expect(await reason(jws, { issuer: "someone-else" })).toMatch(/issued by assay-test/);
    expect(await reason(jws, { listId: "assay-test/status-list/2" })).toMatch(/it is list/);
    expect(await reason(jws, { now: new Date("2026-06-02T11:55:01Z") })).toMatch(/expired at 2026-06-02T11:55:00Z/);
    expect(await reason(jws, { now: new Date("2026-06-02T11:55:00Z") })).toBe("ok");
    expect(await reason(jws, { now: new Date("2026-06-01T11:49:59Z") })).toMatch(/in the future/);
    // A JWS of the certificate profile is not a status list, even signed by the issuer.
    const wrongTyp = await new CompactSign(canonicalBytes(payload)).setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: "assay-certificate+jws" }).sign(await importJWK(key.privateJwk, "EdDSA"));
    expect(await reason(wrongTyp)).toMatch(/typ/);
    expect(await reason("x.y")).toBe("not a compact JWS");
  });

  test("signing refuses a payload outside the schema", async () => {
    await expect(signStatusList({ ...(await listPayload([])), size: 1000 }, { privateKey: key.privateJwk, kid: key.kid })).rejects.toThrow(/size/);
  });
});

function v3Payload(kid: string, index: number): CertificatePayloadV3 {
  return {
    format: "assay.certificate/v3",
    subject: { name: "reference-runtime", version: "1.2.0", digest: hex("a") },
    claims: ["SRIP-03"],
    claimsNotGranted: [],
    audit: {
      suite: { id: "core", version: "1.0.0" },
      seed: 1,
      engine: { name: "assay-audit", version: "0.1.0" },
      metrics: [],
      findingsDigest: hex("b"),
      reportDigest: hex("c"),
      criticalFindings: 0,
    },
    assembly: null,
    verdict: "certified",
    level: "audit-only",
    issuedAt: "2026-01-01T00:00:00Z",
    validUntil: "2027-01-01T00:00:00Z",
    supersedes: null,
    issuer: { id: ISSUER, kid },
    credentialStatus: { list: LIST, index },
  };
}

describe("assay.certificate/v3 and the status-list check", () => {
  test("a v3 certificate signs, hashes its credentialStatus into the id, and passes every certificate check", async () => {
    const doc = await signCertificate(v3Payload(key.kid, 7), { privateKey: key.privateJwk, kid: key.kid });
    expect(doc.id).not.toBe(certificateId(v3Payload(key.kid, 8)));
    const result = await verifyCertificate(doc, { jwks: publicJwks([key]) as never, allowedIssuers: [ISSUER], now: NOW, status: { state: "active" }, anchor: { state: "not-anchored" } });
    expect(result.valid).toBe(true);
    expect(result.checks[0]!.detail).toBe("assay.certificate/v3, level audit-only");
    // credentialStatus is required in v3, refused in v2 (strict).
    const { credentialStatus: _, ...without } = v3Payload(key.kid, 7);
    await expect(signCertificate(without as never, { privateKey: key.privateJwk, kid: key.kid })).rejects.toThrow(/credentialStatus/);
    await expect(signCertificate({ ...v3Payload(key.kid, 7), format: "assay.certificate/v2" } as never, { privateKey: key.privateJwk, kid: key.kid })).rejects.toThrow(/credentialStatus/);
  });

  test("bit clear passes, bit set fails, a tampered list fails, no list fails, an index beyond the list fails; v2 is not applicable", async () => {
    const signer = { privateKey: key.privateJwk, kid: key.kid };
    const jwks = publicJwks([key]) as { keys: Record<string, unknown>[] };
    const clear = await signCertificate(v3Payload(key.kid, 7), signer);
    const revoked = await signCertificate(v3Payload(key.kid, 70_000), signer);
    const list = await signStatusList(await listPayload([70_000]), signer);
    const run = (document: unknown, l: string | null) => checkStatusList({ document, list: l, missing: "offline", jwks, issuer: ISSUER, now: NOW, gzip: nodeGzip });
    const a = await run(clear, list);
    expect(a.check).toMatchObject({ name: "status-list", ok: true });
    expect(a.check.detail).toMatch(/bit clear at index 7 of list #3/);
    expect(a.withdrawn).toBe(false);
    const b = await run(revoked, list);
    expect(b.check).toMatchObject({ ok: false });
    expect(b.check.detail).toMatch(/revoked or suspended: bit set at index 70000/);
    expect(b.withdrawn).toBe(true);
    const [h, p, s] = list.split(".");
    const flipped = `${h}.${p}.${s!.startsWith("A") ? "B" : "A"}${s!.slice(1)}`;
    expect((await run(clear, flipped)).check.detail).toMatch(/status list rejected: the signature does not verify/);
    expect((await run(clear, null)).check).toMatchObject({ ok: false, detail: "no status list: offline" });
    const beyond = await signCertificate(v3Payload(key.kid, STATUS_LIST_MIN_BITS + 3), signer);
    expect((await run(beyond, list)).check.detail).toMatch(/beyond it/);
    const v2 = await signCertificate({ ...v3Payload(key.kid, 1), format: "assay.certificate/v2", credentialStatus: undefined } as never, signer).catch(() => null);
    expect(v2).toBeNull(); // strict: v2 has no credentialStatus key at all
    const { credentialStatus: _c, ...v2Payload } = { ...v3Payload(key.kid, 1), format: "assay.certificate/v2" as const };
    const legacy = await signCertificate(v2Payload, signer);
    expect((await run(legacy, null)).check).toMatchObject({ ok: true, detail: expect.stringMatching(/^not applicable/) });
    expect((await run({ payload: { format: "x" } }, list)).check.ok).toBe(false);
  });
});
