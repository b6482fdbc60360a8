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
  PublicAssemblyRecordSchema,
  PublicCertificateSchema,
  RegistryPageSchema,
  type RegistrySearchQuery,
  SubmissionPageSchema,
  SubmissionReportSchema,
  ReportVisibilityBody,
  ReportVisibilitySchema,
  SubmissionStreamEventSchema,
  SubmissionViewSchema,
  type SubmissionStreamEvent,
  ApiKeyListSchema,
  CertificateWithStatusSchema,
  CreateApiKeyBody,
  CreatedApiKeySchema,
  CreditBalanceSchema,
  CreditJournalSchema,
  DeveloperSessionSchema,
  DeveloperSignInBody,
  DeveloperSignUpBody,
  QuoteSchema,
  RedeemVoucherBodySchema,
  RedeemedVoucherSchema,
  UsageTotalsSchema,
} from "@assay/protocol";
import * as protocol from "@assay/protocol";
import { z } from "zod";

export const ROUTES = {
  health: "/v1/public/health",
  discovery: "/.well-known/assay.json",
  jwks: "/.well-known/jwks.json",
  certificate: (id: string) => `/v1/public/certificates/${encodeURIComponent(id)}`,
  certificateAssembly: (id: string) => `/v1/public/certificates/${encodeURIComponent(id)}/assembly`,
  verify: "/v1/public/verify",
  registrySearch: "/v1/public/registry/certificates",
  /** The SVG badge (outside /v1; proxied like the API's other paths). */
  badge: (id: string) => `/badge/${encodeURIComponent(id)}.svg`,
  logCertificate: (id: string) => `/v1/public/log/certificates/${encodeURIComponent(id)}`,
  logConsistency: (from: number, to: number) => `/v1/public/log/consistency?from=${from}&to=${to}`,
  developerSubmissions: "/v1/developer/submissions",
  developerSubmission: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}`,
  developerReport: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}/report`,
  developerReportVisibility: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}/report/visibility`,
  developerEvents: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}/events`,
  developerCertificate: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}/certificate`,
  developerSignUp: "/v1/developer/auth/sign-up",
  developerSignIn: "/v1/developer/auth/sign-in",
  developerSignOut: "/v1/developer/auth/sign-out",
  developerSession: "/v1/developer/auth/session",
  developerApiKeys: "/v1/developer/api-keys",
  developerApiKey: (id: string) => `/v1/developer/api-keys/${encodeURIComponent(id)}`,
  developerCredits: "/v1/developer/credits",
  developerJournal: "/v1/developer/credits/journal",
  developerRedeem: "/v1/developer/credits/redeem",
  developerQuotes: "/v1/developer/quotes",
  developerUsage: (range: { from?: string; to?: string }) => `/v1/developer/usage${range.from || range.to ? `?${new URLSearchParams({ ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) })}` : ""}`,
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
} as const;

export type DiscoveryDocument = z.infer<typeof DiscoverySchema>;
export type Jwks = z.infer<typeof JwksSchema>;

/**
 * How a call authenticates: an API key or session token as a bearer header, or
 * (`cookie`) the developer portal's HttpOnly session cookie, which the browser
 * attaches itself; the page adds the session's CSRF token (docs/decisions/0029).
 */
export type Credential = { kind: "api-key"; key: string } | { kind: "session"; token: string } | { kind: "cookie"; csrfToken: string };

function authHeaders(credential?: Credential): Record<string, string> {
  if (!credential) return {};
  if (credential.kind === "cookie") return { "x-csrf-token": credential.csrfToken };
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
  /** A certificate's assembly record (docs/decisions/0031), byte-for-byte: the browser recomputes its digest. */
  assembly: (id: string) => request(ROUTES.certificateAssembly(id), PublicAssemblyRecordSchema, { checkOnly: true }),
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
  /** Whether the public certificate lookup carries the audit report (decision 0030). */
  setReportVisibility: (credential: Credential, id: string, isPublic: boolean) =>
    request(ROUTES.developerReportVisibility(id), ReportVisibilitySchema, { ...body(ReportVisibilityBody, { public: isPublic }), method: "PUT", credential }),
  certificate: (credential: Credential, id: string) => request(ROUTES.developerCertificate(id), CertificateWithStatusSchema, { credential, checkOnly: true }),
  signUp: (input: z.input<typeof DeveloperSignUpBody>) => request(ROUTES.developerSignUp, DeveloperSessionSchema, body(DeveloperSignUpBody, input)),
  signIn: (input: z.input<typeof DeveloperSignInBody>) => request(ROUTES.developerSignIn, DeveloperSessionSchema, body(DeveloperSignInBody, input)),
  /** With no credential: the cookie session, if the browser has one (401 otherwise). */
  session: (credential?: Credential) => request(ROUTES.developerSession, DeveloperSessionSchema, { credential }),
  signOut: (credential: Credential) => request(ROUTES.developerSignOut, z.null(), { method: "POST", credential }),
  apiKeys: (credential: Credential) => request(ROUTES.developerApiKeys, ApiKeyListSchema, { credential }),
  createApiKey: (credential: Credential, name: string) => request(ROUTES.developerApiKeys, CreatedApiKeySchema, { ...body(CreateApiKeyBody, { name }), credential }),
  revokeApiKey: (credential: Credential, id: string) => request(ROUTES.developerApiKey(id), z.null(), { method: "DELETE", credential }),
  credits: (credential: Credential) => request(ROUTES.developerCredits, CreditBalanceSchema, { credential }),
  journal: (credential: Credential) => request(ROUTES.developerJournal, CreditJournalSchema, { credential }),
  redeem: (credential: Credential, code: string) => request(ROUTES.developerRedeem, RedeemedVoucherSchema, { ...body(RedeemVoucherBodySchema, { code }), credential }),
  /** The submission body (manifest + files, base64) is the same as `assay submit` sends; nothing is written. */
  quote: (credential: Credential, runtime: { manifest: unknown; files: { path: string; contentBase64: string }[] }) =>
    request(ROUTES.developerQuotes, QuoteSchema, { ...postJson(runtime), credential }),
  usage: (credential: Credential, range: { from?: string; to?: string } = {}) => request(ROUTES.developerUsage(range), UsageTotalsSchema, { credential }),
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
};

/** The operator console's routes (SPEC §8 operator plane); every answer is parsed with its @assay/protocol schema. */
const OPERATOR = "/v1/operator";
const enc = encodeURIComponent;
/** One page of an operator list (decision 0032): the previous answer's nextCursor, and the page size. */
export type OperatorPage = { cursor?: string; limit?: number };
const pageParams = (page: OperatorPage) => ({ cursor: page.cursor, limit: page.limit === undefined ? undefined : String(page.limit) });
const query = (params: Record<string, string | undefined>) => {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== "");
  return entries.length === 0 ? "" : `?${new URLSearchParams(entries).toString()}`;
};
const send = (method: string, value: unknown, credential: Credential) => ({ method, body: JSON.stringify(value), headers: { "content-type": "application/json" }, credential });

export const operatorConsoleApi = {
  me: (c: Credential) => request(`${OPERATOR}/me`, protocol.OperatorViewSchema, { credential: c }),
  /** The escalation queue: escalated assemblies still waiting (status=escalated), one page (decision 0032). */
  escalations: (c: Credential, page: OperatorPage = {}) =>
    request(`${OPERATOR}/assemblies${query({ escalated: "true", status: "escalated", ...pageParams(page) })}`, protocol.AssemblyListSchema, { credential: c }),
  resolveEscalation: (c: Credential, id: string, input: z.input<typeof protocol.ResolveEscalationBody>) =>
    request(`${OPERATOR}/assemblies/${enc(id)}/resolve`, protocol.ResolveResultSchema, send("POST", protocol.ResolveEscalationBody.parse(input), c)),
  validators: (c: Credential, standing?: string, page: OperatorPage & { q?: string } = {}) =>
    request(`${OPERATOR}/validators${query({ standing, q: page.q, ...pageParams(page) })}`, protocol.ValidatorListSchema, { credential: c }),
  approveValidator: (c: Credential, id: string, input: z.input<typeof protocol.ApproveValidatorBody>) =>
    request(`${OPERATOR}/validators/${enc(id)}/approve`, protocol.ValidatorActionResultSchema, send("POST", protocol.ApproveValidatorBody.parse(input), c)),
  suspendValidator: (c: Credential, id: string, input: z.input<typeof protocol.SuspendValidatorBody>) =>
    request(`${OPERATOR}/validators/${enc(id)}/suspend`, protocol.ValidatorActionResultSchema, send("POST", protocol.SuspendValidatorBody.parse(input), c)),
  reinstateValidator: (c: Credential, id: string, input: z.input<typeof protocol.ReinstateValidatorBody>) =>
    request(`${OPERATOR}/validators/${enc(id)}/reinstate`, protocol.ValidatorActionResultSchema, send("POST", protocol.ReinstateValidatorBody.parse(input), c)),
  slashValidator: (c: Credential, id: string, input: z.input<typeof protocol.SlashValidatorBody>) =>
    request(`${OPERATOR}/validators/${enc(id)}/slash`, protocol.ValidatorActionResultSchema, send("POST", protocol.SlashValidatorBody.parse(input), c)),
  catalogue: (c: Credential) => request(`${OPERATOR}/pricing/catalogue`, protocol.CatalogueVersionSchema, { credential: c }),
  catalogueVersions: (c: Credential) => request(`${OPERATOR}/pricing/catalogue/versions`, protocol.CatalogueVersionsSchema, { credential: c }),
  publishCatalogue: (c: Credential, catalogue: z.input<typeof protocol.PriceCatalogueSchema>) =>
    request(`${OPERATOR}/pricing/catalogue`, protocol.CatalogueVersionSchema, send("POST", protocol.PriceCatalogueSchema.parse(catalogue), c)),
  campaigns: (c: Credential, page: OperatorPage = {}) => request(`${OPERATOR}/campaigns${query(pageParams(page))}`, protocol.CampaignListSchema, { credential: c }),
  createCampaign: (c: Credential, input: z.input<typeof protocol.CampaignInputSchema>) =>
    request(`${OPERATOR}/campaigns`, protocol.CampaignViewSchema, send("POST", protocol.CampaignInputSchema.parse(input), c)),
  disableCampaign: (c: Credential, id: string) => request(`${OPERATOR}/campaigns/${enc(id)}/disable`, protocol.CampaignViewSchema, { method: "POST", credential: c }),
  paymentMethods: (c: Credential) => request(`${OPERATOR}/payment-methods`, protocol.PaymentMethodsSchema, { credential: c }),
  setPaymentMethods: (c: Credential, change: z.input<typeof protocol.PaymentMethodsChangeSchema>) =>
    request(`${OPERATOR}/payment-methods`, protocol.PaymentMethodsSchema, send("PUT", protocol.PaymentMethodsChangeSchema.parse(change), c)),
  vouchers: (c: Credential, page: OperatorPage = {}) => request(`${OPERATOR}/vouchers${query(pageParams(page))}`, protocol.VoucherListSchema, { credential: c }),
  createVoucher: (c: Credential, input: z.input<typeof protocol.VoucherInputSchema>) =>
    request(`${OPERATOR}/vouchers`, protocol.CreatedVoucherSchema, send("POST", protocol.VoucherInputSchema.parse(input), c)),
  revokeVoucher: (c: Credential, id: string) => request(`${OPERATOR}/vouchers/${enc(id)}/revoke`, protocol.VoucherViewSchema, { method: "POST", credential: c }),
  grantCredits: (c: Credential, input: z.input<typeof protocol.CreditGrantInputSchema>) =>
    request(`${OPERATOR}/credits/grants`, protocol.CreditGrantResultSchema, send("POST", protocol.CreditGrantInputSchema.parse(input), c)),
  developerCredits: (c: Credential, developerId: string) => request(`${OPERATOR}/developers/${enc(developerId)}/credits`, protocol.CreditBalanceSchema, { credential: c }),
  usage: (c: Credential, range: { from?: string; to?: string }, page: OperatorPage & { q?: string } = {}) =>
    request(`${OPERATOR}/usage${query({ from: range.from, to: range.to, q: page.q, ...pageParams(page) })}`, protocol.OperatorUsageSchema, { credential: c }),
  /** The same usage as CSV text (for a download). */
  async usageCsv(c: Credential, range: { from?: string; to?: string }): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${OPERATOR}/usage.csv${query(range)}`, { headers: { accept: "text/csv", ...authHeaders(c) } });
    } catch (error) {
      throw new ApiError(0, "network_error", `cannot reach the API (${(error as Error).message})`);
    }
    const text = await response.text();
    if (!response.ok) {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // plain text
      }
      throw apiErrorFromBody(response.status, response.statusText, body);
    }
    return z.string().parse(text);
  },
  flags: (c: Credential) => request(`${OPERATOR}/flags`, protocol.FlagListSchema, { credential: c }),
  setFlag: (c: Credential, key: string, value: z.input<typeof protocol.SetFlagBodySchema>["value"]) =>
    request(`${OPERATOR}/flags/${enc(key)}`, protocol.FlagViewSchema, send("PUT", protocol.SetFlagBodySchema.parse({ value }), c)),
  auditLog: (c: Credential, page: OperatorPage & { action?: string; actor?: string; target?: string } = {}) =>
    request(`${OPERATOR}/audit-log${query({ action: page.action, actor: page.actor, target: page.target, ...pageParams(page) })}`, protocol.AuditLogSchema, { credential: c }),
  verifyAuditLog: (c: Credential) => request(`${OPERATOR}/audit-log/verify`, protocol.AuditLogVerificationSchema, { credential: c }),
  signingKeys: (c: Credential) => request(`${OPERATOR}/signing-keys`, protocol.SigningKeyListSchema, { credential: c }),
  rotateSigningKey: (c: Credential) => request(`${OPERATOR}/signing-keys/rotate`, protocol.RotatedKeySchema, { method: "POST", credential: c }),
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
