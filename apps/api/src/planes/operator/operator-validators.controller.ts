// Operator actions on validators (docs/decisions/0012), admin only: approve a
// pending validator with a stake, suspend (open seats voided and re-drawn),
// reinstate, slash (mirrored on chain when the validator stakes there), bind to
// and unbind from a developer account. Each writes one audit-log row.
import { Body, Controller, Delete, HttpCode, Param, Post, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { ApproveValidatorBody, BindValidatorBody, ReinstateValidatorBody, SlashValidatorBody, SuspendValidatorBody, ValidatorIdParams } from "@assay/protocol";
import type { z } from "zod";
import { OperatorGuard, Roles } from "../../auth/plane-guards";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { ValidatorActionResultSchema } from "@assay/protocol";
import { Returns } from "../../http/contract";

type Id = z.infer<typeof ValidatorIdParams>;
const actorOf = (who: PrincipalOf<"operator">) => `operator:${who.operatorId}`;

@ApiTags("operator")
@ApiBearerAuth()
@Controller("v1/operator/validators")
@UseGuards(OperatorGuard)
@Roles("admin")
export class OperatorValidatorsController {
  constructor(@UsesServices("admission") private readonly platform: Services<"admission">) {}

  @Post(":id/approve")
  @HttpCode(200)
  @ApiOperation({ summary: "Admit a pending validator with the stake the draw weighs (admin; audit-logged)" })
  @ApiBody({ schema: jsonSchemaOf(ApproveValidatorBody) })
  @Returns(ValidatorActionResultSchema, { errors: [409] })
  approve(@CurrentPrincipal() who: PrincipalOf<"operator">, @Param(new ZodPipe(ValidatorIdParams)) params: Id, @Body(new ZodPipe(ApproveValidatorBody)) body: z.infer<typeof ApproveValidatorBody>) {
    return this.platform.admission.approve(params.id, body, actorOf(who));
  }

  @Post(":id/suspend")
  @HttpCode(200)
  @ApiOperation({ summary: "Suspend a validator: never drawn; its open seats are voided and re-drawn (admin; audit-logged)" })
  @ApiBody({ schema: jsonSchemaOf(SuspendValidatorBody) })
  @Returns(ValidatorActionResultSchema, { errors: [409] })
  suspend(@CurrentPrincipal() who: PrincipalOf<"operator">, @Param(new ZodPipe(ValidatorIdParams)) params: Id, @Body(new ZodPipe(SuspendValidatorBody)) body: z.infer<typeof SuspendValidatorBody>) {
    return this.platform.admission.suspend(params.id, body, actorOf(who));
  }

  @Post(":id/reinstate")
  @HttpCode(200)
  @ApiOperation({ summary: "Reinstate a suspended validator (pending if never admitted; admin; audit-logged)" })
  @ApiBody({ schema: jsonSchemaOf(ReinstateValidatorBody) })
  @Returns(ValidatorActionResultSchema, { errors: [409] })
  reinstate(@CurrentPrincipal() who: PrincipalOf<"operator">, @Param(new ZodPipe(ValidatorIdParams)) params: Id, @Body(new ZodPipe(ReinstateValidatorBody)) body: z.infer<typeof ReinstateValidatorBody>) {
    return this.platform.admission.reinstate(params.id, body, actorOf(who));
  }

  @Post(":id/slash")
  @HttpCode(200)
  @ApiOperation({ summary: "Slash stake (amount + reason); mirrored on chain through the outbox when the validator stakes there (admin; audit-logged)" })
  @ApiBody({ schema: jsonSchemaOf(SlashValidatorBody) })
  @Returns(ValidatorActionResultSchema, { errors: [409] })
  slash(@CurrentPrincipal() who: PrincipalOf<"operator">, @Param(new ZodPipe(ValidatorIdParams)) params: Id, @Body(new ZodPipe(SlashValidatorBody)) body: z.infer<typeof SlashValidatorBody>) {
    return this.platform.admission.slash(params.id, body, actorOf(who));
  }

  @Post(":id/developer")
  @HttpCode(200)
  @ApiOperation({ summary: "Bind the validator to a developer account: never drawn for that developer's submissions (admin; audit-logged)" })
  @ApiBody({ schema: jsonSchemaOf(BindValidatorBody) })
  @Returns(ValidatorActionResultSchema, { errors: [409] })
  bind(@CurrentPrincipal() who: PrincipalOf<"operator">, @Param(new ZodPipe(ValidatorIdParams)) params: Id, @Body(new ZodPipe(BindValidatorBody)) body: z.infer<typeof BindValidatorBody>) {
    return this.platform.admission.bind(params.id, body, actorOf(who));
  }

  @Delete(":id/developer")
  @HttpCode(200)
  @ApiOperation({ summary: "Unbind the validator from its developer account (admin; audit-logged)" })
  @Returns(ValidatorActionResultSchema, { errors: [409] })
  unbind(@CurrentPrincipal() who: PrincipalOf<"operator">, @Param(new ZodPipe(ValidatorIdParams)) params: Id) {
    return this.platform.admission.unbind(params.id, actorOf(who));
  }
}
