// Operator flags (issue 9 item 7): the registry (packages/platform/src/flags)
// with each flag's type, default, current value and description; admins set one
// flag or several at once. A change is validated against the flag's zod type
// (400 flag_unknown / flag_invalid, nothing written), audit-logged, and
// announced to every API and worker process.
import { Body, Controller, Get, Param, Put, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { FlagChangesSchema, FlagKeyParamsSchema, FlagListSchema, FlagViewSchema, SetFlagBodySchema, type FlagChanges, type SetFlagBody } from "@assay/protocol";
import { OperatorGuard, Roles } from "../../auth/plane-guards";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { Returns } from "../../http/contract";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";

@ApiTags("operator")
@ApiBearerAuth()
@Controller("v1/operator/flags")
@UseGuards(OperatorGuard)
export class OperatorSettingsController {
  constructor(@UsesServices("flags") private readonly platform: Services<"flags">) {}

  @Get()
  @ApiOperation({ summary: "Every operator flag of the registry: type, default, current value, description" })
  @Returns(FlagListSchema)
  async list() {
    return { flags: await this.platform.flags.list() };
  }

  @Put()
  @Roles("admin")
  @ApiOperation({ summary: "Set several flags at once (null restores the default); validated as a whole; one audit-log row per change (admin)" })
  @ApiBody({ schema: jsonSchemaOf(FlagChangesSchema) })
  @Returns(FlagListSchema, { status: 200 })
  async setMany(@CurrentPrincipal() who: PrincipalOf<"operator">, @Body(new ZodPipe(FlagChangesSchema)) body: FlagChanges) {
    return { flags: await this.platform.flags.update(body, `operator:${who.operatorId}`) };
  }

  @Put(":key")
  @Roles("admin")
  @ApiOperation({ summary: "Set one flag (value null restores the default), checked against the flag's type; audit-logged (admin)" })
  @ApiBody({ schema: jsonSchemaOf(SetFlagBodySchema) })
  @Returns(FlagViewSchema, { status: 200 })
  async setOne(@CurrentPrincipal() who: PrincipalOf<"operator">, @Param(new ZodPipe(FlagKeyParamsSchema)) params: { key: string }, @Body(new ZodPipe(SetFlagBodySchema)) body: SetFlagBody) {
    return this.platform.flags.set(params.key, body.value, `operator:${who.operatorId}`);
  }
}
