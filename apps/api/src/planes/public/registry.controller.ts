// The public registry (issue 12 item 5, docs/decisions/0017): search over issued
// certificates and the SVG badge of one. No credentials, the public plane's rate
// limiter per client address, CDN-friendly caching (ETag, 304, Cache-Control).
import { Controller, Get, Param, Query, Req, Res, UseGuards } from "@nestjs/common";
import { ApiOperation, ApiProduces, ApiTags } from "@nestjs/swagger";
import type { Request, Response } from "express";
import { BadgeParams, RegistryPageSchema, RegistrySearchQuery } from "@assay/protocol";
import { z } from "zod";
import { PublicGuard } from "../../auth/plane-guards";
import { RateLimitGuard } from "../../auth/rate-limit.guard";
import { BADGE_CACHE, cacheControlOf, REGISTRY_SEARCH_CACHE, sendCacheable, sendCacheableJson, UNKNOWN_BADGE_CACHE } from "../../http/cache";
import { Returns } from "../../http/contract";
import { UsesServices, type Services } from "../../http/platform-services";
import { ZodPipe } from "../../http/zod-pipe";
import { badgeSvg } from "./badge-svg";

// A type alias, not the schema's name: with decorator metadata (jest) the parameter's type must not be the zod value.
type SearchQuery = z.infer<typeof RegistrySearchQuery>;

@ApiTags("public")
@Controller("v1/public/registry")
@UseGuards(PublicGuard, RateLimitGuard)
export class RegistryController {
  constructor(@UsesServices("registry") private readonly platform: Services<"registry">) {}

  @Get("certificates")
  @ApiOperation({
    summary:
      "Search issued certificates: runtime name (substring, case-insensitive), evidenced claim, registry status, suite and suite version, issue date range; newest first, cursor-paginated",
  })
  @Returns(RegistryPageSchema, { conditional: true })
  async search(@Query(new ZodPipe(RegistrySearchQuery)) query: SearchQuery, @Req() request: Request, @Res() response: Response): Promise<void> {
    const page = await this.platform.registry.search(query);
    sendCacheableJson(request, response, page, cacheControlOf(REGISTRY_SEARCH_CACHE));
  }
}

@ApiTags("public")
@Controller("badge")
@UseGuards(PublicGuard, RateLimitGuard)
export class BadgeController {
  constructor(@UsesServices("registry") private readonly platform: Services<"registry">) {}

  @Get(":id.svg")
  @ApiProduces("image/svg+xml")
  @ApiOperation({ summary: "SVG badge of a certificate: its registry status and evidenced claims; an unknown id gives the \"unknown\" badge with 404" })
  @Returns(z.string().describe("An SVG image (image/svg+xml)"), { contentType: "image/svg+xml", errors: [404], errorContent: { 404: "image/svg+xml" }, conditional: true })
  async badge(@Param(new ZodPipe(BadgeParams)) params: { id: string }, @Req() request: Request, @Res() response: Response): Promise<void> {
    const facts = await this.platform.registry.badge(params.id);
    // Embeddable from any page (helmet's default is same-origin), and the SVG may not load anything.
    response.set({ "Cross-Origin-Resource-Policy": "cross-origin", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'" });
    if (!facts) {
      sendCacheable(request, response, { status: 404, contentType: "image/svg+xml", body: badgeSvg({ status: "unknown" }), cacheControl: cacheControlOf(UNKNOWN_BADGE_CACHE) });
      return;
    }
    sendCacheable(request, response, { status: 200, contentType: "image/svg+xml", body: badgeSvg(facts), cacheControl: cacheControlOf(BADGE_CACHE) });
  }
}
