// Public plane: a certificate's supersedes chain (docs/decisions/0020), newest
// → oldest, with each certificate's status — `assay certificate <id> --chain`.
import { Controller, Get, Param, UseGuards } from "@nestjs/common";
import { ApiOperation, ApiTags } from "@nestjs/swagger";
import { CertificateChainSchema } from "@assay/protocol";
import { PublicGuard } from "../../auth/plane-guards";
import { RateLimitGuard } from "../../auth/rate-limit.guard";
import { CertificateIdParams } from "../../http/schemas";
import { UsesServices, type Services } from "../../http/platform-services";
import { ZodPipe } from "../../http/zod-pipe";
import { Returns } from "../../http/contract";

@ApiTags("public")
@Controller("v1/public")
@UseGuards(PublicGuard, RateLimitGuard)
export class PublicChainController {
  constructor(@UsesServices("renewals") private readonly platform: Services<"renewals">) {}

  @Get("certificates/:id/chain")
  @ApiOperation({ summary: "The supersedes chain through a certificate, newest → oldest, with statuses (renewals)" })
  @Returns(CertificateChainSchema)
  chain(@Param(new ZodPipe(CertificateIdParams)) params: { id: string }) {
    return this.platform.renewals.chain(params.id);
  }
}
