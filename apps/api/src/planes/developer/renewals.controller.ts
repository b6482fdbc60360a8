// Developer plane, certificate renewal (docs/decisions/0020): the per-developer
// auto-renew opt-in (off by default: without it nothing is re-audited or
// charged) and the renewal attempts of the developer's certificates, with the
// reason of each declined or failed one.
import { Body, Controller, Get, Put, Query, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiCookieAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import type { z } from "zod";
import {
  AutoRenewRequestSchema,
  AutoRenewSettingSchema,
  CertificateRenewalListSchema,
  RenewalListQuery,
  type AutoRenewRequest,
} from "@assay/protocol";
import { DeveloperGuard } from "../../auth/plane-guards";
import { DEVELOPER_SESSION_SCHEME } from "../../auth/developer-session";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { Returns } from "../../http/contract";

@ApiTags("developer")
@ApiBearerAuth()
@ApiCookieAuth(DEVELOPER_SESSION_SCHEME)
@Controller("v1/developer")
@UseGuards(DeveloperGuard)
export class RenewalsController {
  constructor(@UsesServices("renewals") private readonly platform: Services<"renewals">) {}

  @Get("auto-renew")
  @ApiOperation({ summary: "Your auto-renew opt-in and the renewal window in days (AutoRenewSettingSchema)" })
  @Returns(AutoRenewSettingSchema)
  get(@CurrentPrincipal() who: PrincipalOf<"developer">) {
    return this.platform.renewals.autoRenew(who.developerId);
  }

  @Put("auto-renew")
  @ApiOperation({ summary: "Opt in to (or out of) auto-renew: your certificates are re-audited, and charged, before they expire and when the suite version changes" })
  @ApiBody({ schema: jsonSchemaOf(AutoRenewRequestSchema) })
  @Returns(AutoRenewSettingSchema)
  set(@CurrentPrincipal() who: PrincipalOf<"developer">, @Body(new ZodPipe(AutoRenewRequestSchema)) body: AutoRenewRequest) {
    return this.platform.renewals.setAutoRenew(who.developerId, body.enabled);
  }

  @Get("renewals")
  @ApiOperation({ summary: "Renewal attempts of your certificates, newest first: status, re-audit submission, new certificate, or why it was declined or failed" })
  @Returns(CertificateRenewalListSchema)
  async list(@CurrentPrincipal() who: PrincipalOf<"developer">, @Query(new ZodPipe(RenewalListQuery)) query: z.infer<typeof RenewalListQuery>) {
    return { items: await this.platform.renewals.listForDeveloper(who.developerId, query) };
  }
}
