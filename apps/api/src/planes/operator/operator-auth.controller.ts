import { Body, Controller, HttpCode, Inject, Post, UseGuards } from "@nestjs/common";
import { Throttle, ThrottlerGuard } from "@nestjs/throttler";
import { ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import type { Platform } from "@assay/platform";
import type { z } from "zod";
import { OperatorLoginBody } from "../../http/schemas";
import { PLATFORM } from "../../http/tokens";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";

@ApiTags("operator")
@Controller("v1/operator/auth")
export class OperatorAuthController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Post("login")
  @HttpCode(200)
  // Why: slows password/TOTP guessing; an account has ~1e6 codes per 30 s step.
  @UseGuards(ThrottlerGuard)
  @Throttle({ public: { limit: 10, ttl: 60_000 } })
  @ApiOperation({ summary: "Password + TOTP code → operator session token" })
  @ApiBody({ schema: jsonSchemaOf(OperatorLoginBody) })
  async login(@Body(new ZodPipe(OperatorLoginBody)) body: z.infer<typeof OperatorLoginBody>) {
    const operator = await this.platform.operators.login(body);
    const session = await this.platform.tokens.issue("operator", operator.id, { role: operator.role });
    return { token: session.token, tokenType: "Bearer", expiresAt: session.expiresAt.toISOString(), operator };
  }
}
