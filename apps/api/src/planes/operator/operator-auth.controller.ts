import { Body, Controller, HttpCode, Post, UseGuards } from "@nestjs/common";
import { LOGIN_RATE_LIMITER, RateLimitGuard, UseRateLimiter } from "../../auth/rate-limit.guard";
import { ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import type { z } from "zod";
import { OperatorLoginBody } from "../../http/schemas";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { OperatorLoginResultSchema } from "@assay/protocol";
import { Returns } from "../../http/contract";

@ApiTags("operator")
@Controller("v1/operator/auth")
export class OperatorAuthController {
  constructor(@UsesServices("operators", "tokens") private readonly platform: Services<"operators" | "tokens">) {}

  @Post("login")
  @HttpCode(200)
  // Why: slows password/TOTP guessing (10 attempts per minute per client).
  @UseGuards(RateLimitGuard)
  @UseRateLimiter(LOGIN_RATE_LIMITER)
  @ApiOperation({ summary: "Password + TOTP code → operator session token" })
  @ApiBody({ schema: jsonSchemaOf(OperatorLoginBody) })
  @Returns(OperatorLoginResultSchema)
  async login(@Body(new ZodPipe(OperatorLoginBody)) body: z.infer<typeof OperatorLoginBody>) {
    const operator = await this.platform.operators.login(body);
    const session = await this.platform.tokens.issue("operator", operator.id, { role: operator.role });
    return { token: session.token, tokenType: "Bearer", expiresAt: session.expiresAt.toISOString(), operator };
  }
}
