import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import type { z } from "zod";
import { OperatorGuard, Roles } from "../../auth/plane-guards";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { CertificateIdParams, CertificateStatusBody, SubmissionIdParams, SubmissionListQuery } from "../../http/schemas";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { OperatorViewSchema, SubmissionPageSchema, OperatorSubmissionSchema, SigningKeyListSchema, RotatedKeySchema, CertificateStatusViewSchema } from "@assay/protocol";
import { Returns } from "../../http/contract";

@ApiTags("operator")
@ApiBearerAuth()
@Controller("v1/operator")
@UseGuards(OperatorGuard)
export class OperatorController {
  constructor(@UsesServices("certificates", "operators", "signingKeys", "submissions") private readonly platform: Services<"certificates" | "operators" | "signingKeys" | "submissions">) {}

  @Get("me")
  @ApiOperation({ summary: "The calling operator" })
  @Returns(OperatorViewSchema)
  me(@CurrentPrincipal() who: PrincipalOf<"operator">) {
    return this.platform.operators.get(who.operatorId);
  }

  @Get("submissions")
  @ApiOperation({ summary: "All submissions, newest first, optionally by status" })
  @Returns(SubmissionPageSchema)
  submissions(@Query(new ZodPipe(SubmissionListQuery)) query: z.infer<typeof SubmissionListQuery>) {
    return this.platform.submissions.list(query);
  }

  @Get("submissions/:id")
  @ApiOperation({ summary: "One submission with its transition history" })
  @Returns(OperatorSubmissionSchema)
  async submission(@Param(new ZodPipe(SubmissionIdParams)) params: { id: string }) {
    const submission = await this.platform.submissions.get(params.id);
    const history = await this.platform.submissions.history(params.id);
    return {
      ...submission,
      history: history.map((t) => ({ from: t.fromStatus, to: t.toStatus, reason: t.reasonCode, actor: t.actor, at: t.createdAt.toISOString() })),
    };
  }

  @Get("signing-keys")
  @ApiOperation({ summary: "Certificate-signing keys (no private material)" })
  @Returns(SigningKeyListSchema)
  signingKeys() {
    return this.platform.signingKeys.list();
  }

  @Post("signing-keys/rotate")
  @HttpCode(200)
  @Roles("admin")
  @ApiOperation({ summary: "Rotate the signing key (admin); the old key stays in the JWKS; recorded in the audit log" })
  @Returns(RotatedKeySchema)
  async rotate(@CurrentPrincipal() who: PrincipalOf<"operator">) {
    return { kid: await this.platform.signingKeys.rotate({ actor: `operator:${who.operatorId}` }) };
  }

  @Post("certificates/:id/status")
  @HttpCode(200)
  @Roles("admin")
  @ApiOperation({ summary: "Suspend, reinstate, revoke (with reason) or expire a certificate (admin)" })
  @ApiBody({ schema: jsonSchemaOf(CertificateStatusBody) })
  @Returns(CertificateStatusViewSchema, { errors: [409] })
  certificateStatus(
    @CurrentPrincipal() who: PrincipalOf<"operator">,
    @Param(new ZodPipe(CertificateIdParams)) params: { id: string },
    @Body(new ZodPipe(CertificateStatusBody)) body: z.infer<typeof CertificateStatusBody>,
  ) {
    return this.platform.certificates.changeStatus(params.id, body.status, { reasonCode: body.reasonCode, actor: `operator:${who.operatorId}` });
  }
}
