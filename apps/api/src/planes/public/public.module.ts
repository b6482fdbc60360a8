import { Module, type DynamicModule } from "@nestjs/common";
import { ThrottlerModule } from "@nestjs/throttler";
import type { Platform } from "@assay/platform";
import { PublicController } from "./public.controller";
import { WellKnownController } from "./well-known.controller";

/** `/v1/public/*` and `/.well-known/*`: no credentials, rate-limited per client address. */
@Module({})
export class PublicModule {
  static register(platform: Platform): DynamicModule {
    return {
      module: PublicModule,
      imports: [ThrottlerModule.forRoot([{ name: "public", ttl: platform.config.rateLimit.publicWindowMs, limit: platform.config.rateLimit.publicLimit }])],
      controllers: [PublicController, WellKnownController],
    };
  }
}
