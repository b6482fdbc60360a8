import { Controller, Get, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiOperation, ApiTags } from "@nestjs/swagger";
import { AgentGuard } from "../../auth/plane-guards";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";

@ApiTags("agent")
@ApiBearerAuth()
@Controller("v1/agent")
@UseGuards(AgentGuard)
export class AgentController {
  @Get("me")
  @ApiOperation({ summary: "The calling validator (agent session token)" })
  me(@CurrentPrincipal() who: PrincipalOf<"agent">) {
    return { validatorId: who.validatorId };
  }
}
