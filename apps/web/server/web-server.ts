// The production web server: the built app plus the API paths forwarded to the
// API, on one origin (so the app's relative fetches and cookies just work).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import helmet from "helmet";
import { isApiPath } from "./api-paths";
import { staticFiles, type RequestHandler } from "./static-files";

export type WebServerOptions = {
  distDir: string;
  /** Handles API paths: a proxy to the real API, or a fake one in tests. */
  api: RequestHandler;
  /**
   * Origins besides this one the page may call: the chain's JSON-RPC endpoint, which the verify page reads
   * the anchor from (docs/decisions/0031). Only http(s) origins are taken.
   */
  connectOrigins?: readonly string[];
};

/** The origin of an http(s) URL, or null (anything else never reaches the CSP). */
export function httpOrigin(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * Security headers of the app's own responses (helmet; the proxied API paths
 * keep the API's own headers). The built app is one HTML page, hashed module
 * scripts and style sheets from this origin, and calls to the API through this
 * origin: no inline script, no other origin, no framing (frame-ancestors 'none',
 * X-Frame-Options DENY). Inline styles stay allowed (React style attributes).
 */
export const WEB_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:", "blob:"],
  fontSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", "blob:"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

function securityHeadersFor(connectOrigins: readonly string[]) {
  const extra = connectOrigins.map(httpOrigin).filter((o): o is string => o !== null);
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { ...WEB_CONTENT_SECURITY_POLICY, connectSrc: ["'self'", ...extra] } },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
  });
}

export function createWebServer(options: WebServerOptions): Server {
  const files = staticFiles(options.distDir);
  const securityHeaders = securityHeadersFor(options.connectOrigins ?? []);
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (isApiPath(pathname)) {
      options.api(req, res);
      return;
    }
    securityHeaders(req, res, (error?: unknown) => {
      if (error) {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("internal error");
        return;
      }
      files(req, res);
    });
  });
}
