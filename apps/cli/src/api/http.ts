// One HTTP exchange with the Assay API over global fetch: timeouts, JSON bodies,
// the API's error body, and the mapping of failures to typed errors. The client
// (client.ts) names routes and shapes; nothing else in the CLI calls fetch.
import type { z } from "zod";
import { ApiKeyRejectedError, ApiNotFoundError, ApiResponseError, ApiUnreachableError } from "./errors";
import { ErrorBodySchema } from "./schemas";

export type HttpRequest = {
  method?: "GET" | "POST" | "PUT";
  /** Absolute URL. */
  url: string;
  /** The API base URL the user configured, named in errors (defaults to the URL's origin). */
  base?: string;
  /** Bearer credential (developer plane); none for the public plane. */
  apiKey?: string;
  body?: unknown;
  accept?: string;
  timeoutMs: number;
  signal?: AbortSignal;
};

/** Sends the request; returns the response when its status is 2xx, throws a typed error otherwise. */
export async function send(request: HttpRequest): Promise<Response> {
  const headers: Record<string, string> = { accept: request.accept ?? "application/json" };
  if (request.apiKey !== undefined) headers.authorization = `Bearer ${request.apiKey}`;
  if (request.body !== undefined) headers["content-type"] = "application/json";
  const timeout = AbortSignal.timeout(request.timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? "GET",
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout,
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw new ApiUnreachableError(request.base ?? originOf(request.url), networkReason(error, request.timeoutMs));
  }
  if (response.ok) return response;
  throw await refusal(request, response);
}

/** GET/POST returning JSON checked against `schema`. */
export async function sendJson<S extends z.ZodType>(request: HttpRequest, schema: S): Promise<z.infer<S>> {
  const response = await send(request);
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new ApiUnreachableError(request.base ?? originOf(request.url), `the response broke off: ${(error as Error).message}`);
  }
  return parseBody(request.url, response.status, text, schema);
}

export function parseBody<S extends z.ZodType>(url: string, status: number, text: string, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiResponseError(url, status, `${url} did not answer with JSON (got: ${preview(text)}); is ${originOf(url)} an Assay API?`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiResponseError(
      url,
      status,
      `${url} answered with an unexpected shape; is the CLI as new as the API?`,
      parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    );
  }
  return parsed.data;
}

async function refusal(request: HttpRequest, response: Response): Promise<Error> {
  const text = await response.text().catch(() => "");
  let serverError: { code: string; message: string; details?: unknown } | undefined;
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) serverError = parsed.data.error;
  } catch {
    // Not the API's error body (a proxy's page, say): described by status below.
  }
  const origin = request.base ?? originOf(request.url);
  if (response.status === 401) return new ApiKeyRejectedError(origin, serverError?.message);
  if (response.status === 404 && serverError?.code !== "route_not_found") {
    return new ApiNotFoundError(request.url, serverError?.message ?? `${request.url} was not found`, serverError?.code);
  }
  const what = serverError ? `${serverError.message} (${serverError.code})` : `HTTP ${response.status} ${response.statusText}`.trim();
  const hint = response.status === 404 ? `; is ${origin} an Assay API of this version?` : "";
  return new ApiResponseError(request.url, response.status, `${request.method ?? "GET"} ${request.url} failed: ${what}${hint}`, detailLines(serverError?.details));
}

function detailLines(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details.map((d) => {
    if (d && typeof d === "object" && "message" in d) {
      const path = "path" in d && d.path !== undefined && d.path !== "" ? `${String(d.path)}: ` : "";
      return `${path}${String(d.message)}`;
    }
    return JSON.stringify(d);
  });
}

function networkReason(error: unknown, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === "TimeoutError" || name === "AbortError") return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

export function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return url;
  }
}

function preview(text: string): string {
  const line = text.trim().replace(/\s+/g, " ");
  return line.length > 80 ? `${line.slice(0, 80)}…` : line || "an empty body";
}
