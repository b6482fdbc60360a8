// Rate limits of the agent plane's unauthenticated routes (docs/decisions/0012):
// activate, challenge and token, per client address and per public key. A
// refused request never reaches the handler, so nothing is written for it.
//   activate:  ASSAY_AGENT_ACTIVATE_LIMIT per client address per window, and
//              the per-key limit (a key re-activating is a 409 anyway);
//   challenge: ASSAY_AGENT_AUTH_LIMIT per address, and the per-key limit;
//   token:     ASSAY_AGENT_AUTH_LIMIT per address. Per key it is bounded by the
//              challenges of that key: each token consumes one fresh nonce.
import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import { RateLimitedError, type AppConfig } from "@assay/platform";
import { RateLimiter } from "../http/rate-limiter";

export const AGENT_RATE_LIMITS = Symbol("assay.agent-rate-limits");
const ROUTE_KEY = "assay:agent-route";

export type AgentRoute = "activate" | "challenge" | "token";

/** The limiters of the agent routes: separate buckets per route class, address and key. */
export class AgentRateLimits {
  readonly activateByAddress: RateLimiter;
  readonly authByAddress: RateLimiter;
  readonly byKey: RateLimiter;

  constructor(settings: AppConfig["rateLimit"]["agent"], now?: () => number) {
    this.activateByAddress = new RateLimiter(settings.activateLimit, settings.activateWindowMs, now);
    this.authByAddress = new RateLimiter(settings.authLimit, settings.authWindowMs, now);
    this.byKey = new RateLimiter(settings.perKeyLimit, settings.authWindowMs, now);
  }
}

/** Marks a handler as one of the agent routes (which buckets it draws from). */
export const AgentRateLimit = (route: AgentRoute) => SetMetadata(ROUTE_KEY, route);

type RequestLike = { ip?: string; socket?: { remoteAddress?: string }; body?: unknown };

@Injectable()
export class AgentRateLimitGuard implements CanActivate {
  constructor(
    @Inject(AGENT_RATE_LIMITS) private readonly limits: AgentRateLimits,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const route = this.reflector.get<AgentRoute | undefined>(ROUTE_KEY, context.getHandler());
    if (!route) return true;
    const request = context.switchToHttp().getRequest<RequestLike>();
    // Same client key as RateLimitGuard: req.ip, which honours X-Forwarded-For only from configured proxies ("trust proxy" in app.ts).
    const address = request.ip ?? request.socket?.remoteAddress ?? "unknown";
    const byAddress = route === "activate" ? this.limits.activateByAddress : this.limits.authByAddress;
    this.enforce(byAddress, `${route === "activate" ? "activate" : "auth"}:${address}`, "from this address");
    const publicKey = (request.body as { publicKey?: unknown } | undefined)?.publicKey;
    // Only well-formed keys get a bucket: a malformed body is refused by the schema next, and junk keys cannot grow the table.
    if (route !== "token" && typeof publicKey === "string" && /^[A-Za-z0-9_-]{43}$/.test(publicKey)) this.enforce(this.limits.byKey, `key:${publicKey}`, "for this public key");
    return true;
  }

  private enforce(limiter: RateLimiter, key: string, scope: string): void {
    const decision = limiter.take(key);
    if (!decision.allowed) {
      throw new RateLimitedError("rate_limited", `too many agent requests ${scope}; retry after ${decision.retryAfterSeconds} s`, decision.retryAfterSeconds);
    }
  }
}
