// Typed domain errors. Services throw these (never HTTP exceptions); the API maps
// them to HTTP in one place (apps/api error mapping) by `kind`, and exposes
// `code` as the machine-readable error code.
export type DomainErrorKind =
  | "validation"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "payment_required"
  | "rate_limited"
  | "unavailable";

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(
    /** Stable machine code, snake_case, e.g. `submission_not_found`. */
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type ValidationIssue = { path: string; message: string; code?: string };

export class ValidationError extends DomainError {
  readonly kind = "validation";
  constructor(code: string, message: string, readonly issues: ValidationIssue[] = []) {
    super(code, message, issues.length > 0 ? { issues } : undefined);
  }
}

export class UnauthorizedError extends DomainError {
  readonly kind = "unauthorized";
}

export class ForbiddenError extends DomainError {
  readonly kind = "forbidden";
}

export class NotFoundError extends DomainError {
  readonly kind = "not_found";
}

export class ConflictError extends DomainError {
  readonly kind = "conflict";
}

export class PayloadTooLargeError extends DomainError {
  readonly kind = "payload_too_large";
}

/** Not enough credits for what was asked (HTTP 402); details say how many are needed and available. */
export class PaymentRequiredError extends DomainError {
  readonly kind = "payment_required";
}

export class RateLimitedError extends DomainError {
  readonly kind = "rate_limited";
  constructor(code: string, message: string, readonly retryAfterSeconds: number) {
    super(code, message, { retryAfterSeconds });
  }
}

/** A dependency (database, queue) is not reachable; the request may be retried. */
export class UnavailableError extends DomainError {
  readonly kind = "unavailable";
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/** zod issues as ValidationIssues (path joined with dots). */
export function issuesFromZod(issues: ReadonlyArray<{ path: PropertyKey[]; message: string; code?: string }>): ValidationIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message, ...(i.code ? { code: i.code } : {}) }));
}
