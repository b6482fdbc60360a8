// POST /v1/public/verify is served by a fast path before Express (default) or by
// the Nest route (ASSAY_VERIFY_FAST_PATH=false). Both must answer identically.
import { samplePackedRuntime, sampleUnsignedCertificate } from "@assay/platform";
import type { CertificateDocument } from "@assay/protocol";
import type { AddressInfo } from "node:net";
import { createApp, type ApiApp } from "../src/app";
import { clientFor, startApi, type TestApi } from "./helpers";

let fast: TestApi;
let nest: { api: ApiApp; call: TestApi["call"] };
let document: CertificateDocument;

const SECURITY_HEADERS = [
  "content-security-policy",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "origin-agent-cluster",
  "referrer-policy",
  "strict-transport-security",
  "x-content-type-options",
  "x-dns-prefetch-control",
  "x-download-options",
  "x-frame-options",
  "x-permitted-cross-domain-policies",
  "x-xss-protection",
  "access-control-allow-origin",
];

beforeAll(async () => {
  fast = await startApi({ ASSAY_MAX_JSON_BYTES: "8192" });
  // The Nest route, over the same database (same certificate, same keys).
  const api = await createApp({ ...fast.env.config, flags: { ...fast.env.config.flags, verifyFastPath: false } });
  await api.app.listen(0, "127.0.0.1");
  nest = { api, call: clientFor(`http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`) };

  const dev = await fast.platform.developers.create({ email: "paths@example.com", name: "P" });
  const sub = await fast.platform.submissions.create(dev.id, samplePackedRuntime());
  await fast.platform.submissions.transition(sub.id, "auditing", { actor: "t" });
  await fast.platform.submissions.transition(sub.id, "in_assembly", { actor: "t" });
  document = await fast.platform.certificates.issue(
    sub.id,
    sampleUnsignedCertificate({ name: sub.runtime.name, version: sub.runtime.version, digest: sub.subjectDigest }),
    "t",
  );
});

afterAll(async () => {
  await nest.api.close();
  await fast.close();
});

const CASES: [string, () => Parameters<TestApi["call"]>[2]][] = [
  ["a valid document", () => ({ json: document })],
  ["a tampered document", () => ({ json: { ...document, jws: document.jws.replace(/.$/, "A") } })],
  ["an object that is no certificate", () => ({ json: { hello: "world" } })],
  ["malformed JSON", () => ({ rawBody: "{oops" })],
  ["a JSON array", () => ({ json: [document] })],
  ["a JSON string", () => ({ json: "text" })],
  ["an oversize body", () => ({ json: { ...document, padding: "x".repeat(10_000) } })],
  ["a credential of another plane", () => ({ json: document, token: "ak_000000000000_" + "A".repeat(43) })],
  ["a deeply nested object", () => ({ rawBody: `{"a":${"[".repeat(3000)}${"]".repeat(3000)}}` })],
  ["a non-JSON content type", () => ({ rawBody: JSON.stringify(document), headers: { "content-type": "text/plain" } })],
];

/** The time-window check names the current second, which may tick between the two calls. */
function withoutClock(body: unknown): unknown {
  const checks = (body as { checks?: { name: string; detail: string }[] } | null)?.checks;
  if (!Array.isArray(checks)) return body;
  return { ...(body as object), checks: checks.map((c) => (c.name === "time-window" ? { ...c, detail: c.detail.replace(/; now .*$/, "") } : c)) };
}

it.each(CASES)("%s: same status, body and security headers on both paths", async (_name, options) => {
  const [a, b] = [await fast.call("POST", "/v1/public/verify", options()), await nest.call("POST", "/v1/public/verify", options())];
  expect(a.status).toBe(b.status);
  expect(withoutClock(a.body)).toEqual(withoutClock(b.body));
  expect(a.status).toBeLessThan(500);
  for (const header of SECURITY_HEADERS) expect([header, a.headers.get(header)]).toEqual([header, b.headers.get(header)]);
  expect(a.headers.get("content-type")).toBe(b.headers.get("content-type"));
});

it("the valid document verifies on both paths", async () => {
  expect((await fast.call("POST", "/v1/public/verify", { json: document })).body.valid).toBe(true);
  expect((await nest.call("POST", "/v1/public/verify", { json: document })).body.valid).toBe(true);
});
