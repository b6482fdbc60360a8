// HTTP caching for the public registry routes (docs/decisions/0017): a
// Cache-Control a CDN honours (max-age for browsers, s-maxage for shared caches,
// stale-while-revalidate / stale-if-error), a strong ETag over the exact bytes
// sent, and 304 Not Modified on a matching If-None-Match (RFC 9110 §13.1.2:
// weak comparison, "*" matches, a list is allowed).
import { createHash } from "node:crypto";
import type { Request, Response } from "express";

export type CachePolicy = {
  /** Seconds a browser may reuse the answer. */
  maxAge: number;
  /** Seconds a shared cache (CDN) may reuse it. */
  sMaxAge: number;
  /** Seconds a cache may serve it stale while it refetches in the background. */
  staleWhileRevalidate: number;
  /** Seconds a cache may serve it stale when the API answers 5xx or cannot be reached. */
  staleIfError: number;
};

export function cacheControlOf(policy: CachePolicy): string {
  return `public, max-age=${policy.maxAge}, s-maxage=${policy.sMaxAge}, stale-while-revalidate=${policy.staleWhileRevalidate}, stale-if-error=${policy.staleIfError}`;
}

/** Strong ETag: the first 128 bits of SHA-256 over the body, base64url. The same bytes give the same tag on every instance. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
}

/** Whether an If-None-Match header matches `etag` (weak comparison: W/ prefixes are ignored). */
export function ifNoneMatchMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(",") : header;
  if (value.trim() === "*") return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = opaque(etag);
  return value.split(",").some((tag) => opaque(tag) === wanted);
}

/**
 * Sends `body` with its ETag and Cache-Control; a GET whose If-None-Match
 * matches gets 304 with the same validators and no body. Only a 200 can be
 * "not modified": other statuses are sent as they are (still with the headers,
 * so a CDN may cache an unknown badge for as long as the policy says).
 */
export function sendCacheable(request: Request, response: Response, input: { status: number; contentType: string; body: string; cacheControl: string }): void {
  const etag = etagOf(input.body);
  response.set({ "Cache-Control": input.cacheControl, ETag: etag });
  if (input.status === 200 && (request.method === "GET" || request.method === "HEAD") && ifNoneMatchMatches(request.headers["if-none-match"], etag)) {
    response.status(304).end();
    return;
  }
  response.status(input.status).type(input.contentType).send(input.body);
}

/** A JSON body (serialised as Express would) through sendCacheable. */
export function sendCacheableJson(request: Request, response: Response, body: unknown, cacheControl: string): void {
  sendCacheable(request, response, { status: 200, contentType: "application/json", body: JSON.stringify(body), cacheControl });
}

/** Search results: a minute at the CDN, served stale for five more while it refreshes. */
export const REGISTRY_SEARCH_CACHE: CachePolicy = { maxAge: 30, sMaxAge: 60, staleWhileRevalidate: 300, staleIfError: 86_400 };
/** A badge: browsers a minute, CDNs five; a status change (revocation) shows within s-maxage + stale-while-revalidate. */
export const BADGE_CACHE: CachePolicy = { maxAge: 60, sMaxAge: 300, staleWhileRevalidate: 600, staleIfError: 86_400 };
/** The "unknown" badge (404): short, an id may be looked up before its certificate is issued. */
export const UNKNOWN_BADGE_CACHE: CachePolicy = { maxAge: 60, sMaxAge: 60, staleWhileRevalidate: 60, staleIfError: 3_600 };
/** A certificate document with its status: caches keep it but must revalidate every time (a verifier wants the status now); the ETag makes that a 304. */
export const CERTIFICATE_CACHE_CONTROL = "public, no-cache";
