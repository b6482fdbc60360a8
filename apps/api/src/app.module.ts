// The application: the platform's services as global providers (one narrowed
// set per controller, never the database), one module per plane.
import { Global, Module, type DynamicModule } from "@nestjs/common";
import { APP_FILTER } from "@nestjs/core";
import type { Platform } from "@assay/platform";
import { DEVELOPER_AUTH_RATE_LIMITER, FLAG_RATE_LIMITER, LOGIN_RATE_LIMITER, PUBLIC_RATE_LIMITER, RateLimitGuard } from "./auth/rate-limit.guard";
import { AGENT_RATE_LIMITS, AgentRateLimitGuard, type AgentRateLimits } from "./auth/agent-rate-limit.guard";
import { DomainExceptionFilter } from "./http/exception-filter";
import type { RateLimiter } from "./http/rate-limiter";
import { serviceProviders } from "./http/platform-services";
import { AgentModule } from "./planes/agent/agent.module";
import { DeveloperModule } from "./planes/developer/developer.module";
import { OperatorModule } from "./planes/operator/operator.module";
import { PublicModule } from "./planes/public/public.module";

type Limiters = { public: RateLimiter; login: RateLimiter; flags: RateLimiter; developerAuth: RateLimiter; agent: AgentRateLimits };

@Global()
@Module({})
class PlatformModule {
  static register(platform: Platform, limiters: Limiters): DynamicModule {
    const providers = [
      // Each controller and guard receives only the services it declares (http/platform-services.ts).
      ...serviceProviders(platform),
      { provide: PUBLIC_RATE_LIMITER, useValue: limiters.public },
      { provide: LOGIN_RATE_LIMITER, useValue: limiters.login },
      { provide: FLAG_RATE_LIMITER, useValue: limiters.flags },
      { provide: DEVELOPER_AUTH_RATE_LIMITER, useValue: limiters.developerAuth },
      RateLimitGuard,
      { provide: AGENT_RATE_LIMITS, useValue: limiters.agent },
      AgentRateLimitGuard,
    ];
    return { module: PlatformModule, providers, exports: providers };
  }
}

@Module({})
export class AppModule {
  static register(platform: Platform, limiters: Limiters): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.register(platform, limiters), PublicModule, DeveloperModule, AgentModule, OperatorModule],
      providers: [{ provide: APP_FILTER, useClass: DomainExceptionFilter }],
    };
  }
}

export const PLANE_MODULES = { public: PublicModule, developer: DeveloperModule, agent: AgentModule, operator: OperatorModule } as const;
