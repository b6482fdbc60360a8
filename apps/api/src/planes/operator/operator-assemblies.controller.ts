// Operator plane for assemblies: the audit log, validators (and their rewards),
// assemblies (with their replayable record) and the escalation queue. Flags: operator-settings.controller.ts.
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { OperatorValidatorRewardsSchema, ValidatorIdParams, ValidatorListQuery } from "@assay/protocol";
import { z } from "zod";
import { OperatorGuard, Roles } from "../../auth/plane-guards";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { AssemblyIdParams, AssemblyListQuery, AuditLogQuery, ResolveEscalationBody, AuditLogSchema, AuditLogVerificationSchema, ValidatorListSchema, AssemblyListSchema, AssemblyDetailSchema, ResolveResultSchema } from "@assay/protocol";
import { Returns } from "../../http/contract";


const json = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as unknown;

@ApiTags("operator")
@ApiBearerAuth()
@Controller("v1/operator")
@UseGuards(OperatorGuard)
export class OperatorAssembliesController {
  constructor(@UsesServices("assemblies", "auditChain", "flags", "rewards", "validators") private readonly platform: Services<"assemblies" | "auditChain" | "flags" | "rewards" | "validators">) {}

  @Get("audit-log")
  @ApiOperation({ summary: "Operator actions, newest first; exact filters by action, actor and target; cursor-paginated (limit ≤ 200, default 200; docs/decisions/0032)" })
  @Returns(AuditLogSchema, { errors: [400] })
  async auditLog(@Query(new ZodPipe(AuditLogQuery)) query: z.infer<typeof AuditLogQuery>) {
    const page = await this.platform.flags.auditLogPage(query);
    return { entries: json(page.items), nextCursor: page.nextCursor };
  }

  @Get("audit-log/verify")
  @ApiOperation({ summary: "Verify the hash-chained audit log: ok with the head hash, or the first broken row (edited, deleted or out of the chain)" })
  @Returns(AuditLogVerificationSchema)
  verifyAuditLog() {
    return this.platform.auditChain.verify();
  }

  @Get("validators")
  @ApiOperation({
    summary: "Validators by reputation; ?standing=pending lists the admission queue, oldest first (docs/decisions/0012); ?q= name, id or key; cursor-paginated (limit ≤ 200, default 200; docs/decisions/0032)",
  })
  @Returns(ValidatorListSchema, { errors: [400] })
  async validators(@Query(new ZodPipe(ValidatorListQuery)) query: z.infer<typeof ValidatorListQuery>) {
    const page = await this.platform.validators.page(query);
    return { validators: page.items, nextCursor: page.nextCursor };
  }

  @Get("validators/:id/rewards")
  @ApiOperation({ summary: "A validator's rewards in credits (payable, on chain, withdrawn, history) and its Treasury payouts (docs/money.md)" })
  @Returns(OperatorValidatorRewardsSchema, { errors: [404] })
  validatorRewards(@Param(new ZodPipe(ValidatorIdParams)) params: z.infer<typeof ValidatorIdParams>) {
    return this.platform.rewards.forOperator(params.id);
  }

  @Get("assemblies")
  @ApiOperation({ summary: "Assemblies, newest first (escalated=true: the escalation queue; status=escalated: those still waiting); cursor-paginated (limit ≤ 200, default 100; docs/decisions/0032)" })
  @Returns(AssemblyListSchema, { errors: [400] })
  async assemblies(@Query(new ZodPipe(AssemblyListQuery)) query: z.infer<typeof AssemblyListQuery>) {
    const page = await this.platform.assemblies.page({
      ...(query.escalated === undefined ? {} : { escalated: query.escalated === "true" }),
      status: query.status,
      cursor: query.cursor,
      limit: query.limit,
    });
    return {
      nextCursor: page.nextCursor,
      assemblies: page.items.map((a) => ({
        id: a.id,
        submissionId: a.submissionId,
        status: a.status,
        escalated: a.escalated,
        round: a.round,
        phase: a.phase,
        phaseEndsAt: a.phaseEndsAt.toISOString(),
        outcome: a.outcome,
        recordDigest: a.recordDigest,
      })),
    };
  }

  @Get("assemblies/:id")
  @ApiOperation({ summary: "One assembly with its snapshot, beacon inputs and replayable record" })
  @Returns(AssemblyDetailSchema)
  async assembly(@Param(new ZodPipe(AssemblyIdParams)) params: { id: string }) {
    return json(await this.platform.assemblies.get(params.id));
  }

  @Post("assemblies/:id/resolve")
  @HttpCode(200)
  @Roles("admin", "reviewer")
  @ApiOperation({ summary: "Decide an escalated assembly: certify (audit-only certificate) or reject" })
  @ApiBody({ schema: jsonSchemaOf(ResolveEscalationBody) })
  @Returns(ResolveResultSchema, { errors: [409] })
  resolve(
    @CurrentPrincipal() who: PrincipalOf<"operator">,
    @Param(new ZodPipe(AssemblyIdParams)) params: { id: string },
    @Body(new ZodPipe(ResolveEscalationBody)) body: z.infer<typeof ResolveEscalationBody>,
  ) {
    return this.platform.assemblies.resolve(params.id, { ...body, actor: `operator:${who.operatorId}` });
  }
}
