import { Module } from "@nestjs/common";
import { AccountController } from "./account.controller";
import { CreditsController } from "./credits.controller";
import { SubmissionEventsController } from "./submission-events.controller";
import { SubmissionsController } from "./submissions.controller";
import { RenewalsController } from "./renewals.controller";

/** `/v1/developer/*`: API keys only (CLI and portal alike; docs/decisions/0013). */
@Module({ controllers: [SubmissionsController, SubmissionEventsController, AccountController, CreditsController, RenewalsController] })
export class DeveloperModule {}
