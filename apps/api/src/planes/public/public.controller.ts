import { Body, Controller, Inject, Get, HttpCode, Param, Post, Req, Res, UseGuards } from "@nestjs/common";
import type { Request, Response } from "express";
import { ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { PublicGuard } from "../../auth/plane-guards";
import { RateLimitGuard } from "../../auth/rate-limit.guard";
import { CertificateIdParams, VerifyBody } from "../../http/schemas";
import { HEALTH_PROBE, UsesServices, type HealthProbe, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { healthOf } from "./health";
import { HealthSchema, PublicCertificateSchema, CertificateVerifyResultSchema } from "@assay/protocol";
import { Returns } from "../../http/contract";
import { CERTIFICATE_CACHE_CONTROL, sendCacheableJson } from "../../http/cache";

@ApiTags("public")
@Controller("v1/public")
@UseGuards(PublicGuard, RateLimitGuard)
export class PublicController {
  constructor(@UsesServices("certificates", "registry", "submissions") private readonly platform: Services<"certificates" | "registry" | "submissions">,
    @Inject(HEALTH_PROBE) private readonly healthProbe: HealthProbe,) {}

  @Get("health")
  @ApiOperation({ summary: "Liveness and dependencies (database, queue)" })
  @Returns(HealthSchema)
  health() {
    return healthOf(this.healthProbe);
  }

  @Get("certificates/:id")
  @ApiOperation({ summary: "A certificate document with its current status, status history, anchor state and registry view (claims with evidence, renewals, flags)" })
  @Returns(PublicCertificateSchema, { conditional: true })
  async certificate(@Param(new ZodPipe(CertificateIdParams)) params: { id: string }, @Req() request: Request, @Res() response: Response): Promise<void> {
    const found = await this.platform.certificates.lookup(params.id);
    // anchorState: the anchor check as this server read it from the chain (the document's `anchor` is the proof);
    // registry: what the certificate's public page shows beyond the document (decision 0017).
    // report: only when the developer made it public (null otherwise).
    const [registry, report] = await Promise.all([this.platform.registry.view(found), this.platform.submissions.publicReport(found.submissionId, found.document.payload.audit.reportDigest)]);
    const body = { ...found.document, status: found.status, statusHistory: found.history, anchorState: found.anchor, registry, report };
    sendCacheableJson(request, response, body, CERTIFICATE_CACHE_CONTROL);
  }

  @Post("verify")
  @HttpCode(200)
  @ApiOperation({ summary: "Verify a certificate document: every check reported separately" })
  @ApiBody({ schema: jsonSchemaOf(VerifyBody) })
  @Returns(CertificateVerifyResultSchema)
  verify(@Body(new ZodPipe(VerifyBody, "document_invalid")) document: Record<string, unknown>) {
    return this.platform.certificates.verify(document);
  }
}
