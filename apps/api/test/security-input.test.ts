// Regression tests of the security probe (issue 14 §5): input that used to
// reach PostgreSQL or V8's regex engine and came back as a 500.
import { samplePackedRuntime } from "@assay/platform";
import { credentialsFor, startApi, type TestApi } from "./helpers";

let t: TestApi;
let creds: Awaited<ReturnType<typeof credentialsFor>>;

beforeAll(async () => {
  t = await startApi();
  creds = await credentialsFor(t);
});
afterAll(async () => {
  await t.close();
});

const cursorOf = (createdAt: string, id = "00000000-0000-4000-8000-000000000000") => Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");

describe("pagination cursors with dates PostgreSQL cannot hold", () => {
  const dates = ["-271821-04-20T00:00:00.000Z", "0000-01-01T00:00:00.000Z", "+275760-09-13T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "2026-02-30T00:00:00.000Z", "2026-01-01"];
  it.each(dates)("%s → 400 cursor_invalid on the developer and operator lists", async (date) => {
    for (const [path, token] of [
      ["/v1/developer/submissions", creds.apiKey],
      ["/v1/operator/submissions", creds.operatorSession],
    ] as const) {
      const res = await t.call("GET", `${path}?cursor=${cursorOf(date)}`, { token });
      expect({ path, status: res.status, code: res.body?.error?.code }).toEqual({ path, status: 400, code: "cursor_invalid" });
    }
  });

  it("a cursor the API wrote still pages", async () => {
    const res = await t.call("GET", `/v1/developer/submissions?cursor=${cursorOf("2026-01-01T00:00:00.000Z")}`, { token: creds.apiKey });
    expect(res.status).toBe(200);
  });
});

describe("large submission files (documented cap 8 MiB)", () => {
  const withFile = (bytes: number) => {
    const packed = samplePackedRuntime();
    return { ...packed, files: [...packed.files, { path: "data/blob.bin", contentBase64: Buffer.alloc(bytes, 7).toString("base64") }] };
  };
  const fixed = samplePackedRuntime().files.reduce((n, f) => n + Buffer.from(f.contentBase64, "base64").byteLength, 0);

  it("a 4 MiB file is accepted (no regex stack overflow)", async () => {
    const res = await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: withFile(4 * 1024 * 1024) });
    expect(res.status).toBe(201);
  }, 60_000);

  it("files summing to exactly the cap are accepted; one byte more is 413", async () => {
    const cap = t.env.config.limits.maxSubmissionBytes;
    const atCap = await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: withFile(cap - fixed) });
    expect(atCap.status).toBe(201);
    const over = await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: withFile(cap - fixed + 1) });
    expect(over.status).toBe(413);
    expect(over.body.error.code).toBe("submission_too_large");
  }, 60_000);
});

describe("non-canonical artifact paths are refused at intake", () => {
  it.each(["a//b.js", "a/./b.js", "./a.js", "../x.js", "a\\b.js", "a\u0000b.js", "evil\u202Esj.txt", "a\u2067b.js", "dir/"])("%j → 400 artifact_path_invalid, nothing written", async (path) => {
    const before = await t.platform.store.rowCounts();
    const packed = samplePackedRuntime();
    const res = await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: { ...packed, files: [...packed.files, { path, contentBase64: "eA==" }] } });
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: "artifact_path_invalid" });
    expect(res.body.error.details.issues[0].path).toBe("files.2.path");
    expect(await t.platform.store.rowCounts()).toEqual(before);
  });
});

describe("NUL in request text (PostgreSQL text and jsonb cannot hold it)", () => {
  it("a manifest field holding NUL is a 400 naming the field, nothing written (it used to reach the database)", async () => {
    const before = await t.platform.store.rowCounts();
    const packed = samplePackedRuntime();
    const manifest = { ...(packed.manifest as Record<string, unknown>), description: "a\u0000b" };
    const res = await t.call("POST", "/v1/developer/submissions", { token: creds.apiKey, json: { ...packed, manifest } });
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: "request_invalid" });
    expect(res.body.error.details.issues[0]).toEqual({ path: "manifest.description", message: expect.stringMatching(/NUL/) });
    expect(await t.platform.store.rowCounts()).toEqual(before);
  });

  it("an API key name holding NUL is a 400, nothing written", async () => {
    const before = await t.platform.store.rowCounts();
    const res = await t.call("POST", "/v1/developer/api-keys", { token: creds.apiKey, json: { name: "key\u0000" } });
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: "request_invalid" });
    expect(await t.platform.store.rowCounts()).toEqual(before);
  });
});
