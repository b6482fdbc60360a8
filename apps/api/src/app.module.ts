// The application: the platform as a global provider, one module per plane.
import { Global, Module, type DynamicModule } from "@nestjs/common";
import { APP_FILTER } from "@nestjs/core";
import type { Platform } from "@assay/platform";
import { DomainExceptionFilter } from "./http/exception-filter";
import { PLATFORM } from "./http/tokens";
import { AgentModule } from "./planes/agent/agent.module";
import { DeveloperModule } from "./planes/developer/developer.module";
import { OperatorModule } from "./planes/operator/operator.module";
import { PublicModule } from "./planes/public/public.module";

@Global()
@Module({})
class PlatformModule {
  static register(platform: Platform): DynamicModule {
    return { module: PlatformModule, providers: [{ provide: PLATFORM, useValue: platform }], exports: [PLATFORM] };
  }
}

@Module({})
export class AppModule {
  static register(platform: Platform): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.register(platform), PublicModule.register(platform), DeveloperModule, AgentModule, OperatorModule],
      providers: [{ provide: APP_FILTER, useClass: DomainExceptionFilter }],
    };
  }
}

export const PLANE_MODULES = { public: PublicModule, developer: DeveloperModule, agent: AgentModule, operator: OperatorModule } as const;
