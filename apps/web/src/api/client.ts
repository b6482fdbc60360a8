// Every HTTP call the web app makes, in one module: routes and auth headers live
// here and nowhere else, so following the API is a one-file change. The app is
// served on the API's origin (vite proxy in development, server/serve.ts in
// production), so paths are relative.
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { ApiError, apiErrorFromBody } from "./errors";
import {
  ActivateValidatorBody,
  AgentChallengeSchema,
  AgentCommitBody,
  AgentHistorySchema,
  AgentMeSchema,
  AgentRevealBody,
  AgentTokenSchema,
  AssemblyBeaconViewSchema,
  AssemblyEvidenceSchema,
  AssignmentsSchema,
  BeaconContributionAcceptedSchema,
  BeaconContributionBodySchema,
  BeaconWindowsSchema,
  ChallengeBody,
  CommitAcceptedSchema,
  RevealAcceptedSchema,
  TokenBody,
  ValidatorViewSchema,
  CertificateStatusViewSchema,
  CertificateVerifyResultSchema,
  DiscoverySchema,
  HealthSchema,
  JwksSchema,
  LogConsistencyResponseSchema,
  LogInclusionResponseSchema,
  OperatorLoginResultSchema,
  PublicCertificateSchema,
  RegistryPageSchema,
  type RegistrySearchQuery,
  SubmissionPageSchema,
  SubmissionReportSchema,
  SubmissionStreamEventSchema,
  SubmissionViewSchema,
  type SubmissionStreamEvent,
} from "@assay/protocol";
import * as protocol from "@assay/protocol";
import { z } from "zod";

export const ROUTES = {
  health: "/v1/public/health",
  discovery: "/.well-known/assay.json",
  jwks: "/.well-known/jwks.json",
  certificate: (id: string) => `/v1/public/certificates/${encodeURIComponent(id)}`,
  verify: "/v1/public/verify",
  registrySearch: "/v1/public/registry/certificates",
  /** The SVG badge (outside /v1; proxied like the API's other paths). */
  badge: (id: string) => `/badge/${encodeURIComponent(id)}.svg`,
  logCertificate: (id: string) => `/v1/public/log/certificates/${encodeURIComponent(id)}`,
  logConsistency: (from: number, to: number) => `/v1/public/log/consistency?from=${from}&to=${to}`,
  developerSubmissions: "/v1/developer/submissions",
  developerSubmission: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}`,
  developerReport: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}/report`,
  developerEvents: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}/events`,
  agentActivate: "/v1/agent/activate",
  agentChallenge: "/v1/agent/challenge",
  agentToken: "/v1/agent/token",
  agentMe: "/v1/agent/me",
  agentAssignments: "/v1/agent/assignments",
  agentHistory: "/v1/agent/history",
  agentRewards: "/v1/agent/rewards",
  agentEvidence: (id: string) => `/v1/agent/assemblies/${encodeURIComponent(id)}/evidence`,
  agentCommit: "/v1/agent/commit",
  agentReveal: "/v1/agent/reveal",
  agentBeacons: "/v1/agent/beacons",
  agentBeacon: (id: string) => `/v1/agent/assemblies/${encodeURIComponent(id)}/beacon`,
  operatorLogin: "/v1/operator/auth/login",
  operatorSubmissions: "/v1/operator/submissions",
  operatorCertificateStatus: (id: string) => `/v1/operator/certificates/${encodeURIComponent(id)}/status`,
  /** Where the operator plane's OpenAPI document is published (first that answers wins). */
  operatorOpenApi: ["/docs/operator-json", "/docs/operator/openapi.json", "/docs-json"],
} as const;

/** The part of an OpenAPI document the console reads (which routes exist). */
export const OpenApiPathsSchema = z.looseObject({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) });
export type OpenApiDocument = z.infer<typeof OpenApiPathsSchema>;

export type DiscoveryDocument = z.infer<typeof DiscoverySchema>;
export type Jwks = z.infer<typeof JwksSchema>;

export type Credential = { kind: "api-key"; key: string } | { kind: "session"; token: string };

function authHeaders(credential?: Credential): Record<string, string> {
  if (!credential) return {};
  return { authorization: `Bearer ${credential.kind === "api-key" ? credential.key : credential.token}` };
}

/** Every response body is parsed with the protocol's schema for it; a body that does not match is an error, not data. */
async function request<S extends z.ZodType>(
  path: string,
  schema: S,
  init: RequestInit & { credential?: Credential; checkOnly?: boolean } = {},
): Promise<z.infer<S>> {
  const { credential, headers, checkOnly, ...rest } = init;
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
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(response.status, "unexpected_response", `the API's answer to ${path} does not match its schema (${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "invalid"})`);
  }
  // checkOnly: the body is validated but handed on byte-for-byte (a signed document must not lose fields the schema does not name).
  return checkOnly ? (body as z.infer<S>) : parsed.data;
}

const postJson = (body: unknown) => ({ method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

export const publicApi = {
  health: () => request(ROUTES.health, HealthSchema),
  discovery: () => request(ROUTES.discovery, DiscoverySchema),
  jwks: () => request(ROUTES.jwks, JwksSchema),
  certificate: (id: string) => request(ROUTES.certificate(id), PublicCertificateSchema, { checkOnly: true }) as Promise<Record<string, unknown>>,
  verify: (document: unknown) => request(ROUTES.verify, CertificateVerifyResultSchema, postJson(document)),
  /** The public registry (docs/decisions/0017): filters combined with AND, newest first, cursor-paginated. */
  registrySearch: (query: Partial<Record<keyof RegistrySearchQuery, string>>) => {
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
    const qs = params.toString();
    return request(`${ROUTES.registrySearch}${qs ? `?${qs}` : ""}`, RegistryPageSchema);
  },
  /** The transparency log (docs/decisions/0016): a certificate's entries with inclusion proofs, and consistency proofs. */
  logInclusion: (id: string) => request(ROUTES.logCertificate(id), LogInclusionResponseSchema),
  logConsistency: (from: number, to: number) => request(ROUTES.logConsistency(from, to), LogConsistencyResponseSchema),
};

export const developerApi = {
  submissions: (credential: Credential, cursor?: string) =>
    request(`${ROUTES.developerSubmissions}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, SubmissionPageSchema, { credential }),
  submission: (credential: Credential, id: string) => request(ROUTES.developerSubmission(id), SubmissionViewSchema, { credential }),
  report: (credential: Credential, id: string) => request(ROUTES.developerReport(id), SubmissionReportSchema, { credential }),
};

/**
 * The validator payables (GET /v1/agent/rewards, ValidatorRewardsSchema) land
 * on the agent plane separately from the portal. The portal reads the schema
 * from the protocol package when it exists and shows its section only then
 * and only when the route answers; once both are everywhere, import the
 * schema directly.
 */
const ValidatorRewardsSchemaIfAny = (protocol as unknown as Record<string, z.ZodType | undefined>)["ValidatorRewardsSchema"];

/** Sends a request body only after the protocol's schema accepts it (the server parses with the same schema). */
function body<S extends z.ZodType>(schema: S, value: z.input<S>) {
  return postJson(schema.parse(value));
}

/**
 * The agent plane as the validator portal uses it. Sign-in takes a signature
 * made in the browser (validator/keys.ts): no call here carries a private key.
 */
export const agentApi = {
  activate: (input: z.input<typeof ActivateValidatorBody>) => request(ROUTES.agentActivate, ValidatorViewSchema, body(ActivateValidatorBody, input)),
  challenge: (publicKey: string) => request(ROUTES.agentChallenge, AgentChallengeSchema, body(ChallengeBody, { publicKey })),
  token: (nonce: string, signature: string) => request(ROUTES.agentToken, AgentTokenSchema, body(TokenBody, { nonce, signature })),
  me: (credential: Credential) => request(ROUTES.agentMe, AgentMeSchema, { credential }),
  assignments: (credential: Credential) => request(ROUTES.agentAssignments, AssignmentsSchema, { credential }),
  history: (credential: Credential, cursor?: string) =>
    request(`${ROUTES.agentHistory}?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, AgentHistorySchema, { credential }),
  evidence: (credential: Credential, assemblyId: string) => request(ROUTES.agentEvidence(assemblyId), AssemblyEvidenceSchema, { credential }),
  commit: (credential: Credential, input: z.input<typeof AgentCommitBody>) => request(ROUTES.agentCommit, CommitAcceptedSchema, { ...body(AgentCommitBody, input), credential }),
  reveal: (credential: Credential, input: z.input<typeof AgentRevealBody>) => request(ROUTES.agentReveal, RevealAcceptedSchema, { ...body(AgentRevealBody, input), credential }),
  beacons: (credential: Credential) => request(ROUTES.agentBeacons, BeaconWindowsSchema, { credential }),
  /** The validator's rewards, parsed with the protocol's schema; null when this build has no such schema or the API no such route. */
  async rewards(credential: Credential): Promise<Record<string, unknown> | null> {
    if (!ValidatorRewardsSchemaIfAny) return null;
    try {
      return (await request(ROUTES.agentRewards, ValidatorRewardsSchemaIfAny, { credential })) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
  beacon: (credential: Credential, assemblyId: string) => request(ROUTES.agentBeacon(assemblyId), AssemblyBeaconViewSchema, { credential }),
  contributeBeacon: (credential: Credential, assemblyId: string, value: string) =>
    request(ROUTES.agentBeacon(assemblyId), BeaconContributionAcceptedSchema, { ...body(BeaconContributionBodySchema, { value }), credential }),
};

export const operatorApi = {
  login: (input: { email: string; password: string; totp: string }) =>
    request(ROUTES.operatorLogin, OperatorLoginResultSchema, postJson(input)),
  submissions: (credential: Credential, cursor?: string) =>
    request(`${ROUTES.operatorSubmissions}${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`, SubmissionPageSchema, { credential }),
  certificateStatus: (credential: Credential, id: string, body: { status: string; reasonCode?: string }) =>
    request(ROUTES.operatorCertificateStatus(id), CertificateStatusViewSchema, { ...postJson(body), credential }),
  /** A GET on an operator path that the OpenAPI document lists (shown as a generic table). */
  get: (credential: Credential, path: string) => request(path, z.unknown(), { credential }),
  /** The operator plane's OpenAPI document, or null when none is published. */
  async openApi(): Promise<OpenApiDocument | null> {
    for (const path of ROUTES.operatorOpenApi) {
      try {
        return await request(path, OpenApiPathsSchema);
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
  onEvent: (event: SubmissionStreamEvent) => void,
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
  let failure: ApiError | null = null;
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      let data: unknown;
      try {
        data = JSON.parse(message.data);
      } catch {
        data = message.data;
      }
      const parsed = SubmissionStreamEventSchema.safeParse({ event: message.event ?? "message", data });
      if (!parsed.success) {
        failure = new ApiError(0, "unexpected_event", `the event stream sent a "${message.event ?? "message"}" event that does not match its schema`);
        return;
      }
      onEvent(parsed.data);
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
      if (failure) {
        await reader.cancel().catch(() => undefined);
        throw failure;
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof ApiError) throw error;
    throw new ApiError(0, "stream_error", `the event stream broke (${(error as Error).message})`);
  }
}
