// The operators' queue of public certificate flags (issue 12 item 2): list,
// then dismiss or suspend the certificate; the outcome becomes public.
import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { FlagIdParamsSchema, FlagQueueQuerySchema, OperatorFlagListSchema, OperatorFlagSchema, ResolveFlagBodySchema, type ResolveFlagBody } from "@assay/protocol";
import type { z } from "zod";
import { OperatorGuard, Roles } from "../../auth/plane-guards";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { Returns } from "../../http/contract";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";

@ApiTags("operator")
@ApiBearerAuth()
@Controller("v1/operator/certificate-flags")
@UseGuards(OperatorGuard)
export class OperatorFlagsController {
  constructor(@UsesServices("certificateFlags") private readonly platform: Services<"certificateFlags">) {}

  @Get()
  @ApiOperation({ summary: "The flag queue (default: open flags, oldest first)" })
  @Returns(OperatorFlagListSchema)
  list(@Query(new ZodPipe(FlagQueueQuerySchema)) query: z.infer<typeof FlagQueueQuerySchema>) {
    return this.platform.certificateFlags.queue(query.status ?? "open", query.limit ?? 100);
  }

  @Post(":id/resolve")
  @HttpCode(200)
  @Roles("admin")
  @ApiOperation({ summary: "Decide an open flag: dismiss it, suspend the certificate, or order a re-audit of it (a pass supersedes it, a fail suspends it; 409 while another re-audit of it runs) (admin); the outcome text is public" })
  @ApiBody({ schema: jsonSchemaOf(ResolveFlagBodySchema) })
  @Returns(OperatorFlagSchema, { errors: [404, 409] })
  resolve(
    @CurrentPrincipal() who: PrincipalOf<"operator">,
    @Param(new ZodPipe(FlagIdParamsSchema)) params: { id: string },
    @Body(new ZodPipe(ResolveFlagBodySchema)) body: ResolveFlagBody,
  ) {
    return this.platform.certificateFlags.resolve(params.id, body, `operator:${who.operatorId}`);
  }
}
