// Every HTTP call the CLI makes, in one place: routes, credentials, timeouts and
// response shapes (zod-checked). Commands and services get an AssayApi and never
// build URLs themselves.
import {
  StatusListResponseSchema,
  type StatusListResponse,
  LogAnchoredCheckpointResponseSchema,
  LogConsistencyResponseSchema,
  LogInclusionResponseSchema,
  type LogAnchoredCheckpointResponse,
  type LogConsistencyResponse,
  type LogInclusionResponse,
} from "@assay/protocol";
import { RegistryPageSchema, type RegistryPage, type RegistrySearchQuery } from "@assay/protocol";
import { CreditBalanceSchema, QuoteSchema, RedeemedVoucherSchema, UsageTotalsSchema, type CreditBalance, type Quote, type RedeemedVoucher } from "@assay/protocol";
import { DepositClaimSchema, DepositInfoSchema, type DepositClaim, type DepositInfo } from "@assay/protocol";
import {
  AutoRenewSettingSchema,
  CertificateChainSchema,
  CertificateRenewalListSchema,
  type AutoRenewSetting,
  type CertificateChain,
  type CertificateRenewalList,
} from "@assay/protocol";
import { ApiKeyMissingError } from "./errors";
import { send, sendJson } from "./http";
import {
  CertificateLookupSchema,
  CreatedSubmissionSchema,
  DeveloperSchema,
  DiscoverySchema,
  JwksSchema,
  SubmissionViewSchema,
  type CertificateLookup,
  type Developer,
  type Discovery,
  type Jwks,
  type SubmissionView,
} from "./schemas";

export const ROUTES = {
  me: "/v1/developer/me",
  submissions: "/v1/developer/submissions",
  submission: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}`,
  submissionCertificate: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}/certificate`,
  submissionEvents: (id: string) => `/v1/developer/submissions/${encodeURIComponent(id)}/events`,
  publicCertificate: (id: string) => `/v1/public/certificates/${encodeURIComponent(id)}`,
  discovery: "/.well-known/assay.json",
  quotes: "/v1/developer/quotes",
  credits: "/v1/developer/credits",
  redeem: "/v1/developer/credits/redeem",
  deposits: "/v1/developer/deposits",
  usage: (range: { from?: string; to?: string; submission?: string }) => `/v1/developer/usage${usageQuery(range)}`,
  logCertificate: (id: string) => `/v1/public/log/certificates/${encodeURIComponent(id)}`,
  logConsistency: (from: number, to: number) => `/v1/public/log/consistency?from=${from}&to=${to}`,
  logAnchoredCheckpoint: (id: string) => `/v1/public/log/certificates/${encodeURIComponent(id)}/anchor`,
  statusList: "/v1/public/status-list",
  registrySearch: (query: RegistrySearchQuery) => `/v1/public/registry/certificates${queryString(query)}`,
  certificateChain: (id: string) => `/v1/public/certificates/${encodeURIComponent(id)}/chain`,
  autoRenew: "/v1/developer/auto-renew",
  renewals: (certificateId?: string) => `/v1/developer/renewals${certificateId ? `?certificateId=${encodeURIComponent(certificateId)}` : ""}`,
} as const;

/** A query string of the defined values (URLSearchParams encodes them). */
function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The packed runtime of POST /v1/developer/submissions (platform's SubmitRuntimeBody). */
export type SubmitRuntimeBody = { manifest: unknown; files: { path: string; contentBase64: string }[] };

export type ApiTimeouts = { requestMs: number; uploadMs: number };
export const DEFAULT_TIMEOUTS: ApiTimeouts = { requestMs: 15_000, uploadMs: 120_000 };

function usageQuery(range: { from?: string; to?: string; submission?: string }): string {
  const params = new URLSearchParams();
  if (range.from) params.set("from", range.from);
  if (range.to) params.set("to", range.to);
  if (range.submission) params.set("submission", range.submission);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export class AssayApi {
  constructor(
    /** Base URL without a trailing slash, e.g. http://127.0.0.1:3000. */
    readonly baseUrl: string,
    private readonly apiKey: string | undefined,
    private readonly timeouts: ApiTimeouts = DEFAULT_TIMEOUTS,
  ) {}

  // Developer plane (API key).

  me(): Promise<Developer> {
    return sendJson(this.developer(ROUTES.me), DeveloperSchema);
  }

  createSubmission(body: SubmitRuntimeBody): Promise<SubmissionView> {
    return sendJson({ ...this.developer(ROUTES.submissions), method: "POST", body, timeoutMs: this.timeouts.uploadMs }, CreatedSubmissionSchema);
  }

  /** What submitting this packed runtime would cost now; nothing is written. */
  quote(body: SubmitRuntimeBody): Promise<Quote> {
    return sendJson({ ...this.developer(ROUTES.quotes), method: "POST", body, timeoutMs: this.timeouts.uploadMs }, QuoteSchema);
  }

  credits(): Promise<CreditBalance> {
    return sendJson(this.developer(ROUTES.credits), CreditBalanceSchema);
  }

  /** Metered usage per kind (decimal strings), optionally in [from, to). */
  usage(range: { from?: string; to?: string; submission?: string } = {}): Promise<Record<string, string>> {
    return sendJson(this.developer(ROUTES.usage(range)), UsageTotalsSchema);
  }

  /** Redeems a voucher code for this developer (once per voucher). */
  redeemVoucher(code: string): Promise<RedeemedVoucher> {
    return sendJson({ ...this.developer(ROUTES.redeem), method: "POST", body: { code } }, RedeemedVoucherSchema);
  }

  /** How to deposit on chain (Treasury, reference, rate, confirmations) and the recorded deposits. */
  depositInfo(): Promise<DepositInfo> {
    return sendJson(this.developer(ROUTES.deposits), DepositInfoSchema);
  }

  /** Points the platform at a depositFee transaction: pending, or confirmed and credited (once). */
  claimDeposit(txHash: string): Promise<DepositClaim> {
    return sendJson({ ...this.developer(ROUTES.deposits), method: "POST", body: { txHash } }, DepositClaimSchema);
  }

  /** The auto-renew opt-in (docs/decisions/0020). */
  autoRenew(): Promise<AutoRenewSetting> {
    return sendJson(this.developer(ROUTES.autoRenew), AutoRenewSettingSchema);
  }

  setAutoRenew(enabled: boolean): Promise<AutoRenewSetting> {
    return sendJson({ ...this.developer(ROUTES.autoRenew), method: "PUT", body: { enabled } }, AutoRenewSettingSchema);
  }

  /** Renewal attempts of this developer's certificates, newest first. */
  renewals(certificateId?: string): Promise<CertificateRenewalList> {
    return sendJson(this.developer(ROUTES.renewals(certificateId)), CertificateRenewalListSchema);
  }

  submission(id: string, signal?: AbortSignal): Promise<SubmissionView> {
    return sendJson({ ...this.developer(ROUTES.submission(id)), signal }, SubmissionViewSchema);
  }

  submissionCertificate(id: string): Promise<CertificateLookup> {
    return sendJson(this.developer(ROUTES.submissionCertificate(id)), CertificateLookupSchema);
  }

  /**
   * Opens the submission's event stream. The response is returned as is (the
   * caller checks it is text/event-stream); the request's timeout covers only
   * the wait for headers, the stream itself may stay open for minutes.
   */
  async openSubmissionEvents(id: string, signal: AbortSignal): Promise<Response> {
    const headersTimeout = new AbortController();
    const timer = setTimeout(() => headersTimeout.abort(), this.timeouts.requestMs);
    try {
      return await send({
        ...this.developer(ROUTES.submissionEvents(id)),
        accept: "text/event-stream",
        // A generous fetch timeout; the real bound is the headers timer above.
        timeoutMs: 24 * 3600_000,
        signal: AbortSignal.any([signal, headersTimeout.signal]),
      });
    } finally {
      clearTimeout(timer);
    }
  }

  // Public plane (no credential).

  publicCertificate(id: string): Promise<CertificateLookup> {
    return sendJson(this.public(ROUTES.publicCertificate(id)), CertificateLookupSchema);
  }

  /** A certificate's transparency-log entries with inclusion proofs (ApiNotFoundError: not in the log). */
  logInclusion(id: string): Promise<LogInclusionResponse> {
    return sendJson(this.public(ROUTES.logCertificate(id)), LogInclusionResponseSchema);
  }

  logConsistency(from: number, to: number): Promise<LogConsistencyResponse> {
    return sendJson(this.public(ROUTES.logConsistency(from, to)), LogConsistencyResponseSchema);
  }

  /** The log checkpoint anchored with the certificate's registry batch (404 until it is). */
  logAnchoredCheckpoint(id: string): Promise<LogAnchoredCheckpointResponse> {
    return sendJson(this.public(ROUTES.logAnchoredCheckpoint(id)), LogAnchoredCheckpointResponseSchema);
  }

  /** The issuer's latest signed status list (ApiNotFoundError: none published yet). */
  statusList(): Promise<StatusListResponse> {
    return sendJson(this.public(ROUTES.statusList), StatusListResponseSchema);
  }

  /** One page of the public registry's search (GET /v1/public/registry/certificates; decision 0017). */
  searchRegistry(query: RegistrySearchQuery): Promise<RegistryPage> {
    return sendJson(this.public(ROUTES.registrySearch(query)), RegistryPageSchema);
  }

  /** The supersedes chain through a certificate, newest → oldest. */
  certificateChain(id: string): Promise<CertificateChain> {
    return sendJson(this.public(ROUTES.certificateChain(id)), CertificateChainSchema);
  }

  discovery(): Promise<Discovery> {
    return sendJson(this.public(ROUTES.discovery), DiscoverySchema);
  }

  /** The issuer's key set from the URL discovery names (absolute). */
  jwks(jwksUri: string): Promise<Jwks> {
    return sendJson({ url: jwksUri, base: this.baseUrl, timeoutMs: this.timeouts.requestMs }, JwksSchema);
  }

  private public(path: string) {
    return { url: `${this.baseUrl}${path}`, base: this.baseUrl, timeoutMs: this.timeouts.requestMs };
  }

  private developer(path: string) {
    if (this.apiKey === undefined) throw new ApiKeyMissingError();
    return { url: `${this.baseUrl}${path}`, base: this.baseUrl, apiKey: this.apiKey, timeoutMs: this.timeouts.requestMs };
  }
}
