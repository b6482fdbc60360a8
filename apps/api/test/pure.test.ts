// Pure pieces of the API: the error mapping, the rate limiter and the request pipe.
import fc from "fast-check";
import { HttpException, NotFoundException } from "@nestjs/common";
import {
  ConflictError,
  DependencyUnavailableError,
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
import { pathOfNulText, ZodPipe } from "../src/http/zod-pipe";
import { z } from "zod";

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

  it("maps a dependency that is down to 503 with Retry-After and the common error body, never 500", () => {
    // What the pg driver throws when PostgreSQL refuses, what Prisma's adapter wraps, what ioredis throws when Redis is gone.
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED", errno: -111 });
    const wrapped = Object.assign(new Error("Invalid `prisma.submission.findFirst()` invocation"), {
      name: "PrismaClientKnownRequestError",
      code: "P2010",
      meta: { driverAdapterError: { name: "DriverAdapterError", cause: refused } },
    });
    const queue = new Error("Connection is closed.");
    for (const [error, dependency] of [
      [new DependencyUnavailableError("database", "later"), "database"],
      [refused, "database"],
      [wrapped, "database"],
      [Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }), "database"],
      [queue, "queue"],
      [Object.assign(new Error("Reached the max retries per request limit (which is 0)."), { name: "MaxRetriesPerRequestError" }), "queue"],
    ] as const) {
      const mapped = httpErrorOf(error);
      expect(mapped.status).toBe(503);
      expect(mapped.headers["Retry-After"]).toBe("5");
      expect(mapped.body.error).toEqual({ code: "dependency_unavailable", message: expect.any(String), details: { dependency, retryAfterSeconds: 5 } });
      expect(JSON.stringify(mapped.body)).not.toContain("127.0.0.1");
    }
    const full = httpErrorOf(new DependencyUnavailableError("artifact_store", "full"));
    expect([full.status, full.body.error.code, full.headers["Retry-After"]]).toEqual([503, "artifact_store_full", "5"]);
    // Not a dependency: a constraint violation stays what it was (500 here), and so does a chain RPC that cannot be fetched.
    expect(httpErrorOf(Object.assign(new Error("Unique constraint failed"), { code: "P2002" })).status).toBe(500);
    expect(httpErrorOf(new TypeError("fetch failed", { cause: refused })).status).toBe(500);
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

describe("ZodPipe refuses NUL in any parsed string or key (PostgreSQL text cannot hold it)", () => {
  const pipe = new ZodPipe(z.object({ name: z.string(), tags: z.array(z.string()), meta: z.record(z.string(), z.unknown()) }));
  it("passes clean input through", () => {
    expect(pipe.transform({ name: "a", tags: ["b"], meta: { k: { deep: "v" } } })).toEqual({ name: "a", tags: ["b"], meta: { k: { deep: "v" } } });
  });
  it.each([
    [{ name: "a\u0000", tags: [], meta: {} }, "name"],
    [{ name: "a", tags: ["ok", "x\u0000"], meta: {} }, "tags.1"],
    [{ name: "a", tags: [], meta: { k: { deep: "\u0000" } } }, "meta.k.deep"],
    [{ name: "a", tags: [], meta: { "k\u0000": 1 } }, "meta.k\u0000"],
  ])("names the path of the NUL: %#", (input, path) => {
    expect(() => pipe.transform(input)).toThrow(ValidationError);
    try {
      pipe.transform(input);
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([{ path, message: expect.stringMatching(/NUL/) }]);
    }
  });

  it("walks a 100,000-deep body without overflowing the stack (a 400, never a 500)", () => {
    let deep: unknown = "end";
    for (let i = 0; i < 100_000; i++) deep = { a: [deep] };
    expect(pathOfNulText(deep)).toBeNull();
    let poisoned: unknown = "x\u0000";
    for (let i = 0; i < 100_000; i++) poisoned = [poisoned];
    expect(pathOfNulText(poisoned)).toBe(Array.from({ length: 100_000 }, () => "0").join("."));
  });

  it("finds a NUL at any depth, in a value or a key, and nothing in NUL-free values (property)", () => {
    const noNul = (v: unknown) => !JSON.stringify(v).includes("\\u0000");
    const step = fc.oneof(fc.record({ key: fc.string({ minLength: 1, maxLength: 6 }).filter(noNul) }), fc.record({ index: fc.nat(3) }));
    fc.assert(
      fc.property(fc.jsonValue().filter(noNul), fc.array(step, { maxLength: 6 }), fc.boolean(), (clean, steps, inKey) => {
        expect(pathOfNulText(clean)).toBeNull();
        let value: unknown = inKey ? { "k\u0000": 1 } : "x\u0000";
        const segments: string[] = inKey ? ["k\u0000"] : [];
        for (const s of [...steps].reverse()) {
          if ("key" in s) {
            value = { [`${s.key}~`]: clean, [s.key]: value };
            segments.unshift(s.key);
          } else {
            value = [...Array.from({ length: s.index }, () => clean), value];
            segments.unshift(String(s.index));
          }
        }
        expect(pathOfNulText(value)).toBe(segments.join(".") || "(value)");
      }),
      { numRuns: 300 },
    );
  });
});
