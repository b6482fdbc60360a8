// Bad input gets a 4xx with a machine-readable error and leaves the database
// unchanged: malformed JSON, wrong types, oversize bodies, unknown ids.
import { sampleManifest, samplePackedRuntime } from "@assay/platform";
import { credentialsFor, startApi, type TestApi } from "./helpers";

let t: TestApi;
let creds: Awaited<ReturnType<typeof credentialsFor>>;
const MAX_SUBMISSION_BYTES = 64 * 1024;
const MAX_JSON_BYTES = 16 * 1024;

beforeAll(async () => {
  t = await startApi({ ASSAY_MAX_SUBMISSION_BYTES: String(MAX_SUBMISSION_BYTES), ASSAY_MAX_JSON_BYTES: String(MAX_JSON_BYTES) });
  creds = await credentialsFor(t);
});
afterAll(async () => {
  await t.close();
});

type Case = { name: string; method: string; path: string; body?: unknown; raw?: string | Buffer; auth?: "developer" | "operator"; status: number; code: string };

const unknownUuid = "00000000-0000-4000-8000-000000000000";
const unknownCert = `0x${"ab".repeat(32)}`;

const CASES: Case[] = [
  { name: "malformed JSON (submission)", method: "POST", path: "/v1/developer/submissions", raw: '{"manifest": {', auth: "developer", status: 400, code: "malformed_json" },
  { name: "malformed JSON (verify)", method: "POST", path: "/v1/public/verify", raw: "{not json", status: 400, code: "malformed_json" },
  { name: "malformed JSON (login)", method: "POST", path: "/v1/operator/auth/login", raw: '{"email":', status: 400, code: "malformed_json" },
  { name: "wrong types (files is a string)", method: "POST", path: "/v1/developer/submissions", body: { manifest: {}, files: "nope" }, auth: "developer", status: 400, code: "request_invalid" },
  { name: "wrong types (array body)", method: "POST", path: "/v1/developer/submissions", body: [1, 2], auth: "developer", status: 400, code: "request_invalid" },
  { name: "unknown field", method: "POST", path: "/v1/developer/submissions", body: { ...samplePackedRuntime(), extra: 1 }, auth: "developer", status: 400, code: "request_invalid" },
  { name: "invalid base64", method: "POST", path: "/v1/developer/submissions", body: { ...samplePackedRuntime(), files: [{ path: "a.js", contentBase64: "***" }] }, auth: "developer", status: 400, code: "request_invalid" },
  { name: "invalid manifest", method: "POST", path: "/v1/developer/submissions", body: { ...samplePackedRuntime(), manifest: { name: "UPPER" } }, auth: "developer", status: 400, code: "manifest_invalid" },
  { name: "unknown audit suite", method: "POST", path: "/v1/developer/submissions", body: samplePackedRuntime({ manifest: sampleManifest({ suite: "nonexistent" }) }), auth: "developer", status: 400, code: "suite_unknown" },
  { name: "path traversal", method: "POST", path: "/v1/developer/submissions", body: { ...samplePackedRuntime(), files: [...samplePackedRuntime().files, { path: "../../etc/passwd", contentBase64: "" }] }, auth: "developer", status: 400, code: "artifact_path_invalid" },
  { name: "no body", method: "POST", path: "/v1/developer/submissions", auth: "developer", status: 400, code: "request_invalid" },
  { name: "verify: a JSON string", method: "POST", path: "/v1/public/verify", body: "just a string", status: 400, code: "document_invalid" },
  { name: "login: wrong types", method: "POST", path: "/v1/operator/auth/login", body: { email: 42, password: [], totp: 123456 }, status: 400, code: "request_invalid" },
  { name: "create key: empty name", method: "POST", path: "/v1/developer/api-keys", body: { name: "" }, auth: "developer", status: 400, code: "request_invalid" },
  { name: "unknown submission id", method: "GET", path: `/v1/developer/submissions/${unknownUuid}`, auth: "developer", status: 404, code: "submission_not_found" },
  { name: "unknown submission report", method: "GET", path: `/v1/developer/submissions/${unknownUuid}/report`, auth: "developer", status: 404, code: "submission_not_found" },
  { name: "unknown submission certificate", method: "GET", path: `/v1/developer/submissions/${unknownUuid}/certificate`, auth: "developer", status: 404, code: "submission_not_found" },
  { name: "malformed submission id", method: "GET", path: "/v1/developer/submissions/not-a-uuid", auth: "developer", status: 400, code: "request_invalid" },
  { name: "operator: unknown submission", method: "GET", path: `/v1/operator/submissions/${unknownUuid}`, auth: "operator", status: 404, code: "submission_not_found" },
  { name: "unknown certificate", method: "GET", path: `/v1/public/certificates/${unknownCert}`, status: 404, code: "certificate_not_found" },
  { name: "malformed certificate id", method: "GET", path: "/v1/public/certificates/xyz", status: 400, code: "request_invalid" },
  { name: "bad list query", method: "GET", path: "/v1/developer/submissions?limit=5000&status=bogus", auth: "developer", status: 400, code: "request_invalid" },
  { name: "revoke unknown key", method: "DELETE", path: `/v1/developer/api-keys/${unknownUuid}`, auth: "developer", status: 404, code: "api_key_not_found" },
  { name: "unknown route", method: "GET", path: "/v1/public/nope", status: 404, code: "route_not_found" },
  { name: "certificate status: malformed reason code", method: "POST", path: `/v1/operator/certificates/${unknownCert}/status`, body: { status: "revoked", reasonCode: "Bad Reason" }, auth: "operator", status: 400, code: "request_invalid" },
];

describe("bad input", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s → 4xx, machine-readable, nothing written", async (_name, c) => {
    const before = await t.platform.store.rowCounts();
    const token = c.auth === "developer" ? creds.apiKey : c.auth === "operator" ? creds.operatorSession : null;
    const res = await t.call(c.method, c.path, { token, json: c.body, rawBody: c.raw });
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: c.status, code: c.code });
    expect(typeof res.body.error.message).toBe("string");
    expect(res.headers.get("content-type")).toContain("application/json");
    const after = await t.platform.store.rowCounts();
    // API key "last used" is a timestamp column, not a row: counts must match exactly.
    expect(after).toEqual(before);
  });

  it("validation errors list the offending fields", async () => {
    const res = await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: { manifest: {}, files: [{ path: 1 }] } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: "files.0.path" })]));
  });

  it("oversize bodies get 413 (transport cap and decoded-size cap), and nothing is written", async () => {
    const before = await t.platform.store.rowCounts();
    const bigFile = Buffer.alloc(MAX_SUBMISSION_BYTES * 2, 120).toString("base64");
    const submission = await t.call("POST", "/v1/developer/submissions", {
      token: creds.apiKey,
      json: { ...samplePackedRuntime(), files: [...samplePackedRuntime().files, { path: "big.bin", contentBase64: bigFile }] },
    });
    expect(submission.status).toBe(413);
    expect(submission.body.error.code).toBe("payload_too_large");

    // Within the transport cap but over the decoded-size cap: the service refuses it.
    const justOver = Buffer.alloc(MAX_SUBMISSION_BYTES + 1, 120).toString("base64");
    const decoded = await t.call("POST", "/v1/developer/submissions", {
      token: creds.apiKey,
      json: { ...samplePackedRuntime(), files: [...samplePackedRuntime().files, { path: "big.bin", contentBase64: justOver }] },
    });
    expect(decoded.status).toBe(413);
    expect(decoded.body.error.code).toBe("submission_too_large");

    const verify = await t.call("POST", "/v1/public/verify", { json: { id: "x", padding: "y".repeat(MAX_JSON_BYTES * 2) } });
    expect(verify.status).toBe(413);
    expect(verify.body.error.code).toBe("payload_too_large");
    expect(await t.platform.store.rowCounts()).toEqual(before);
  });

  it("another developer's submission is not found (no existence leak), and nothing changes", async () => {
    const mine = await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: samplePackedRuntime() });
    expect(mine.status).toBe(201);
    const other = await credentialsFor(t);
    const res = await t.call("GET", `/v1/developer/submissions/${mine.body.id}`, { token: other.apiKey });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("submission_not_found");
  });
});
