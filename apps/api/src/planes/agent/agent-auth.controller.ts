// Unauthenticated half of the agent plane: a validator activates with its
// Ed25519 public key (it starts pending: docs/decisions/0012), asks for a
// challenge, and trades the signed challenge for a short-lived agent session
// token (docs/decisions/0009). Rate-limited per client address and per key.
import { Body, Controller, HttpCode, Post, UseGuards } from "@nestjs/common";
import { ApiBody, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from "@nestjs/swagger";
import { ActivateValidatorBody, ChallengeBody, TokenBody } from "@assay/protocol";
import type { z } from "zod";
import { AgentRateLimit, AgentRateLimitGuard } from "../../auth/agent-rate-limit.guard";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { ValidatorViewSchema, AgentChallengeSchema, AgentTokenSchema } from "@assay/protocol";
import { Returns } from "../../http/contract";

@ApiTags("agent")
@Controller("v1/agent")
@UseGuards(AgentRateLimitGuard)
@ApiTooManyRequestsResponse({ description: "rate_limited (per address or key) or pending_validators_full; nothing written; Retry-After" })
export class AgentAuthController {
  constructor(@UsesServices("validators") private readonly platform: Services<"validators">) {}

  @Post("activate")
  @HttpCode(201)
  @AgentRateLimit("activate")
  @ApiOperation({
    summary:
      "Activate a validator (standing pending): Ed25519 public key (base64url; small-order keys refused), declared stake (never a draw weight), kind, model family, optional chain address with its binding signature",
  })
  @ApiBody({ schema: jsonSchemaOf(ActivateValidatorBody) })
  @Returns(ValidatorViewSchema, { errors: [409] })
  activate(@Body(new ZodPipe(ActivateValidatorBody)) body: z.infer<typeof ActivateValidatorBody>) {
    return this.platform.validators.activate(body);
  }

  @Post("challenge")
  @HttpCode(200)
  @AgentRateLimit("challenge")
  @ApiOperation({ summary: "A short-lived server nonce to sign (message: `assay.agent-challenge/v1\\n<nonce>`)" })
  @ApiBody({ schema: jsonSchemaOf(ChallengeBody) })
  @Returns(AgentChallengeSchema, { errors: [404] })
  challenge(@Body(new ZodPipe(ChallengeBody)) body: z.infer<typeof ChallengeBody>) {
    return this.platform.validators.challenge(body.publicKey);
  }

  @Post("token")
  @HttpCode(200)
  @AgentRateLimit("token")
  @ApiOperation({ summary: "Signed challenge → agent session token (audience assay:agent)" })
  @ApiBody({ schema: jsonSchemaOf(TokenBody) })
  @Returns(AgentTokenSchema)
  async token(@Body(new ZodPipe(TokenBody)) body: z.infer<typeof TokenBody>) {
    const issued = await this.platform.validators.token(body);
    return { token: issued.token, tokenType: "Bearer", expiresAt: issued.expiresAt, validatorId: issued.validatorId };
  }
}
