import { Module } from "@nestjs/common";
import { AccountController } from "./account.controller";
import { CreditsController } from "./credits.controller";
import { SubmissionEventsController } from "./submission-events.controller";
import { SubmissionsController } from "./submissions.controller";

/** `/v1/developer/*`: API keys only (CLI and portal alike; docs/decisions/0013). */
@Module({ controllers: [SubmissionsController, SubmissionEventsController, AccountController, CreditsController] })
export class DeveloperModule {}
