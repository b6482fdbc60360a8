// A small HTTP server in the test process standing in for the Assay API: the
// CLI's true external edge. It implements the routes the CLI calls with the
// API's shapes (error body `{ error: { code, message } }`, SubmissionView,
// certificate lookup = document + status) and checks uploads with the
// platform's own unpackSubmission, so a body the real API would refuse is
// refused here too.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { unpackSubmission, SubmitRuntimeBodySchema } from "@assay/platform";
import { FakeTransparencyLog } from "./fake-log";
import { publicJwks, signCertificate, type CertificateDocument, type CertificatePayload, type SigningKey } from "@assay/protocol";

export const TEST_ISSUER = "assay:issuer:cli-test";
export const API_KEY = "ak_0123456789ab_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
export const DEVELOPER = { id: "5b7b4c1e-6a0e-4a57-9a55-0d3c2c8a1f00", email: "dev@example.com", name: "Dev", createdAt: "2026-01-01T00:00:00.000Z" };

type Status = "received" | "auditing" | "in_assembly" | "certified" | "rejected" | "failed";

/** One step of a scripted submission: sent as an SSE event, or reached by one poll. */
export type Step = { event?: string; data: Record<string, unknown> };

export type FakeSubmission = {
  id: string;
  status: Status;
  subjectDigest: string;
  progress: Record<string, unknown>;
  certificateId: string | null;
  outcome: { code: string; message: string | null } | null;
  /** What happens next, in order. */
  script: Step[];
};

export type FakeCertificate = { document: CertificateDocument; status: { state: string; reason: string | null } };

export type FakeApi = {
  url: string;
  requests: string[];
  submissions: Map<string, FakeSubmission>;
  certificates: Map<string, FakeCertificate>;
  /** Serve the SSE route (false: 404 route_not_found, as an API without it). */
  sse: boolean;
  /** Script given to the next created submission. */
  nextScript: Step[];
  addSubmission(partial: Partial<FakeSubmission>): FakeSubmission;
  /** Adds the certificate and, unless `inLog` is false, its issuance to the transparency log. */
  addCertificate(document: CertificateDocument, status?: FakeCertificate["status"], inLog?: boolean): void;
  /** The issuer's transparency log (docs/decisions/0016). */
  log: FakeTransparencyLog;
  close(): Promise<void>;
};

export async function startFakeApi(signingKeys: SigningKey[]): Promise<FakeApi> {
  let url = "";
  const fake: FakeApi = {
    url: "",
    requests: [],
    submissions: new Map(),
    certificates: new Map(),
    sse: true,
    nextScript: [],
    addSubmission(partial) {
      const submission: FakeSubmission = {
        id: randomUUID(),
        status: "received",
        subjectDigest: `0x${"0".repeat(64)}`,
        progress: {},
        certificateId: null,
        outcome: null,
        script: [],
        ...partial,
      };
      fake.submissions.set(submission.id, submission);
      return submission;
    },
    addCertificate(document, status = { state: "active", reason: null }, inLog = true) {
      fake.certificates.set(document.id, { document, status });
      if (inLog) fake.log.addIssued(document.id, document.payload.issuedAt);
      if (inLog && status.state !== "active") fake.log.addStatus(document.id, status.state, status.reason, document.payload.issuedAt);
    },
    log: new FakeTransparencyLog(TEST_ISSUER, signingKeys[0]!),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer((req, res) => {
    handle(fake, url, signingKeys, req, res).catch((error: unknown) => send(res, 500, { error: { code: "internal_error", message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = url;
  return fake;
}

async function handle(fake: FakeApi, url: string, keys: SigningKey[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsedUrl = new URL(req.url ?? "/", url);
  const path = parsedUrl.pathname;
  fake.requests.push(`${req.method} ${path}`);
  const developerPlane = path.startsWith("/v1/developer/");
  if (developerPlane && req.headers.authorization !== `Bearer ${API_KEY}`) {
    return send(res, 401, { error: { code: "api_key_invalid", message: "the API key is not valid" } });
  }
  let match: RegExpExecArray | null;
  if (req.method === "GET" && path === "/.well-known/assay.json") {
    return send(res, 200, { issuer: TEST_ISSUER, apiBase: `${url}/v1`, jwksUri: `${url}/.well-known/jwks.json`, chain: null, supportedSuites: ["core"] });
  }
  if (req.method === "GET" && path === "/.well-known/jwks.json") return send(res, 200, publicJwks(keys));
  if (req.method === "GET" && path === "/v1/developer/me") return send(res, 200, DEVELOPER);
  if (req.method === "POST" && path === "/v1/developer/submissions") {
    const parsed = SubmitRuntimeBodySchema.safeParse(JSON.parse(await readBody(req)));
    if (!parsed.success) return send(res, 400, { error: { code: "request_invalid", message: "the request does not match the expected shape" } });
    let unpacked;
    try {
      unpacked = unpackSubmission(parsed.data, { maxBytes: 4 * 1024 * 1024 });
    } catch (error) {
      const e = error as { code?: string; message: string };
      return send(res, 400, { error: { code: e.code ?? "invalid", message: e.message } });
    }
    const submission = fake.addSubmission({ subjectDigest: unpacked.subjectDigest, script: fake.nextScript });
    return send(res, 201, view(submission));
  }
  if ((match = /^\/v1\/developer\/submissions\/([^/]+)(\/events|\/certificate)?$/.exec(path)) && req.method === "GET") {
    const submission = fake.submissions.get(match[1]!);
    if (!submission) return send(res, 404, { error: { code: "submission_not_found", message: `no submission ${match[1]}` } });
    if (match[2] === "/events") {
      if (!fake.sse) return send(res, 404, { error: { code: "route_not_found", message: "no such route" } });
      return streamEvents(submission, res);
    }
    if (match[2] === "/certificate") {
      const certificate = submission.certificateId ? fake.certificates.get(submission.certificateId) : undefined;
      if (!certificate) return send(res, 404, { error: { code: "certificate_not_found", message: "this submission has no certificate" } });
      return send(res, 200, { ...certificate.document, status: certificate.status });
    }
    // Polling: every GET moves the submission one step along its script.
    const step = submission.script.shift();
    if (step) apply(submission, step.data);
    return send(res, 200, view(submission));
  }
  if ((match = /^\/v1\/public\/certificates\/([^/]+)$/.exec(path)) && req.method === "GET") {
    const certificate = fake.certificates.get(match[1]!.toLowerCase());
    if (!certificate) return send(res, 404, { error: { code: "certificate_not_found", message: `no certificate ${match[1]}` } });
    return send(res, 200, { ...certificate.document, status: certificate.status, statusHistory: [] });
  }
  const logAnswer = req.method === "GET" ? fake.log.answer(path, parsedUrl.searchParams) : null;
  if (logAnswer) return send(res, logAnswer.status, logAnswer.body);
  return send(res, 404, { error: { code: "route_not_found", message: "no such route" } });
}

async function streamEvents(submission: FakeSubmission, res: ServerResponse): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.write(`event: snapshot\ndata: ${JSON.stringify(view(submission))}\n\n`);
  for (const step of submission.script.splice(0)) {
    await new Promise((r) => setTimeout(r, 5));
    apply(submission, step.data);
    res.write(`event: ${step.event ?? "update"}\ndata: ${JSON.stringify(step.data)}\n\n`);
  }
  res.end();
}

function apply(submission: FakeSubmission, data: Record<string, unknown>): void {
  if (typeof data.status === "string") submission.status = data.status as Status;
  if (typeof data.certificateId === "string") submission.certificateId = data.certificateId;
  if (data.outcome) submission.outcome = data.outcome as FakeSubmission["outcome"];
  if (data.progress) submission.progress = { ...submission.progress, ...(data.progress as object) };
}

export function view(s: FakeSubmission) {
  return {
    id: s.id,
    status: s.status,
    runtime: { name: "reference", version: "1.0.0" },
    subjectDigest: s.subjectDigest,
    suite: "core",
    seed: 7,
    progress: s.progress,
    outcome: s.outcome,
    certificateId: s.certificateId,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => resolve(text)).on("error", reject);
  });
}

const hex = (c: string) => `0x${c.repeat(64)}`;

/** A valid certificate payload for `subjectDigest`, issued by TEST_ISSUER with `kid`. */
export function certificatePayload(kid: string, subjectDigest: string, overrides: Partial<CertificatePayload> = {}): CertificatePayload {
  const now = Date.now();
  const time = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
  return {
    format: "assay.certificate/v2",
    subject: { name: "reference", version: "1.0.0", digest: subjectDigest as `0x${string}` },
    claims: ["SRIP-03", "SRIP-05"],
    claimsNotGranted: [{ srip: "SRIP-13", reason: "not-evidenced", findings: ["ALIAS_SCOPE_LEAK", "SESSION_LEAK"] }],
    audit: {
      suite: { id: "core", version: "1.0.0" },
      seed: 7,
      engine: { name: "assay-audit", version: "0.1.0" },
      metrics: [{ id: "srs.composite_drift_index.v1", value: 3120, unit: "bps", validity: "valid" }],
      findingsDigest: hex("b") as `0x${string}`,
      reportDigest: hex("c") as `0x${string}`,
      criticalFindings: 0,
    },
    assembly: {
      recordDigest: hex("d") as `0x${string}`,
      rounds: 1,
      seats: 3,
      tally: { verdict: "certify", certifyWeightBps: 10_000, participationBps: 10_000, stabilityScoreBps: 8_000 },
    },
    verdict: "certified",
    level: "assembly",
    issuedAt: time(now - 3600_000),
    validUntil: time(now + 365 * 86_400_000),
    supersedes: null,
    issuer: { id: TEST_ISSUER, kid },
    ...overrides,
  };
}

export async function issueCertificate(key: SigningKey, subjectDigest: string, overrides: Partial<CertificatePayload> = {}): Promise<CertificateDocument> {
  return signCertificate(certificatePayload(key.kid, subjectDigest, overrides), { privateKey: key.privateJwk, kid: key.kid });
}
