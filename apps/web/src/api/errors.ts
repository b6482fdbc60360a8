// API failures as one readable error type. The API answers errors as
// { error: { code, message, details? } } (the domain error mapping); NestJS
// defaults ({ statusCode, message, error }) and plain text are read too, so a
// user always sees a sentence, never "[object Object]".
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** What to show a person. */
  get readable(): string {
    const where = this.status === 0 ? "" : ` (HTTP ${this.status}${this.code ? `, ${this.code}` : ""})`;
    const issues = this.issues.length > 0 ? `: ${this.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}` : "";
    return `${this.message}${issues}${where}`;
  }
}

export function apiErrorFromBody(status: number, statusText: string, body: unknown): ApiError {
  if (typeof body === "object" && body !== null) {
    const outer = body as Record<string, unknown>;
    const inner = (typeof outer.error === "object" && outer.error !== null ? outer.error : outer) as Record<string, unknown>;
    const code = typeof inner.code === "string" ? inner.code : typeof outer.error === "string" ? outer.error : "";
    const message = Array.isArray(inner.message)
      ? inner.message.map(String).join("; ")
      : typeof inner.message === "string"
        ? inner.message
        : statusText || "request failed";
    return new ApiError(status, code, message, readIssues(inner));
  }
  if (typeof body === "string" && body.trim() !== "") return new ApiError(status, "", body.trim().slice(0, 300));
  // An empty gateway error comes from the web server's proxy, not the API.
  if (status === 502 || status === 503 || status === 504) return new ApiError(status, "api_unreachable", "the API is not reachable from the web server");
  return new ApiError(status, "", statusText || `request failed with HTTP ${status}`);
}

function readIssues(inner: Record<string, unknown>): { path: string; message: string }[] {
  const source = Array.isArray(inner.issues)
    ? inner.issues
    : typeof inner.details === "object" && inner.details !== null && Array.isArray((inner.details as { issues?: unknown }).issues)
      ? ((inner.details as { issues: unknown[] }).issues)
      : [];
  return source
    .filter((i): i is Record<string, unknown> => typeof i === "object" && i !== null)
    .map((i) => ({ path: Array.isArray(i.path) ? i.path.join(".") : String(i.path ?? ""), message: String(i.message ?? "") }));
}

export function readableError(error: unknown): string {
  if (error instanceof ApiError) return error.readable;
  if (error instanceof Error) return error.message;
  return String(error);
}
