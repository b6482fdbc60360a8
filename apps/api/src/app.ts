// createApp(config): the API over a freshly prepared platform. Used by main.ts
// and by the tests (which listen on an ephemeral port).
import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { ExpressAdapter, type NestExpressApplication } from "@nestjs/platform-express";
import cors from "cors";
import helmet from "helmet";
import { createPlatform, type AppConfig, type Platform, type PlatformOptions } from "@assay/platform";
// The suite registry only (the engine's index would load the whole audit engine).
import { suiteIds } from "@assay/audit/suites";
import { AppModule } from "./app.module";
import { jsonBodyParser, submissionBodyLimit } from "./http/body-parsers";
import { trustedProxyMatcher } from "./http/client-address";
import { RateLimiter } from "./http/rate-limiter";
import { AgentRateLimits } from "./auth/agent-rate-limit.guard";
import { setupOpenApi } from "./openapi";
import { installVerifyFastPath } from "./planes/public/verify-fast-path";

export type ApiApp = { app: NestExpressApplication; platform: Platform; close(): Promise<void> };

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
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI at /docs uses inline styles and data: images.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        scriptSrc: ["'self'"],
      },
    },
  });
  app.use(securityHeaders);
  // The public plane takes no credentials, so any origin may call it: pages that
  // verify certificates in the browser fetch the JWKS and documents directly.
  const publicCors = cors({ origin: "*", methods: ["GET", "POST", "OPTIONS"], allowedHeaders: ["Content-Type"], maxAge: 600 });
  app.use("/v1/public", publicCors);
  app.use("/.well-known", publicCors);
  app.use("/badge", publicCors);
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
