import { Module } from "@nestjs/common";
import { PublicController } from "./public.controller";
import { WellKnownController } from "./well-known.controller";

/** `/v1/public/*` and `/.well-known/*`: no credentials, rate-limited per client address. */
@Module({ controllers: [PublicController, WellKnownController] })
export class PublicModule {}
