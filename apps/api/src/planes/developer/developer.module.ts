import { Module } from "@nestjs/common";
import { AccountController } from "./account.controller";
import { SubmissionsController } from "./submissions.controller";

/** `/v1/developer/*`: API keys (CLI) or developer session tokens (portal). */
@Module({ controllers: [SubmissionsController, AccountController] })
export class DeveloperModule {}
