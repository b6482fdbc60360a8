// The draw beacon on the agent plane (docs/decisions/0009, "Beacon"): the
// assemblies collecting contributions, a validator's 32 random bytes, and an
// assembly's beacon (all inputs once drawn, so a validator checks its own
// contribution is in and recomputes the beacon).
import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { BeaconContributionBodySchema, type BeaconContributionBody } from "@assay/protocol";
import { AgentGuard } from "../../auth/plane-guards";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { AssemblyIdParams, BeaconWindowsSchema, BeaconContributionAcceptedSchema, AssemblyBeaconViewSchema } from "@assay/protocol";
import { Returns } from "../../http/contract";


@ApiTags("agent")
@ApiBearerAuth()
@Controller("v1/agent")
@UseGuards(AgentGuard)
export class AgentBeaconController {
  constructor(@UsesServices("beacons") private readonly platform: Services<"beacons">) {}

  @Get("beacons")
  @ApiOperation({ summary: "Assemblies collecting draw-beacon contributions (empty for a validator not admitted)" })
  @Returns(BeaconWindowsSchema)
  beacons(@CurrentPrincipal() who: PrincipalOf<"agent">) {
    return this.platform.beacons.windows(who.validatorId);
  }

  @Post("assemblies/:id/beacon")
  @HttpCode(201)
  @ApiOperation({ summary: "Contribute 32 random bytes to an assembly's draw beacon (admitted validators, once, while the window is open)" })
  @ApiBody({ schema: jsonSchemaOf(BeaconContributionBodySchema) })
  @Returns(BeaconContributionAcceptedSchema, { errors: [403, 409] })
  contribute(
    @CurrentPrincipal() who: PrincipalOf<"agent">,
    @Param(new ZodPipe(AssemblyIdParams)) params: { id: string },
    @Body(new ZodPipe(BeaconContributionBodySchema, "invalid_contribution")) body: BeaconContributionBody,
  ) {
    return this.platform.beacons.contribute(who.validatorId, params.id, body);
  }

  @Get("assemblies/:id/beacon")
  @ApiOperation({ summary: "An assembly's beacon: commitment while collecting; every input, the beacon and your inclusion after the draw" })
  @Returns(AssemblyBeaconViewSchema, { errors: [403] })
  beacon(@CurrentPrincipal() who: PrincipalOf<"agent">, @Param(new ZodPipe(AssemblyIdParams)) params: { id: string }) {
    return this.platform.beacons.view(who.validatorId, params.id);
  }
}
