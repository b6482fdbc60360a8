// createApp(config): the API over a freshly prepared platform. Used by main.ts
// and by the tests (which listen on an ephemeral port).
import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { ExpressAdapter, type NestExpressApplication } from "@nestjs/platform-express";
import cors from "cors";
import helmet from "helmet";
import type { NextFunction, Request, Response } from "express";
import { createPlatform, RateLimitedError, type AppConfig, type Platform, type PlatformOptions } from "@assay/platform";
// The suite registry only (the engine's index would load the whole audit engine).
import { suiteIds } from "@assay/audit/suites";
import { AppModule } from "./app.module";
import { jsonBodyParser, submissionBodyLimit } from "./http/body-parsers";
import { httpErrorOf } from "./http/error-mapping";
import { trustedProxyMatcher } from "./http/client-address";
import { RateLimiter } from "./http/rate-limiter";
import { AgentRateLimits } from "./auth/agent-rate-limit.guard";
import { setupOpenApi } from "./openapi";
import { installVerifyFastPath } from "./planes/public/verify-fast-path";

export type ApiApp = { app: NestExpressApplication; platform: Platform; close(): Promise<void> };

/**
 * Security headers of every API response (helmet). The API answers JSON, SVG
 * badges and the Swagger UI at /docs; the CSP allows exactly what those need:
 * own scripts and styles (Swagger UI's inline styles) and data: images, no
 * plugins, no framing by anyone (frame-ancestors 'none' and X-Frame-Options DENY),
 * forms only to itself. HSTS is sent (browsers ignore it on plain http).
 */
export const API_HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'self'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:"],
      fontSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
  },
  frameguard: { action: "deny" as const },
  referrerPolicy: { policy: "no-referrer" as const },
};

export type CreateAppOptions = PlatformOptions & { platform?: Platform };

const LOG_LEVELS = {
  debug: ["debug", "log", "warn", "error", "fatal"],
  info: ["log", "warn", "error", "fatal"],
  warn: ["warn", "error", "fatal"],
  error: ["error", "fatal"],
  silent: false,
} as const;

export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<ApiApp> {
  const platform = options.platform ?? (await createPlatform(config, { knownSuites: suiteIds(), ...options }));
  try {
    return await buildApp(config, platform);
  } catch (err) {
    await platform.close().catch(() => undefined);
    throw err;
  }
}

async function buildApp(config: AppConfig, platform: Platform): Promise<ApiApp> {
  const levels = LOG_LEVELS[config.logLevel];
  const limiters = {
    public: new RateLimiter(config.rateLimit.publicLimit, config.rateLimit.publicWindowMs),
    login: new RateLimiter(10, 60_000),
    // Developer sign-up + sign-in: 20 attempts per minute per client (docs/decisions/0029).
    developerAuth: new RateLimiter(20, 60_000),
    flags: new RateLimiter(config.certificateFlags.rateLimit, config.certificateFlags.rateWindowMs),
    agent: new AgentRateLimits(config.rateLimit.agent),
  };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(platform, limiters), new ExpressAdapter(), {
    bodyParser: false,
    logger: levels === false ? false : [...levels],
    abortOnError: false,
  });
  app.disable("x-powered-by");
  // X-Forwarded-For only from the configured proxies (default none): req.ip is then the client key of every limiter.
  const trusts = trustedProxyMatcher(config.api.trustedProxies);
  app.set("trust proxy", (address: string) => trusts(address));
  const securityHeaders = helmet(API_HELMET_OPTIONS);
  app.use(securityHeaders);
  // The public plane takes no credentials, so any origin may call it: pages that
  // verify certificates in the browser fetch the JWKS and documents directly.
  const publicCors = cors({ origin: "*", methods: ["GET", "POST", "OPTIONS"], allowedHeaders: ["Content-Type"], maxAge: 600 });
  app.use("/v1/public", publicCors);
  app.use("/.well-known", publicCors);
  app.use("/badge", publicCors);
  // The credentialed planes: only the configured web app origin, with credentials;
  // any other origin gets no Access-Control-Allow-Origin (the browser blocks it).
  const webOrigin = config.api.webOrigin;
  const credentialedCors = cors({
    origin: (origin, callback) => callback(null, webOrigin !== null && origin === webOrigin ? origin : false),
    credentials: true,
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowedHeaders: ["Content-Type", "Authorization", "Accept", "Last-Event-ID", "If-None-Match"],
    maxAge: 600,
  });
  for (const plane of ["/v1/developer", "/v1/agent", "/v1/operator"]) app.use(plane, credentialedCors);
  // The documentation pages and documents are public too, so they draw from the public budget.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!req.path.startsWith("/docs")) return next();
    const decision = limiters.public.take(req.ip ?? req.socket.remoteAddress ?? "unknown");
    if (decision.allowed) return next();
    const refused = httpErrorOf(new RateLimitedError("rate_limited", "too many requests; slow down", decision.retryAfterSeconds));
    res.status(refused.status).set(refused.headers).json(refused.body);
  });
  app.use("/v1/developer/submissions", jsonBodyParser(submissionBodyLimit(config.limits.maxSubmissionBytes)));
  app.use(jsonBodyParser(config.limits.maxJsonBytes));
  setupOpenApi(app);
  await app.init();
  if (config.flags.verifyFastPath) installVerifyFastPath(app, platform, limiters.public, [securityHeaders, publicCors] as never);
  return {
    app,
    platform,
    async close() {
      await app.close();
      await platform.close();
    },
  };
}
