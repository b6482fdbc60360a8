// GET /v1/public/certificates/:id/assembly (docs/decisions/0031), on the real
// API and PostgreSQL: the record the certificate names, verbatim (its digest is
// the certificate's assembly.recordDigest), one row per seat with pseudonymous
// validator ids, weights, per-claim verdicts only after reveal, commit/reveal
// times; 404 for an audit-only or unknown certificate and for a stored record
// that is not the one the certificate names; no validator key or account leaks;
// the public limiter applies.
import { samplePackedRuntime, sampleUnsignedCertificate, seedFinishedAssembly, type FinishedAssemblyFixture } from "@assay/platform";
import { digestOf, PublicAssemblyRecordSchema, type CertificateDocument } from "@assay/protocol";
import { startApi, type TestApi } from "./helpers";

jest.setTimeout(90_000);

let t: TestApi;
let seeded: FinishedAssemblyFixture;
let certificate: CertificateDocument;
let auditOnly: CertificateDocument;
let developerId: string;

const certify = { verdict: "certify" as const, stabilityScore: 8_000, findingOpinions: {}, claims: { "SRIP-03": "grant" as const, "SRIP-05": "grant" as const } };
const mixed = { verdict: "certify" as const, stabilityScore: 6_000, findingOpinions: {}, claims: { "SRIP-03": "grant" as const, "SRIP-05": "deny" as const } };

async function inAssembly(source: string) {
  const sub = await t.platform.submissions.create(developerId, samplePackedRuntime({ entrySource: source }));
  await t.platform.submissions.transition(sub.id, "auditing", { actor: "test" });
  await t.platform.submissions.transition(sub.id, "in_assembly", { actor: "test" });
  return sub;
}

beforeAll(async () => {
  // A small public limit: the last test runs into it.
  t = await startApi({ ASSAY_PUBLIC_RATE_LIMIT: "30", ASSAY_PUBLIC_RATE_WINDOW_MS: "60000" });
  developerId = (await t.platform.developers.create({ email: "assembly@example.test", name: "Assembly" })).id;
  const sub = await inAssembly("export const a = 1;");
  seeded = await seedFinishedAssembly(t.platform, sub.id, [
    { stake: "1000000", vote: certify },
    { stake: "2000000", vote: mixed },
    { stake: "3000000", vote: certify },
    { stake: "500000", vote: null },
  ]);
  const unsigned = sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest });
  certificate = await t.platform.certificates.issue(sub.id, { ...unsigned, assembly: seeded.certificateAssembly }, "test");
  const other = await inAssembly("export const a = 2;");
  const plain = sampleUnsignedCertificate({ name: other.runtime.name, version: other.runtime.version, digest: other.subjectDigest });
  auditOnly = await t.platform.certificates.issue(other.id, { ...plain, level: "audit-only", assembly: null }, "test");
});

afterAll(async () => {
  await t?.close();
});

it("serves the record the certificate names, with one row per seat", async () => {
  const { status, body } = await t.call("GET", `/v1/public/certificates/${certificate.id}/assembly`);
  expect(status).toBe(200);
  const parsed = PublicAssemblyRecordSchema.parse(body);
  expect(parsed.certificateId).toBe(certificate.id);
  expect(parsed.recordDigest).toBe(certificate.payload.assembly!.recordDigest);
  // The binding a browser recomputes: the digest of the record as served.
  expect(digestOf(body.record)).toBe(certificate.payload.assembly!.recordDigest);

  expect(parsed.seats.map((s) => s.validatorId).sort()).toEqual(seeded.votes.map((v) => v.validatorId).sort());
  for (const v of seeded.votes) {
    const seat = parsed.seats.find((s) => s.validatorId === v.validatorId)!;
    expect(seat.weight).toBe(v.weight);
    if (v.vote) {
      expect(seat).toMatchObject({ status: "revealed", verdict: v.vote.verdict, stabilityScoreBps: v.vote.stabilityScore, claims: v.vote.claims });
      expect(Date.parse(seat.committedAt!)).toBeLessThan(Date.parse(seat.revealedAt!));
    } else {
      expect(seat).toMatchObject({ status: "no_show", reason: "no_commit", verdict: null, claims: null, committedAt: null, revealedAt: null });
    }
  }
  expect(parsed.tally).toMatchObject({ rounds: 1, outcome: "certify" });
  expect(parsed.tally.claims.map((c) => [c.srip, c.granted])).toEqual([
    ["SRIP-03", true],
    ["SRIP-05", true],
  ]);
});

it("names validators only by their pseudonymous id: no public key, name or account", async () => {
  const { body } = await t.call("GET", `/v1/public/certificates/${certificate.id}/assembly`);
  const text = JSON.stringify(body);
  const rows = await t.platform.db.validator.findMany({ where: { id: { in: seeded.votes.map((v) => v.validatorId) } } });
  expect(rows).toHaveLength(4);
  for (const row of rows) expect(text).not.toContain(row.publicKey);
  expect(text).not.toMatch(/publicKey|developerId|chainAddress|stake"/);
});

it("answers 404 for an audit-only certificate, an unknown id and a record that is not the certificate's", async () => {
  const none = await t.call("GET", `/v1/public/certificates/${auditOnly.id}/assembly`);
  expect(none.status).toBe(404);
  expect(none.body.error.code).toBe("assembly_not_found");
  const unknown = await t.call("GET", `/v1/public/certificates/0x${"ab".repeat(32)}/assembly`);
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.code).toBe("certificate_not_found");
  expect((await t.call("GET", `/v1/public/certificates/nope/assembly`)).status).toBe(400);

  // A stored record edited after the fact no longer has the certificate's digest: not served as its record.
  const edited = JSON.parse(JSON.stringify(seeded.record)) as { rounds: { seats: unknown[] }[] };
  edited.rounds[0]!.seats.reverse();
  await t.platform.db.assembly.update({ where: { id: seeded.assemblyId }, data: { record: edited as object } });
  try {
    const tampered = await t.call("GET", `/v1/public/certificates/${certificate.id}/assembly`);
    expect(tampered.status).toBe(404);
    expect(tampered.body.error.code).toBe("assembly_not_found");
  } finally {
    await t.platform.db.assembly.update({ where: { id: seeded.assemblyId }, data: { record: JSON.parse(JSON.stringify(seeded.record)) as object } });
  }
});

it("refuses credentials, as every public route", async () => {
  const { status } = await t.call("GET", `/v1/public/certificates/${certificate.id}/assembly`, { token: "anything" });
  expect([400, 401, 403]).toContain(status);
});

it("is rate-limited per client address like every public route (429 rate_limited with Retry-After)", async () => {
  let last = await t.call("GET", `/v1/public/certificates/${certificate.id}/assembly`);
  for (let i = 0; i < 40 && last.status !== 429; i++) last = await t.call("GET", `/v1/public/certificates/${certificate.id}/assembly`);
  expect(last.status).toBe(429);
  expect(last.body.error.code).toBe("rate_limited");
  expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
});
