import { Module } from "@nestjs/common";
import { AccountController } from "./account.controller";
import { DeveloperAuthController } from "./developer-auth.controller";
import { CreditsController } from "./credits.controller";
import { SubmissionEventsController } from "./submission-events.controller";
import { SubmissionsController } from "./submissions.controller";
import { RenewalsController } from "./renewals.controller";

/** `/v1/developer/*`: API keys (CLI) and the portal's cookie session with CSRF token (docs/decisions/0013, 0029). */
@Module({ controllers: [DeveloperAuthController, SubmissionsController, SubmissionEventsController, AccountController, CreditsController, RenewalsController] })
export class DeveloperModule {}
