import { Body, Controller, Get, Param, Post, Put, Query, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiCookieAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { SubmitRuntimeBodySchema, type SubmitRuntimeBody } from "@assay/platform";
import type { z } from "zod";
import { DeveloperGuard } from "../../auth/plane-guards";
import { DEVELOPER_SESSION_SCHEME } from "../../auth/developer-session";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { SubmissionIdParams, SubmissionListQuery } from "../../http/schemas";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { SubmissionViewSchema, SubmissionPageSchema, SubmissionReportSchema, CertificateWithStatusSchema, ReportVisibilityBody, ReportVisibilitySchema } from "@assay/protocol";
import { Returns } from "../../http/contract";
import { submissionBodyPipe } from "./submission-body-pipe";


@ApiTags("developer")
@ApiBearerAuth()
@ApiCookieAuth(DEVELOPER_SESSION_SCHEME)
@Controller("v1/developer/submissions")
@UseGuards(DeveloperGuard)
export class SubmissionsController {
  constructor(@UsesServices("certificates", "submissions") private readonly platform: Services<"certificates" | "submissions">) {}

  @Post()
  @ApiOperation({ summary: "Submit a packed runtime (manifest + files, base64); enqueues its audit" })
  @ApiBody({ schema: jsonSchemaOf(SubmitRuntimeBodySchema) })
  @Returns(SubmissionViewSchema, { errors: [402, 409] })
  create(@CurrentPrincipal() who: PrincipalOf<"developer">, @Body(submissionBodyPipe()) body: SubmitRuntimeBody) {
    return this.platform.submissions.create(who.developerId, body);
  }

  @Get()
  @ApiOperation({ summary: "Your submissions, newest first (cursor pagination)" })
  @Returns(SubmissionPageSchema)
  list(@CurrentPrincipal() who: PrincipalOf<"developer">, @Query(new ZodPipe(SubmissionListQuery)) query: z.infer<typeof SubmissionListQuery>) {
    return this.platform.submissions.list({ developerId: who.developerId, ...query });
  }

  @Get(":id")
  @ApiOperation({ summary: "One submission: status, progress, certificate id" })
  @Returns(SubmissionViewSchema)
  get(@CurrentPrincipal() who: PrincipalOf<"developer">, @Param(new ZodPipe(SubmissionIdParams)) params: { id: string }) {
    return this.platform.submissions.getForDeveloper(who.developerId, params.id);
  }

  @Get(":id/report")
  @ApiOperation({ summary: "The audit report of a submission" })
  @Returns(SubmissionReportSchema)
  report(@CurrentPrincipal() who: PrincipalOf<"developer">, @Param(new ZodPipe(SubmissionIdParams)) params: { id: string }) {
    return this.platform.submissions.reportForDeveloper(who.developerId, params.id);
  }

  @Put(":id/report/visibility")
  @ApiOperation({ summary: "Make the audit report public (the public certificate lookup then carries it, for drift plots) or private again; private by default" })
  @ApiBody({ schema: jsonSchemaOf(ReportVisibilityBody) })
  @Returns(ReportVisibilitySchema)
  reportVisibility(
    @CurrentPrincipal() who: PrincipalOf<"developer">,
    @Param(new ZodPipe(SubmissionIdParams)) params: { id: string },
    @Body(new ZodPipe(ReportVisibilityBody)) body: { public: boolean },
  ) {
    return this.platform.submissions.setReportVisibility(who.developerId, params.id, body.public);
  }

  @Get(":id/certificate")
  @ApiOperation({ summary: "The certificate document of a submission, with its status" })
  @Returns(CertificateWithStatusSchema)
  async certificate(@CurrentPrincipal() who: PrincipalOf<"developer">, @Param(new ZodPipe(SubmissionIdParams)) params: { id: string }) {
    await this.platform.submissions.getForDeveloper(who.developerId, params.id);
    const found = await this.platform.certificates.latestForSubmission(params.id);
    return { ...found.document, status: found.status };
  }
}
