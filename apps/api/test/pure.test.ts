// Pure pieces of the API: the error mapping and the rate limiter.
import { HttpException, NotFoundException } from "@nestjs/common";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from "@assay/platform";
import { httpErrorOf } from "../src/http/error-mapping";
import { RateLimiter } from "../src/http/rate-limiter";

describe("httpErrorOf", () => {
  it.each([
    [new ValidationError("manifest_invalid", "bad", [{ path: "name", message: "x" }]), 400, "manifest_invalid"],
    [new UnauthorizedError("token_invalid", "no"), 401, "token_invalid"],
    [new ForbiddenError("role_forbidden", "no"), 403, "role_forbidden"],
    [new NotFoundError("submission_not_found", "no"), 404, "submission_not_found"],
    [new ConflictError("illegal_transition", "no"), 409, "illegal_transition"],
    [new PayloadTooLargeError("submission_too_large", "no"), 413, "submission_too_large"],
    [new RateLimitedError("rate_limited", "slow", 7), 429, "rate_limited"],
    [new UnavailableError("database_unavailable", "later"), 503, "database_unavailable"],
    [Object.assign(new SyntaxError("Unexpected token"), { type: "entity.parse.failed", status: 400 }), 400, "malformed_json"],
    [Object.assign(new Error("too large"), { type: "entity.too.large", status: 413, limit: 100 }), 413, "payload_too_large"],
    [new NotFoundException(), 404, "route_not_found"],
    [new HttpException("teapot", 418), 418, "bad_request"],
    [new TypeError("cannot read properties of undefined"), 500, "internal_error"],
  ])("%s → %i %s", (error, status, code) => {
    const mapped = httpErrorOf(error);
    expect(mapped.status).toBe(status);
    expect(mapped.body.error.code).toBe(code);
    expect(typeof mapped.body.error.message).toBe("string");
  });

  it("never leaks internals of unexpected errors", () => {
    const mapped = httpErrorOf(new Error("password=hunter2 at db.internal:5432"));
    expect(JSON.stringify(mapped.body)).not.toContain("hunter2");
  });

  it("adds WWW-Authenticate to 401 and Retry-After to 429; keeps validation issues", () => {
    expect(httpErrorOf(new UnauthorizedError("credential_missing", "x")).headers["WWW-Authenticate"]).toContain("Bearer");
    expect(httpErrorOf(new RateLimitedError("rate_limited", "x", 7)).headers["Retry-After"]).toBe("7");
    expect(httpErrorOf(new ValidationError("v", "x", [{ path: "files.0", message: "m" }])).body.error.details).toEqual({
      issues: [{ path: "files.0", message: "m" }],
    });
  });
});

describe("RateLimiter", () => {
  it("allows `limit` requests at once, then refills continuously", () => {
    let now = 0;
    const limiter = new RateLimiter(3, 3_000, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take("a").allowed)).toEqual([true, true, true, false]);
    expect(limiter.take("a").retryAfterSeconds).toBe(1);
    expect(limiter.take("b").allowed).toBe(true); // per client
    now += 1_000; // one token back
    expect(limiter.take("a").allowed).toBe(true);
    expect(limiter.take("a").allowed).toBe(false);
    now += 60_000; // never more than `limit` banked
    expect([1, 2, 3, 4].map(() => limiter.take("a").allowed)).toEqual([true, true, true, false]);
  });
});
