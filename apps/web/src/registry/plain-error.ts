// Errors in plain words with a next step, for the public pages (a first-time
// visitor should not have to read HTTP codes). The technical detail stays at the end.
import { ApiError, readableError } from "../api/errors";

export function plainErrorText(error: unknown, context: string): string {
  if (error instanceof ApiError) {
    if (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504 || error.code === "api_unreachable") {
      return `${context}: the Assay server cannot be reached right now. Check your connection and try again in a minute. (${readableError(error)})`;
    }
    if (error.status === 404) {
      return `${context}: this issuer has no certificate with that id. Check that the id was copied completely (0x and 64 hexadecimal digits), or search the registry at /registry. (${readableError(error)})`;
    }
    if (error.status === 429) return `${context}: too many requests from your address. Wait a minute, then try again.`;
    if (error.status === 400) return `${context}: the server did not accept the request (${readableError(error)}). Check what you entered and try again.`;
    if (error.code === "unexpected_response" || error.code === "not_json") {
      return `${context}: the server answered in a form this page does not understand. Reload the page; if it persists, the server may be a different version.`;
    }
    return `${context}: the server reported an error (${readableError(error)}). Try again later.`;
  }
  return `${context}: ${readableError(error)}`;
}

export function plainError(error: unknown, context: string): Error {
  return new Error(plainErrorText(error, context));
}
