// A small fake of the API's public and developer routes: the external edge of
// the UI tests. Public verify runs the protocol's real verifyCertificate, like
// the real server; a certificate can be marked `serverLies` to test that the
// page flags a server that disagrees with the browser.
import { registryStatusOf, verifyCertificate, type CertificateDocument } from "@assay/protocol";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Fixtures } from "./certificates";
import { ISSUER_ID } from "./certificates";
import { FakeLog } from "./fake-log";

export const DEVELOPER_KEY = "ak_0123456789ab_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

export type StoredCertificate = {
  document: CertificateDocument;
  report?: unknown;
  serverLies?: boolean;
  anchor?: unknown;
  status?: { state: "active" | "suspended" | "revoked" | "expired"; reason: string | null };
  /** Left out of the transparency log (a certificate the issuer never logged). */
  notInLog?: boolean;
};

export const OPERATOR = { email: "ops@assay.test", password: "correct horse battery", totp: "123456", token: "operator-session-token" };

export const SUBMISSIONS = [
  submission("3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b", "reference-runtime", "1.2.0", "certified"),
  submission("7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d", "passthrough-runtime", "0.3.0", "rejected"),
];

function submission(id: string, name: string, version: string, status: string) {
  return {
    id,
    status,
    runtime: { name, version },
    subjectDigest: "0x" + "cd".repeat(32),
    suite: "core",
    seed: 7,
    progress: {},
    outcome: status === "rejected" ? { code: "SYNC_NOT_CONTAINED", message: "publishing continued above DI 0.5" } : null,
    certificateId: null as string | null,
    assembly: null,
    createdAt: "2026-11-21T10:00:00.000Z",
    updatedAt: "2026-11-21T10:05:00.000Z",
  };
}

const FINAL_PROGRESS = { scenariosTotal: 7, scenariosCompleted: 7, currentScenario: "long-horizon", currentTurn: 3, measuredDiBps: 3100, reportedDiBps: 3000 };

export function fakeApi(fixtures: Fixtures, certificates: Map<string, StoredCertificate>) {
  const requests: string[] = [];
  // What GET /submissions/:id says: "auditing" until the stream (first) or the
  // polls (second, which has no stream) have moved it to its final status.
  const current = new Map<string, string>();
  let polls = 0;
  const log = new FakeLog(ISSUER_ID, fixtures.key);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    requests.push(`${req.method} ${url.pathname}`);
    void route(req, res, url).catch((error: unknown) => json(res, 500, { error: { code: "fake_failed", message: String(error) } }));
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL) {
    const path = url.pathname;
    if (req.method === "GET" && path === "/.well-known/jwks.json") return json(res, 200, fixtures.jwks);
    if (req.method === "GET" && path === "/.well-known/assay.json") {
      return json(res, 200, {
        issuer: ISSUER_ID,
        apiBase: "http://127.0.0.1",
        jwksUri: "http://127.0.0.1/.well-known/jwks.json",
        verifyUrl: "http://127.0.0.1/verify",
        certificateUrlTemplate: "http://127.0.0.1/v1/public/certificates/{id}",
        docsUrl: "http://127.0.0.1/docs",
        certificateFormats: ["assay-certificate+json"],
        signatureAlgorithms: ["Ed25519"],
        chain: null,
        chainId: null,
        registry: null,
        supportedSuites: ["core"],
      });
    }
    // The fake's certificates name no stored assembly record (as the real API for a record it does not hold).
    if (req.method === "GET" && /^\/v1\/public\/certificates\/[^/]+\/assembly$/.test(path)) {
      return json(res, 404, { error: { code: "assembly_not_found", message: "this server holds no assembly record with the digest the certificate names" } });
    }
    let m = /^\/v1\/public\/certificates\/([^/]+)$/.exec(path);
    if (req.method === "GET" && m) {
      const stored = certificates.get(decodeURIComponent(m[1]!).toLowerCase());
      if (!stored) return json(res, 404, { error: { code: "certificate_not_found", message: `no certificate ${m[1]}` } });
      // The API's shape: the document's fields flattened, status and statusHistory beside them.
      return json(res, 200, {
        ...stored.document,
        anchorState: stored.anchor ?? { state: "not-anchored" },
        status: stored.status ?? { state: "active", reason: null },
        statusHistory: [{ from: null, to: "active", reason: null, at: "2026-11-21T10:05:00.000Z" }],
        registry: registryViewOf(stored),
        ...(stored.report ? { report: stored.report } : {}),
      });
    }
    m = /^\/v1\/public\/log\/certificates\/([^/]+)$/.exec(path);
    if (req.method === "GET" && m) {
      log.sync(certificates.values());
      const answer = log.inclusion(decodeURIComponent(m[1]!));
      return answer ? json(res, 200, answer) : json(res, 404, { error: { code: "log_entry_not_found", message: `the transparency log has no entry for ${m[1]}` } });
    }
    if (req.method === "GET" && path === "/v1/public/log/consistency") {
      const answer = log.consistency(Number(url.searchParams.get("from")), Number(url.searchParams.get("to")));
      return answer ? json(res, 200, answer) : json(res, 400, { error: { code: "tree_size_unknown", message: "no such consistency proof" } });
    }
    if (req.method === "POST" && path === "/v1/public/verify") {
      const document = JSON.parse(await body(req)) as { id?: string };
      const text = JSON.stringify(document);
      const stored = [...certificates.values()].find((c) => JSON.stringify(c.document) === text);
      const result = await verifyCertificate(document, {
        jwks: fixtures.jwks as { keys: Record<string, unknown>[] },
        allowedIssuers: [ISSUER_ID],
        now: new Date(),
        status: serverStatus(typeof document.id === "string" ? certificates.get(document.id) : undefined),
        anchor: { state: "not-anchored" },
      });
      if (stored?.serverLies) return json(res, 200, { valid: true, checks: result.checks.map((c) => ({ ...c, ok: true })) });
      return json(res, 200, result);
    }
    if (path.startsWith("/v1/developer/")) {
      if (req.headers.authorization !== `Bearer ${DEVELOPER_KEY}`) {
        return json(res, 401, { error: { code: "unauthorized", message: "a valid API key is required" } });
      }
      if (req.method === "GET" && path === "/v1/developer/auth/session") {
        return json(res, 200, {
          developer: { id: "5d0c3f6e-2b1a-4c8d-9e7f-0a1b2c3d4e5f", email: "dev@example.com", name: "Fake Developer", createdAt: "2026-11-20T09:00:00.000Z" },
          via: "api_key",
          csrfToken: null,
          expiresAt: null,
        });
      }
      if (req.method === "GET" && path === "/v1/developer/submissions") {
        return json(res, 200, { items: SUBMISSIONS.map((s, i) => ({ ...s, certificateId: i === 0 ? fixtures.valid.id : null })), nextCursor: null });
      }
      m = /^\/v1\/developer\/submissions\/([^/]+)(\/events|\/report)?$/.exec(path);
      const found = m ? SUBMISSIONS.find((s) => s.id === m![1]) : undefined;
      if (!found) return json(res, 404, { error: { code: "submission_not_found", message: "no such submission" } });
      if (!m![2]) {
        if (found === SUBMISSIONS[1] && ++polls >= 3) current.set(found.id, found.status);
        const done = current.has(found.id);
        return json(res, 200, {
          ...found,
          certificateId: done && found === SUBMISSIONS[0] ? fixtures.valid.id : null,
          status: current.get(found.id) ?? "auditing",
          updatedAt: done ? found.updatedAt : "2026-11-21T10:01:00.000Z",
          // The platform stores the workers' latest progress on the submission.
          progress: done && found === SUBMISSIONS[0] ? FINAL_PROGRESS : {},
        });
      }
      if (m![2] === "/report") return json(res, 404, { error: { code: "report_not_found", message: "no report" } });
      // The second submission has no event stream: the page must fall back to polling.
      if (found === SUBMISSIONS[1]) return json(res, 404, { error: { code: "not_found", message: "Cannot GET events" } });
      return stream(res, found.id);
    }
    if (req.method === "POST" && path === "/v1/operator/auth/login") {
      const login = JSON.parse(await body(req)) as { email?: string; password?: string; totp?: string };
      if (login.email !== OPERATOR.email || login.password !== OPERATOR.password || login.totp !== OPERATOR.totp) {
        return json(res, 401, { error: { code: "login_failed", message: "email, password or authenticator code is wrong" } });
      }
      return json(res, 200, { token: OPERATOR.token, tokenType: "Bearer", expiresAt: new Date(Date.now() + 3_600_000).toISOString(), operator: { id: "0b6c1e2a-3d4f-4a5b-8c6d-7e8f9a0b1c2d", email: OPERATOR.email, role: "admin", createdAt: "2026-11-20T09:00:00.000Z" } });
    }
    if (path.startsWith("/v1/operator/")) {
      if (req.headers.authorization !== `Bearer ${OPERATOR.token}`) return json(res, 401, { error: { code: "credential_missing", message: "the operator plane needs a credential" } });
      if (req.method === "GET" && path === "/v1/operator/submissions") return json(res, 200, { items: SUBMISSIONS, nextCursor: null });
      if (req.method === "GET" && path === "/v1/operator/signing-keys") {
        return json(res, 200, [{ kid: fixtures.key.kid, status: "active", createdAt: "2026-11-21T09:00:00.000Z", retiredAt: null }]);
      }
      m = /^\/v1\/operator\/certificates\/([^/]+)\/status$/.exec(path);
      if (req.method === "POST" && m) {
        const stored = certificates.get(m[1]!);
        if (!stored) return json(res, 404, { error: { code: "certificate_not_found", message: `no certificate ${m[1]}` } });
        const change = JSON.parse(await body(req)) as { status: "active" | "suspended" | "revoked" | "expired"; reasonCode?: string };
        stored.status = { state: change.status, reason: change.reasonCode ?? null };
        return json(res, 200, stored.status);
      }
    }
    return json(res, 404, { error: { code: "not_found", message: `no route ${req.method} ${path}` } });
  }

  /** The submission's events: a few turns of telemetry, then certification, then the stream ends. */
  function stream(res: ServerResponse, id: string) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    // The protocol's SubmissionStreamEvent: each `submission` event is the full view.
    const found = SUBMISSIONS.find((x) => x.id === id)!;
    const view = (status: string, progress: object, at: string, certificateId: string | null = null) => ({ ...found, status, progress, certificateId, updatedAt: at });
    const events: [string, unknown][] = [
      ["submission", view("auditing", { scenariosTotal: 7, scenariosCompleted: 6, currentScenario: "long-horizon", currentTurn: 1, measuredDiBps: 2100, reportedDiBps: 2000 }, "2026-11-21T10:01:00.000Z")],
      ["submission", view("auditing", { scenariosTotal: 7, scenariosCompleted: 6, currentScenario: "long-horizon", currentTurn: 2, measuredDiBps: 2600, reportedDiBps: 2500 }, "2026-11-21T10:02:00.000Z")],
      ["submission", view("auditing", FINAL_PROGRESS, "2026-11-21T10:02:30.000Z")],
      ["submission", view("in_assembly", FINAL_PROGRESS, "2026-11-21T10:03:00.000Z")],
      ["submission", view("certified", FINAL_PROGRESS, "2026-11-21T10:05:00.000Z", fixtures.valid.id)],
    ];
    let i = 0;
    const timer = setInterval(() => {
      const next = events[i++];
      if (!next) {
        clearInterval(timer);
        current.set(id, "certified");
        res.end();
        return;
      }
      res.write(`event: ${next[0]}\ndata: ${JSON.stringify(next[1])}\n\n`);
    }, 30);
    res.on("close", () => clearInterval(timer));
  }

  return { handler, requests, log };
}

function serverStatus(stored: StoredCertificate | undefined) {
  if (!stored) return { state: "unknown" as const };
  const status = stored.status ?? { state: "active", reason: null };
  if (status.state === "revoked") return { state: "revoked" as const, reason: status.reason ?? "unspecified" };
  if (status.state === "suspended") return status.reason ? { state: "suspended" as const, reason: status.reason } : { state: "suspended" as const };
  return { state: status.state };
}

function json(res: ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(value));
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The API's `registry` view of a stored certificate (docs/decisions/0017), from its payload. */
function registryViewOf(stored: StoredCertificate) {
  const { id, payload } = stored.document;
  const status = stored.status ?? { state: "active" as const, reason: null };
  const registryStatus = registryStatusOf(status.state, new Date(payload.validUntil), new Date());
  return {
    id,
    runtime: { name: payload.subject.name, version: payload.subject.version },
    status: registryStatus,
    statusReason: registryStatus === "suspended" || registryStatus === "revoked" ? status.reason : null,
    claims: payload.claims,
    suite: payload.audit.suite,
    level: payload.level,
    issuedAt: payload.issuedAt,
    validUntil: payload.validUntil,
    supersedes: payload.supersedes,
    links: { certificate: `/v1/public/certificates/${id}`, badge: `/badge/${id}.svg` },
    claimsEvidence: [
      ...payload.claims.map((srip) => ({ srip, granted: true, grantedBy: payload.level === "assembly" ? "assembly" : "audit", notedFindings: null })),
      ...("claimsNotGranted" in payload ? payload.claimsNotGranted.map((c) => ({ srip: c.srip, granted: false, reason: c.reason, findings: c.findings })) : []),
    ],
    supersededBy: [],
    flags: { open: 0, dismissed: 0, suspended: 0, reauditOrdered: 0, latest: null },
  };
}
