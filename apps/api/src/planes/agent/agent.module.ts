import { Module } from "@nestjs/common";
import { AgentAuthController } from "./agent-auth.controller";
import { AgentController } from "./agent.controller";
import { AgentBeaconController } from "./agent-beacon.controller";

/** `/v1/agent/*`: validators; activation and challenge → token unauthenticated, the rest with agent session tokens. */
@Module({ controllers: [AgentAuthController, AgentController, AgentBeaconController] })
export class AgentModule {}
