// Unauthenticated half of the agent plane: a validator activates with its
// Ed25519 public key, asks for a challenge, and trades the signed challenge for
// a short-lived agent session token (docs/decisions/0009).
import { Body, Controller, HttpCode, Inject, Post } from "@nestjs/common";
import { ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { ActivateBody, ChallengeBody, TokenBody, type Platform } from "@assay/platform";
import type { z } from "zod";
import { PLATFORM } from "../../http/tokens";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";

@ApiTags("agent")
@Controller("v1/agent")
export class AgentAuthController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Post("activate")
  @HttpCode(201)
  @ApiOperation({ summary: "Activate a validator: Ed25519 public key (base64url), stake, kind (person | agent) and model family" })
  @ApiBody({ schema: jsonSchemaOf(ActivateBody) })
  activate(@Body(new ZodPipe(ActivateBody)) body: z.infer<typeof ActivateBody>) {
    return this.platform.validators.activate(body);
  }

  @Post("challenge")
  @HttpCode(200)
  @ApiOperation({ summary: "A short-lived server nonce to sign (message: `assay.agent-challenge/v1\\n<nonce>`)" })
  @ApiBody({ schema: jsonSchemaOf(ChallengeBody) })
  challenge(@Body(new ZodPipe(ChallengeBody)) body: z.infer<typeof ChallengeBody>) {
    return this.platform.validators.challenge(body.publicKey);
  }

  @Post("token")
  @HttpCode(200)
  @ApiOperation({ summary: "Signed challenge → agent session token (audience assay:agent)" })
  @ApiBody({ schema: jsonSchemaOf(TokenBody) })
  async token(@Body(new ZodPipe(TokenBody)) body: z.infer<typeof TokenBody>) {
    const issued = await this.platform.validators.token(body);
    return { token: issued.token, tokenType: "Bearer", expiresAt: issued.expiresAt, validatorId: issued.validatorId };
  }
}
