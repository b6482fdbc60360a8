// Public plane: a certificate's supersedes chain (docs/decisions/0020), newest
// → oldest, with each certificate's status — `assay certificate <id> --chain`.
import { Controller, Get, Inject, Param, UseGuards } from "@nestjs/common";
import { ApiOperation, ApiTags } from "@nestjs/swagger";
import type { Platform } from "@assay/platform";
import { CertificateChainSchema } from "@assay/protocol";
import { PublicGuard } from "../../auth/plane-guards";
import { RateLimitGuard } from "../../auth/rate-limit.guard";
import { CertificateIdParams } from "../../http/schemas";
import { PLATFORM } from "../../http/tokens";
import { ZodPipe } from "../../http/zod-pipe";
import { Returns } from "../../http/contract";

@ApiTags("public")
@Controller("v1/public")
@UseGuards(PublicGuard, RateLimitGuard)
export class PublicChainController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get("certificates/:id/chain")
  @ApiOperation({ summary: "The supersedes chain through a certificate, newest → oldest, with statuses (renewals)" })
  @Returns(CertificateChainSchema)
  chain(@Param(new ZodPipe(CertificateIdParams)) params: { id: string }) {
    return this.platform.renewals.chain(params.id);
  }
}
