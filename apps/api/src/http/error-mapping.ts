// The one place where errors become HTTP responses: domain errors by kind, body
// parser errors (malformed JSON, too large), Nest's own HTTP exceptions (unknown
// route, rate limit). Everything else is a 500 with no internals in the body.
import { HttpException } from "@nestjs/common";
import { DEPENDENCY_RETRY_AFTER_SECONDS, dependencyUnavailableOf, isDomainError, type DomainErrorKind } from "@assay/platform";

export type ErrorBody = { error: { code: string; message: string; details?: unknown } };
export type HttpError = { status: number; body: ErrorBody; headers: Record<string, string> };

export const STATUS_BY_KIND: Readonly<Record<DomainErrorKind, number>> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  payment_required: 402,
  rate_limited: 429,
  unavailable: 503,
};

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "route_not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

/** Errors raised by body-parser (express.json). */
type BodyParserError = Error & { type?: string; status?: number; limit?: number };

export function httpErrorOf(thrown: unknown): HttpError {
  // A driver error saying PostgreSQL or Redis is down becomes the typed DependencyUnavailableError (503, not 500).
  const err = isDomainError(thrown) ? thrown : (dependencyUnavailableOf(thrown) ?? thrown);
  if (isDomainError(err)) {
    const headers: Record<string, string> = {};
    if (err.kind === "unauthorized") headers["WWW-Authenticate"] = 'Bearer realm="assay"';
    if (err.kind === "rate_limited") headers["Retry-After"] = String((err as { retryAfterSeconds?: number }).retryAfterSeconds ?? 60);
    if (err.kind === "unavailable") headers["Retry-After"] = String((err as { retryAfterSeconds?: number }).retryAfterSeconds ?? DEPENDENCY_RETRY_AFTER_SECONDS);
    return respond(STATUS_BY_KIND[err.kind], err.code, err.message, err.details, headers);
  }
  const parser = err as BodyParserError;
  if (parser && typeof parser === "object" && typeof parser.type === "string") {
    switch (parser.type) {
      case "entity.parse.failed":
        return respond(400, "malformed_json", "the request body is not valid JSON");
      case "entity.too.large":
        return respond(413, "payload_too_large", `the request body exceeds ${parser.limit ?? "the"} bytes`, { limitBytes: parser.limit });
      case "encoding.unsupported":
      case "charset.unsupported":
        return respond(415, "unsupported_media_type", parser.message);
      case "request.aborted":
      case "request.size.invalid":
      case "stream.encoding.set":
        return respond(400, "bad_request", parser.message);
    }
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = CODE_BY_STATUS[status] ?? (status >= 500 ? "internal_error" : "bad_request");
    const headers: Record<string, string> = status === 429 ? { "Retry-After": "60" } : {};
    return respond(status, code, status === 404 ? "no such route" : status === 429 ? "too many requests; slow down" : err.message, undefined, headers);
  }
  return respond(500, "internal_error", "internal error");
}

function respond(status: number, code: string, message: string, details?: unknown, headers: Record<string, string> = {}): HttpError {
  return { status, body: { error: { code, message, ...(details !== undefined ? { details } : {}) } }, headers };
}
