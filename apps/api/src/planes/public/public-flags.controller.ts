// Public flags on certificates (issue 12 item 2): anyone may flag a
// certificate — no account, its own tight rate limit per client address on top
// of the service's cap on open flags per source — and anyone may read the
// decided outcomes. Shapes: @assay/protocol certificate-flags.
import { Body, Controller, Get, Param, Post, Req, UseGuards } from "@nestjs/common";
import { ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { CreateFlagBodySchema, FlagReceiptSchema, PublicFlagsSchema, type CreateFlagBody } from "@assay/protocol";
import { PublicGuard } from "../../auth/plane-guards";
import { FLAG_RATE_LIMITER, RateLimitGuard, UseRateLimiter } from "../../auth/rate-limit.guard";
import { Returns } from "../../http/contract";
import { CertificateIdParams } from "../../http/schemas";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";

@ApiTags("public")
@Controller("v1/public/certificates/:id/flags")
@UseGuards(PublicGuard, RateLimitGuard)
export class PublicFlagsController {
  constructor(@UsesServices("certificateFlags") private readonly platform: Services<"certificateFlags">) {}

  @Post()
  @UseRateLimiter(FLAG_RATE_LIMITER)
  @ApiOperation({ summary: "Flag a certificate (reason category and text; no account; rate-limited per client address)" })
  @ApiBody({ schema: jsonSchemaOf(CreateFlagBodySchema) })
  @Returns(FlagReceiptSchema, { errors: [404, 429] })
  flag(
    @Param(new ZodPipe(CertificateIdParams)) params: { id: string },
    @Body(new ZodPipe(CreateFlagBodySchema)) body: CreateFlagBody,
    // The trusted-proxy-aware client address (decision 0013): the same key the limiter used.
    @Req() request: { ip?: string; socket?: { remoteAddress?: string } },
  ) {
    return this.platform.certificateFlags.submit(params.id, body, request.ip ?? request.socket?.remoteAddress ?? "unknown");
  }

  @Get()
  @ApiOperation({ summary: "A certificate's flags as the public sees them: how many are open, each decided one's category and outcome" })
  @Returns(PublicFlagsSchema)
  outcomes(@Param(new ZodPipe(CertificateIdParams)) params: { id: string }) {
    return this.platform.certificateFlags.publicOutcomes(params.id);
  }
}
