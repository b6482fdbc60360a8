import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiCookieAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { DeveloperGuard } from "../../auth/plane-guards";
import { DEVELOPER_SESSION_SCHEME } from "../../auth/developer-session";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { ApiKeyIdParams, CreateApiKeyBody } from "../../http/schemas";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { DeveloperViewSchema, CreatedApiKeySchema, ApiKeyListSchema, DeveloperUsageQuerySchema, UsageTotalsSchema, type DeveloperUsageQuery, type UsageRangeQuery } from "@assay/protocol";
import { Returns } from "../../http/contract";

@ApiTags("developer")
@ApiBearerAuth()
@ApiCookieAuth(DEVELOPER_SESSION_SCHEME)
@Controller("v1/developer")
@UseGuards(DeveloperGuard)
export class AccountController {
  constructor(@UsesServices("apiKeys", "developers", "submissions", "usage") private readonly platform: Services<"apiKeys" | "developers" | "submissions" | "usage">) {}

  @Get("me")
  @ApiOperation({ summary: "The calling developer" })
  @Returns(DeveloperViewSchema)
  me(@CurrentPrincipal() who: PrincipalOf<"developer">) {
    return this.platform.developers.get(who.developerId);
  }

  @Post("api-keys")
  @ApiOperation({ summary: "Create an API key; the key is in this response only" })
  @ApiBody({ schema: jsonSchemaOf(CreateApiKeyBody) })
  @Returns(CreatedApiKeySchema)
  createKey(@CurrentPrincipal() who: PrincipalOf<"developer">, @Body(new ZodPipe(CreateApiKeyBody)) body: { name: string }) {
    return this.platform.apiKeys.create(who.developerId, body.name);
  }

  @Get("api-keys")
  @ApiOperation({ summary: "Your API keys (prefixes only, never the keys)" })
  @Returns(ApiKeyListSchema)
  listKeys(@CurrentPrincipal() who: PrincipalOf<"developer">) {
    return this.platform.apiKeys.list(who.developerId);
  }

  @Delete("api-keys/:id")
  @HttpCode(204)
  @ApiOperation({ summary: "Revoke an API key" })
  @Returns(null, { description: "Revoked (idempotent)" })
  async revokeKey(@CurrentPrincipal() who: PrincipalOf<"developer">, @Param(new ZodPipe(ApiKeyIdParams)) params: { id: string }) {
    await this.platform.apiKeys.revoke(who.developerId, params.id);
  }

  @Get("usage")
  @ApiOperation({ summary: "Your metered usage (model tokens, sandbox CPU ms, storage bytes, assembly seats), optionally in [from, to) and for one submission (?submission=<id>)" })
  @Returns(UsageTotalsSchema, { errors: [404] })
  async usage(@CurrentPrincipal() who: PrincipalOf<"developer">, @Query(new ZodPipe(DeveloperUsageQuerySchema)) query: DeveloperUsageQuery) {
    // ?submission=<id>: that submission's usage alone (404 unless it is the caller's).
    if (query.submission) await this.platform.submissions.getForDeveloper(who.developerId, query.submission);
    return this.platform.usage.totals({ developerId: who.developerId, ...(query.submission ? { submissionId: query.submission } : {}), ...rangeOf(query) });
  }
}

function rangeOf(query: { from?: string; to?: string }): { from?: Date; to?: Date } {
  return { ...(query.from ? { from: new Date(query.from) } : {}), ...(query.to ? { to: new Date(query.to) } : {}) };
}
