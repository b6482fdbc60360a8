// The signed status list on the public plane (docs/decisions/0022): the latest
// publication, for verifiers that check revocation without asking about one
// certificate (and may save it to verify offline). Cacheable: a CDN may serve it
// for a minute; the ETag names the publication (Express answers 304 to a
// matching If-None-Match).
import { Controller, Get, Res, UseGuards } from "@nestjs/common";
import { ApiOperation, ApiTags } from "@nestjs/swagger";
import { StatusListResponseSchema, type StatusListResponse } from "@assay/protocol";
import { PublicGuard } from "../../auth/plane-guards";
import { RateLimitGuard } from "../../auth/rate-limit.guard";
import { Returns } from "../../http/contract";
import { UsesServices, type Services } from "../../http/platform-services";

/** How long a shared cache may serve one publication (the worker publishes every few minutes). */
export const STATUS_LIST_MAX_AGE_SECONDS = 60;

type HeaderSink = { setHeader(name: string, value: string): unknown };

@ApiTags("public")
@Controller("v1/public/status-list")
@UseGuards(PublicGuard, RateLimitGuard)
export class PublicStatusListController {
  constructor(@UsesServices("statusList") private readonly platform: Services<"statusList">) {}

  @Get()
  @ApiOperation({
    summary:
      "The issuer's signed status list (W3C Bitstring Status List bitstring, gzip + base64url, EdDSA JWS with the issuer's keys): a certificate's bit (payload.credentialStatus.index) is set when it is revoked or suspended; 404 status_list_not_published before the first publication",
  })
  @Returns(StatusListResponseSchema)
  async latest(@Res({ passthrough: true }) res: HeaderSink): Promise<StatusListResponse> {
    const latest = await this.platform.statusList.latest();
    const secondsLeft = Math.floor((Date.parse(latest.list.validUntil) - Date.now()) / 1000);
    res.setHeader("Cache-Control", `public, max-age=${Math.max(0, Math.min(STATUS_LIST_MAX_AGE_SECONDS, secondsLeft))}`);
    res.setHeader("ETag", `"status-list-${latest.list.sequence}"`);
    res.setHeader("Last-Modified", new Date(latest.list.publishedAt).toUTCString());
    return latest;
  }
}
