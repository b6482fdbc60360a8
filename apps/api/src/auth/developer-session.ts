// The developer portal's cookie session (docs/decisions/0029): the cookie's name
// and attributes, reading it from a request, and the CSRF rule for requests it
// authenticates. The token is opaque (`ds_…`, 256 random bits, SHA-256 at rest);
// nothing here is a JWT, so the one-credential-kind-per-plane rule of 0013 holds:
// the developer plane accepts what it issues, API keys and its own sessions.
import { parse } from "cookie";
import type { Request, Response } from "express";
import type { Services } from "../http/platform-services";
import type { Principal, RequestWithPrincipal } from "./principal";

/** Scoped to the developer plane's path: the browser never sends it to the public, agent or operator planes. */
export const DEVELOPER_SESSION_COOKIE = "assay_developer_session";
export const DEVELOPER_COOKIE_PATH = "/v1/developer";
/** The OpenAPI security scheme of the cookie (developer document). */
export const DEVELOPER_SESSION_SCHEME = "developerSession";
export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function sessionCookieOf(headers: RequestWithPrincipal["headers"]): string | null {
  const header = headers.cookie;
  if (header === undefined) return null;
  const value = parse(Array.isArray(header) ? header.join("; ") : header)[DEVELOPER_SESSION_COOKIE];
  return value === undefined || value === "" ? null : value;
}

export async function authenticateDeveloperSession(platform: Services<"developerAuth">, request: RequestWithPrincipal, token: string): Promise<Principal> {
  const session = await platform.developerAuth.authenticate(token);
  if (!SAFE_METHODS.has((request.method ?? "GET").toUpperCase())) {
    const sent = request.headers[CSRF_HEADER];
    platform.developerAuth.checkCsrf(session, (Array.isArray(sent) ? sent[0] : sent) ?? null);
  }
  return { plane: "developer", developerId: session.developerId, via: "session", sessionId: session.sessionId, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
}

/**
 * HttpOnly (scripts never see the token), SameSite=Strict (no cross-site request
 * carries it), Path=/v1/developer, and Secure when the API is reached over https:
 * its public URL is https, or the request came over TLS (directly or, with
 * ASSAY_TRUSTED_PROXIES, from a trusted proxy's X-Forwarded-Proto).
 */
export function setSessionCookie(platform: Services<"config">, req: Request, res: Response, token: string, expiresAt: Date): void {
  res.cookie(DEVELOPER_SESSION_COOKIE, token, { ...cookieAttributes(platform, req), expires: expiresAt });
}

export function clearSessionCookie(platform: Services<"config">, req: Request, res: Response): void {
  res.clearCookie(DEVELOPER_SESSION_COOKIE, cookieAttributes(platform, req));
}

function cookieAttributes(platform: Services<"config">, req: Request) {
  const secure = platform.config.api.publicUrl.startsWith("https:") || req.secure;
  return { httpOnly: true, sameSite: "strict" as const, secure, path: DEVELOPER_COOKIE_PATH };
}
