import { Module } from "@nestjs/common";
import { PublicController } from "./public.controller";
import { PublicLogController } from "./public-log.controller";
import { PublicFlagsController } from "./public-flags.controller";
import { PublicStatusListController } from "./public-status-list.controller";
import { WellKnownController } from "./well-known.controller";
import { BadgeController, RegistryController } from "./registry.controller";
import { PublicChainController } from "./public-chain.controller";
import { PublicAssemblyController } from "./public-assembly.controller";

/** `/v1/public/*`, `/.well-known/*` and `/badge/*`: no credentials, rate-limited per client address. */
@Module({ controllers: [PublicController, PublicLogController, PublicFlagsController, PublicChainController, PublicAssemblyController, PublicStatusListController, RegistryController, WellKnownController, BadgeController] })
export class PublicModule {}
