import { Module } from "@nestjs/common";
import { AgentController } from "./agent.controller";

/** `/v1/agent/*`: validators with agent session tokens (challenge signing issues them; later). */
@Module({ controllers: [AgentController] })
export class AgentModule {}
