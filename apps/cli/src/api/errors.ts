// Typed errors of the API client. Every one names the URL it was talking to, so
// the user sees which server (ASSAY_API_URL, --api-url, the config file) is meant.
import { AssayCliError, ExitCode } from "../errors";

/** The API cannot be reached at all (refused, DNS, timeout). */
export class ApiUnreachableError extends AssayCliError {
  readonly code = "API_UNREACHABLE";
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot reach the Assay API at ${url} (${reason}); check ASSAY_API_URL or --api-url`);
  }
}

/** 401: the key is unknown, revoked or malformed. */
export class ApiKeyRejectedError extends AssayCliError {
  readonly code = "API_KEY_REJECTED";
  constructor(url: string, serverMessage: string | undefined) {
    super(`API key rejected by ${url}${serverMessage ? ` (${serverMessage})` : ""}; set ASSAY_API_KEY or run assay login`);
  }
}

/** A developer-plane command with no key configured anywhere. */
export class ApiKeyMissingError extends AssayCliError {
  readonly code = "API_KEY_MISSING";
  constructor() {
    super("no API key: set ASSAY_API_KEY, pass --api-key, or run assay login");
  }
}

/** 404 on a resource: the id names nothing on this server (bad input, exit 2). */
export class ApiNotFoundError extends AssayCliError {
  readonly code = "API_NOT_FOUND";
  constructor(
    readonly url: string,
    message: string,
    readonly serverCode: string | undefined,
  ) {
    super(message);
  }
}

/**
 * A negative result the server reports (exit 1): the resource exists but the
 * thing asked for does not, e.g. a submission that ended without a certificate.
 */
export class ApiNegativeResultError extends AssayCliError {
  readonly code = "NEGATIVE_RESULT";
  override readonly exitCode = ExitCode.Negative;
}

/** Any other refusal (4xx/5xx) or a response that does not have the documented shape. */
export class ApiResponseError extends AssayCliError {
  readonly code = "API_RESPONSE";
  constructor(
    readonly url: string,
    readonly status: number,
    message: string,
    details: readonly string[] = [],
  ) {
    super(message, details);
  }
}
