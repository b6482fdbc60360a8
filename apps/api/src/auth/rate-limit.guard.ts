// Rate limits per client address and route class, for the Nest routes; the
// verify fast path uses the same limiter instance (PUBLIC_RATE_LIMITER).
import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import { RateLimitedError } from "@assay/platform";
import type { RateLimiter } from "../http/rate-limiter";

export const PUBLIC_RATE_LIMITER = Symbol("assay.public-rate-limiter");
export const LOGIN_RATE_LIMITER = Symbol("assay.login-rate-limiter");
/** Public certificate flags: a much tighter budget per client address (issue 12). */
export const FLAG_RATE_LIMITER = Symbol("assay.flag-rate-limiter");
/** Developer sign-up and sign-in (docs/decisions/0029): their own bucket per client, apart from operator logins. */
export const DEVELOPER_AUTH_RATE_LIMITER = Symbol("assay.developer-auth-rate-limiter");
const LIMITER_KEY = "assay:rate-limiter";

/** Which limiter a route uses (default: the public one). */
export const UseRateLimiter = (token: symbol) => SetMetadata(LIMITER_KEY, token);

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(PUBLIC_RATE_LIMITER) private readonly publicLimiter: RateLimiter,
    @Inject(LOGIN_RATE_LIMITER) private readonly loginLimiter: RateLimiter,
    @Inject(FLAG_RATE_LIMITER) private readonly flagLimiter: RateLimiter,
    @Inject(DEVELOPER_AUTH_RATE_LIMITER) private readonly developerAuthLimiter: RateLimiter,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const token = this.reflector.getAllAndOverride<symbol | undefined>(LIMITER_KEY, [context.getHandler(), context.getClass()]);
    const limiter =
      token === LOGIN_RATE_LIMITER ? this.loginLimiter : token === FLAG_RATE_LIMITER ? this.flagLimiter : token === DEVELOPER_AUTH_RATE_LIMITER ? this.developerAuthLimiter : this.publicLimiter;
    const request = context.switchToHttp().getRequest<{ ip?: string; socket?: { remoteAddress?: string } }>();
    const decision = limiter.take(request.ip ?? request.socket?.remoteAddress ?? "unknown");
    if (!decision.allowed) throw new RateLimitedError("rate_limited", "too many requests; slow down", decision.retryAfterSeconds);
    return true;
  }
}
