// Every HTTP call the web app makes, in one module: routes and auth headers live
// here and nowhere else, so following the API is a one-file change. The app is
// served on the API's origin (vite proxy in development, server/serve.ts in
// production), so paths are relative.
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { ApiError, apiErrorFromBody } from "./errors";
import type {
  CertificateLookupResponse,
  DiscoveryDocument,
  Jwks,
  OpenApiDocument,
  SubmissionPage,
  SubmissionView,
  VerifyResponse,
} from "./types";

export const ROUTES = {
  health: "/v1/public/health",
  discovery: "/.well-known/assay.json",
  jwks: "/.well-known/jwks.json",
  certificate: (id: string) => `/v1/public/certificates/${encodeURIComponent(id)}`,
  verify: "/v1/public/verify",
  developerSubmissions: "/v1/developer/submissions",
  developerSubmission: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}`,
  developerReport: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}/report`,
  developerEvents: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}/events`,
  operatorLogin: "/v1/operator/auth/login",
  operatorSubmissions: "/v1/operator/submissions",
  operatorCertificateStatus: (id: string) => `/v1/operator/certificates/${encodeURIComponent(id)}/status`,
  /** Where the operator plane's OpenAPI document is published (first that answers wins). */
  operatorOpenApi: ["/docs/operator-json", "/docs/operator/openapi.json", "/docs-json"],
} as const;

export type Credential = { kind: "api-key"; key: string } | { kind: "session"; token: string };

function authHeaders(credential?: Credential): Record<string, string> {
  if (!credential) return {};
  return { authorization: `Bearer ${credential.kind === "api-key" ? credential.key : credential.token}` };
}

async function request<T>(path: string, init: RequestInit & { credential?: Credential } = {}): Promise<T> {
  const { credential, headers, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(path, { ...rest, headers: { accept: "application/json", ...authHeaders(credential), ...(headers as Record<string, string>) } });
  } catch (error) {
    throw new ApiError(0, "network_error", `cannot reach the API (${(error as Error).message})`);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the error message.
  }
  if (!response.ok) throw apiErrorFromBody(response.status, response.statusText, body);
  if (typeof body === "string") throw new ApiError(response.status, "not_json", `expected JSON from ${path}, got: ${text.slice(0, 120)}`);
  return body as T;
}

const postJson = (body: unknown) => ({ method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

export const publicApi = {
  health: () => request<unknown>(ROUTES.health),
  discovery: () => request<DiscoveryDocument>(ROUTES.discovery),
  jwks: () => request<Jwks>(ROUTES.jwks),
  certificate: (id: string) => request<CertificateLookupResponse>(ROUTES.certificate(id)),
  verify: (document: unknown) => request<VerifyResponse>(ROUTES.verify, postJson(document)),
};

export const developerApi = {
  submissions: (credential: Credential, cursor?: string) =>
    request<SubmissionPage>(`${ROUTES.developerSubmissions}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, { credential }),
  submission: (credential: Credential, id: string) => request<SubmissionView>(ROUTES.developerSubmission(id), { credential }),
  report: (credential: Credential, id: string) => request<{ digest: string; verdict: string; report: unknown }>(ROUTES.developerReport(id), { credential }),
};

export const operatorApi = {
  login: (input: { email: string; password: string; totp: string }) =>
    request<{ token: string; expiresAt?: string; operator?: { email: string; role: string } }>(ROUTES.operatorLogin, postJson(input)),
  submissions: (credential: Credential, cursor?: string) =>
    request<SubmissionPage>(`${ROUTES.operatorSubmissions}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, { credential }),
  certificateStatus: (credential: Credential, id: string, body: { status: string; reasonCode?: string }) =>
    request<{ state: string; reason: string | null }>(ROUTES.operatorCertificateStatus(id), { ...postJson(body), credential }),
  /** A GET on an operator path that the OpenAPI document lists. */
  get: (credential: Credential, path: string) => request<unknown>(path, { credential }),
  /** The operator plane's OpenAPI document, or null when none is published. */
  async openApi(): Promise<OpenApiDocument | null> {
    for (const path of ROUTES.operatorOpenApi) {
      try {
        const doc = await request<OpenApiDocument>(path);
        if (doc && typeof doc === "object" && typeof doc.paths === "object") return doc;
      } catch {
        // Try the next published location.
      }
    }
    return null;
  },
};

/**
 * Follows a submission's server-sent-event stream. fetch, not EventSource,
 * because EventSource cannot send the Authorization header. Resolves when the
 * stream ends; rejects with ApiError when it cannot be opened.
 */
export async function followSubmissionEvents(
  credential: Credential,
  id: string,
  onEvent: (event: { type: string; data: unknown }) => void,
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(ROUTES.developerEvents(id), { headers: { accept: "text/event-stream", ...authHeaders(credential) }, signal });
  } catch (error) {
    if (signal.aborted) return;
    throw new ApiError(0, "network_error", `cannot open the event stream (${(error as Error).message})`);
  }
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => "");
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // plain text body
    }
    throw apiErrorFromBody(response.status, response.statusText, body);
  }
  if (!(response.headers.get("content-type") ?? "").toLowerCase().startsWith("text/event-stream")) {
    await response.body.cancel().catch(() => undefined);
    throw new ApiError(response.status, "not_a_stream", `the events route answered ${response.headers.get("content-type") ?? "without a content type"}, not text/event-stream`);
  }
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      let data: unknown = message.data;
      try {
        data = JSON.parse(message.data);
      } catch {
        // a non-JSON event stays text
      }
      onEvent({ type: message.event ?? "message", data });
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  } catch (error) {
    if (signal.aborted) return;
    throw new ApiError(0, "stream_error", `the event stream broke (${(error as Error).message})`);
  }
}
