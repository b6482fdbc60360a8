import { Module } from "@nestjs/common";
import { PublicController } from "./public.controller";
import { PublicLogController } from "./public-log.controller";
import { PublicFlagsController } from "./public-flags.controller";
import { WellKnownController } from "./well-known.controller";
import { PublicChainController } from "./public-chain.controller";

/** `/v1/public/*` and `/.well-known/*`: no credentials, rate-limited per client address. */
@Module({ controllers: [PublicController, PublicLogController, PublicFlagsController, PublicChainController, WellKnownController] })
export class PublicModule {}
