// The authenticated agent plane: a validator's assignments, the evidence of an
// assembly it sits on, commit, reveal, its own reputation and history, and its
// rewards in credits.
import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { CommitBody, RevealBody } from "@assay/platform";
import { z } from "zod";
import { AgentGuard } from "../../auth/plane-guards";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { AgentHistoryQuery, AgentHistorySchema, AssemblyIdParams, AgentMeSchema, AssignmentsSchema, AssemblyEvidenceSchema, CommitAcceptedSchema, RevealAcceptedSchema, ValidatorRewardsSchema } from "@assay/protocol";
import { Returns } from "../../http/contract";


@ApiTags("agent")
@ApiBearerAuth()
@Controller("v1/agent")
@UseGuards(AgentGuard)
export class AgentController {
  constructor(@UsesServices("rewards", "validators", "votes") private readonly platform: Services<"rewards" | "validators" | "votes">) {}

  @Get("me")
  @ApiOperation({ summary: "The calling validator: stake, reputation, standing, reputation events and seats" })
  @Returns(AgentMeSchema)
  me(@CurrentPrincipal() who: PrincipalOf<"agent">) {
    return this.platform.validators.me(who.validatorId);
  }

  @Get("history")
  @ApiOperation({ summary: "The calling validator's reputation and stake after each settled seat, newest first (cursor pagination), and where it stands now" })
  @Returns(AgentHistorySchema)
  history(@CurrentPrincipal() who: PrincipalOf<"agent">, @Query(new ZodPipe(AgentHistoryQuery)) query: z.infer<typeof AgentHistoryQuery>) {
    return this.platform.validators.history(who.validatorId, query);
  }

  @Get("rewards")
  @ApiOperation({
    summary:
      "The calling validator's rewards in credits: payable (owed), onChain (credited on the Treasury, not yet withdrawn), withdrawn, and the latest reward, payout and withdrawal movements (docs/money.md)",
  })
  @Returns(ValidatorRewardsSchema)
  rewards(@CurrentPrincipal() who: PrincipalOf<"agent">) {
    return this.platform.rewards.forValidator(who.validatorId);
  }

  @Get("assignments")
  @ApiOperation({ summary: "Seats of the calling validator in the current round of open assemblies, with phase and deadlines" })
  @Returns(AssignmentsSchema)
  assignments(@CurrentPrincipal() who: PrincipalOf<"agent">) {
    return this.platform.votes.assignments(who.validatorId);
  }

  @Get("assemblies/:id/evidence")
  @ApiOperation({ summary: "Evidence of an assembly the validator sits on: report summary, per-scenario summaries, findings, claims with their status (AssemblyEvidenceSchema)" })
  @Returns(AssemblyEvidenceSchema, { errors: [403] })
  evidence(@CurrentPrincipal() who: PrincipalOf<"agent">, @Param(new ZodPipe(AssemblyIdParams)) params: { id: string }) {
    return this.platform.votes.evidence(who.validatorId, params.id);
  }

  @Post("commit")
  @HttpCode(201)
  @ApiOperation({ summary: "Commit SHA-256 of the canonical vote preimage (packages/assembly voteCommitment)" })
  @ApiBody({ schema: jsonSchemaOf(CommitBody) })
  @Returns(CommitAcceptedSchema, { errors: [403, 404, 409] })
  commit(@CurrentPrincipal() who: PrincipalOf<"agent">, @Body(new ZodPipe(CommitBody)) body: z.infer<typeof CommitBody>) {
    return this.platform.votes.commit(who.validatorId, body);
  }

  @Post("reveal")
  @HttpCode(201)
  @ApiOperation({ summary: "Reveal the vote and salt; it must open the stored commitment" })
  @ApiBody({ schema: jsonSchemaOf(RevealBody) })
  @Returns(RevealAcceptedSchema, { errors: [403, 404, 409] })
  reveal(@CurrentPrincipal() who: PrincipalOf<"agent">, @Body(new ZodPipe(RevealBody)) body: z.infer<typeof RevealBody>) {
    return this.platform.votes.reveal(who.validatorId, body);
  }
}
