// POST /v1/public/verify served before Express. Why: it is the hottest public
// endpoint (every page view, every CLI verify), and Express's router and
// middleware stack cost ~10× the verification itself on cached inputs
// (measured: docs/decisions/0006). This handler keeps the endpoint's contract
// identical to the Nest route it shadows (PublicController.verify, still the
// route of record for the OpenAPI document and used when the flag is off): the
// same security and CORS headers (the same helmet and cors instances), the same refusal of
// credentials, the same per-client rate limiter, the same
// body cap and JSON rules, the same service call and the same error mapping.
import { createHash } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { INestApplication } from "@nestjs/common";
import { PayloadTooLargeError, RateLimitedError, type Platform } from "@assay/platform";
import { authenticate, bearerOf } from "../../auth/credentials";
import { clientAddressOf, trustedProxyMatcher } from "../../http/client-address";
import { httpErrorOf } from "../../http/error-mapping";
import type { RateLimiter } from "../../http/rate-limiter";
import { VerifyBody } from "../../http/schemas";
import { ZodPipe } from "../../http/zod-pipe";

export const VERIFY_PATH = "/v1/public/verify";

/** The same pipe as PublicController.verify. */
const verifyBody = new ZodPipe(VerifyBody, "document_invalid");

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export function installVerifyFastPath(app: INestApplication, platform: Platform, limiter: RateLimiter, headerMiddlewares: Middleware[]): void {
  const server = app.getHttpServer() as Server;
  const headers = headerMiddlewares.flatMap(staticHeadersOf);
  const parsed = new Map<string, Record<string, unknown>>();
  // A cached result object → its response body and complete header list.
  const responses = new WeakMap<object, { json: string; headers: string[] }>();
  const maxBytes = platform.config.limits.maxJsonBytes;
  // ASSAY_VERIFY_CACHE=false: no parsed-body cache either (every request parses and validates).
  const caching = platform.config.certificates.verifyCache !== false;
  // The same matcher as Express's "trust proxy" (app.ts), so both paths key a client alike.
  const trusts = trustedProxyMatcher(platform.config.api.trustedProxies);
  const downstream = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "POST" && (req.url === VERIFY_PATH || req.url?.startsWith(`${VERIFY_PATH}?`))) {
      void handle(req, res);
      return;
    }
    for (const listener of downstream) listener.call(server, req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await authenticate(platform, "public", bearerOf(req.headers));
      // Same limiter and key as the Nest routes: one budget per client across the public plane.
      const decision = limiter.take(clientAddressOf(req, trusts));
      if (!decision.allowed) throw new RateLimitedError("rate_limited", "too many requests; slow down", decision.retryAfterSeconds);
      const body = await readBody(req, maxBytes);
      const contentType = req.headers["content-type"];
      const documentKey = caching ? createHash("sha256").update(body).digest("hex") : undefined;
      let document = documentKey && isJson(contentType) ? parsed.get(documentKey) : undefined;
      if (!document) {
        document = verifyBody.transform(parseBody(contentType, body));
        if (documentKey) {
          if (parsed.size >= 1_000) parsed.clear();
          parsed.set(documentKey, document);
        }
      }
      const result = await platform.certificates.verify(document, documentKey ? { documentKey } : {});
      let response = responses.get(result);
      if (response === undefined) {
        const json = JSON.stringify(result);
        response = { json, headers: withBodyHeaders(headers, json) };
        responses.set(result, response);
      }
      res.writeHead(200, response.headers);
      res.end(response.json);
    } catch (err) {
      const mapped = httpErrorOf(err);
      const extra = Object.entries(mapped.headers).flat();
      if (mapped.status === 413) extra.push("Connection", "close");
      send(res, mapped.status, JSON.stringify(mapped.body), [...headers, ...extra]);
    }
  }
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners("data");
        req.resume();
        reject(tooLarge(maxBytes));
      } else {
        chunks.push(chunk);
      }
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * The headers a middleware (helmet, public CORS) sets on a POST, captured once:
 * with this configuration they are the same for every response (no per-request
 * nonces; CORS origin "*" does not depend on the request's Origin).
 */
function staticHeadersOf(middleware: Middleware): string[] {
  const captured = new Map<string, string | number | readonly string[]>();
  const fakeRes = {
    setHeader: (name: string, value: string | number | readonly string[]) => void captured.set(name, value),
    end: () => undefined,
    removeHeader: (name: string) => void captured.delete(name),
    getHeader: (name: string) => captured.get(name),
  };
  let done = false;
  middleware({ headers: {}, method: "POST", url: VERIFY_PATH } as IncomingMessage, fakeRes as unknown as ServerResponse, () => (done = true));
  if (!done) throw new Error("security headers middleware did not complete synchronously");
  // Flat [name, value, name, value, …]: the cheapest form for writeHead.
  return [...captured].flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => [name, String(v)]).flat() : [name, String(value)]));
}

const isJson = (contentType: string | undefined) => !!contentType && /^application\/([\w.+-]+\+)?json\b/i.test(contentType);

/** Like express.json() then the route's pipe: non-JSON content types leave no body. */
function parseBody(contentType: string | undefined, body: Buffer): unknown {
  if (!isJson(contentType) || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw Object.assign(new Error("the request body is not valid JSON"), { type: "entity.parse.failed" });
  }
}

function tooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError("payload_too_large", `the request body exceeds ${limit} bytes`, { limitBytes: limit });
}

function withBodyHeaders(headers: string[], json: string): string[] {
  return [...headers, "Content-Type", "application/json; charset=utf-8", "Content-Length", String(Buffer.byteLength(json))];
}

function send(res: ServerResponse, status: number, json: string, headers: string[]): void {
  res.writeHead(status, withBodyHeaders(headers, json));
  res.end(json);
}
