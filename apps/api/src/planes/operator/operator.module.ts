import { Module } from "@nestjs/common";
import { OperatorAuthController } from "./operator-auth.controller";
import { OperatorAssembliesController } from "./operator-assemblies.controller";
import { OperatorController } from "./operator.controller";
import { OperatorValidatorsController } from "./operator-validators.controller";
import { OperatorMoneyController } from "./operator-money.controller";
import { OperatorFlagsController } from "./operator-flags.controller";
import { OperatorSettingsController } from "./operator-settings.controller";

/** `/v1/operator/*`: operator session tokens from password + TOTP login, with roles. */
@Module({ controllers: [OperatorAuthController, OperatorController, OperatorAssembliesController, OperatorValidatorsController, OperatorMoneyController, OperatorFlagsController, OperatorSettingsController] })
export class OperatorModule {}
