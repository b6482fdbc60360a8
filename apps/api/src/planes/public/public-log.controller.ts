// The transparency log on the public plane (docs/decisions/0016): the latest
// signed checkpoint, a certificate's entries with inclusion proofs, and
// consistency proofs between two tree sizes; where the chain is on, the
// checkpoint anchored with a certificate's registry batch. Shapes: @assay/protocol.
import { Controller, Get, Param, Query, UseGuards } from "@nestjs/common";
import { ApiOperation, ApiTags } from "@nestjs/swagger";
import { LogConsistencyQuerySchema, type LogConsistencyQuery } from "@assay/protocol";
import { PublicGuard } from "../../auth/plane-guards";
import { RateLimitGuard } from "../../auth/rate-limit.guard";
import { CertificateIdParams } from "../../http/schemas";
import { UsesServices, type Services } from "../../http/platform-services";
import { ZodPipe } from "../../http/zod-pipe";
import { LogAnchoredCheckpointResponseSchema, LogCheckpointResponseSchema, LogInclusionResponseSchema, LogConsistencyResponseSchema } from "@assay/protocol";
import { Returns } from "../../http/contract";

@ApiTags("public")
@Controller("v1/public/log")
@UseGuards(PublicGuard, RateLimitGuard)
export class PublicLogController {
  constructor(@UsesServices("transparencyLog") private readonly platform: Services<"transparencyLog">) {}

  @Get("checkpoint")
  @ApiOperation({ summary: "The transparency log's latest checkpoint (C2SP signed note, Ed25519, issuer's JWKS)" })
  @Returns(LogCheckpointResponseSchema)
  checkpoint() {
    return this.platform.transparencyLog.checkpoint();
  }

  @Get("certificates/:id")
  @ApiOperation({ summary: "A certificate's log entries (issuance, status changes) with inclusion proofs against the latest checkpoint" })
  @Returns(LogInclusionResponseSchema)
  inclusion(@Param(new ZodPipe(CertificateIdParams)) params: { id: string }) {
    return this.platform.transparencyLog.inclusion(params.id);
  }

  @Get("certificates/:id/anchor")
  @ApiOperation({
    summary:
      "The log checkpoint anchored on chain in the certificate's registry batch (covers its issuance), with the proof of its commitment in the batch; 404 checkpoint_not_anchored until then",
  })
  @Returns(LogAnchoredCheckpointResponseSchema)
  anchoredCheckpoint(@Param(new ZodPipe(CertificateIdParams)) params: { id: string }) {
    return this.platform.transparencyLog.anchoredCheckpoint(params.id);
  }

  @Get("consistency")
  @ApiOperation({ summary: "RFC 9162 consistency proof between two tree sizes (from ≤ to ≤ current size)" })
  @Returns(LogConsistencyResponseSchema)
  consistency(@Query(new ZodPipe(LogConsistencyQuerySchema)) query: LogConsistencyQuery) {
    return this.platform.transparencyLog.consistency(query.from, query.to);
  }
}
