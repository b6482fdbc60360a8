// Public plane: a certificate's assembly record (docs/decisions/0031) — the
// record verbatim (its digest is the certificate's assembly.recordDigest), the
// seats with pseudonymous validator ids, weights, verdicts per claim after
// reveal, commit/reveal times, and the deciding round's tally.
import { Controller, Get, Header, Param, UseGuards } from "@nestjs/common";
import { ApiOperation, ApiTags } from "@nestjs/swagger";
import { PublicAssemblyRecordSchema } from "@assay/protocol";
import { PublicGuard } from "../../auth/plane-guards";
import { RateLimitGuard } from "../../auth/rate-limit.guard";
import { CertificateIdParams } from "../../http/schemas";
import { UsesServices, type Services } from "../../http/platform-services";
import { ZodPipe } from "../../http/zod-pipe";
import { Returns } from "../../http/contract";

@ApiTags("public")
@Controller("v1/public")
@UseGuards(PublicGuard, RateLimitGuard)
export class PublicAssemblyController {
  constructor(@UsesServices("publicAssemblies") private readonly platform: Services<"publicAssemblies">) {}

  @Get("certificates/:id/assembly")
  // A finished record never changes: cacheable like the registry's search.
  @Header("Cache-Control", "public, max-age=300")
  @ApiOperation({
    summary:
      "A certificate's assembly record: the replayable record (its digest is the certificate's assembly.recordDigest), each seat's pseudonymous validator id, weight, verdicts per claim after reveal and commit/reveal times, and the tally. 404 assembly_not_found for an audit-only certificate.",
  })
  @Returns(PublicAssemblyRecordSchema)
  assembly(@Param(new ZodPipe(CertificateIdParams)) params: { id: string }) {
    return this.platform.publicAssemblies.recordOf(params.id);
  }
}
