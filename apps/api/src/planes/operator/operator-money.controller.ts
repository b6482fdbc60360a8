// Operator plane, money (docs/money.md): the versioned price catalogue,
// campaigns, credit grants, vouchers, on-chain deposits and usage per developer (JSON and CSV). Admins edit money, every operator reads; each
// edit writes its audit-log row in the same transaction as the change.
import { Body, Controller, Get, Header, HttpCode, Param, Post, Put, Query, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import {
  CampaignInputSchema,
  CreditGrantInputSchema,
  PriceCatalogueSchema,
  VoucherInputSchema,
  type CampaignInput,
  type CreditGrantInput,
  type PriceCatalogue,
  type VoucherInput,
} from "@assay/protocol";
import { z } from "zod";
import { OperatorGuard, Roles } from "../../auth/plane-guards";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { CatalogueVersionSchema, CatalogueVersionsSchema, CampaignListSchema, CampaignViewSchema, CreditGrantResultSchema, CreditBalanceSchema } from "@assay/protocol";
import { VoucherListSchema, CreatedVoucherSchema, VoucherViewSchema, OperatorUsageSchema, OperatorUsageQuerySchema, type OperatorUsageQuery, UsageRangeQuerySchema, type UsageRangeQuery } from "@assay/protocol";
import { PaymentMethodsChangeSchema, PaymentMethodsSchema, type PaymentMethodsChange, OperatorListPageQuery } from "@assay/protocol";
import { OperatorDepositListSchema, OperatorDepositQuerySchema, type OperatorDepositQuery } from "@assay/protocol";
import { Returns } from "../../http/contract";

const IdParams = z.strictObject({ id: z.uuid() });

@ApiTags("operator")
@ApiBearerAuth()
@Controller("v1/operator")
@UseGuards(OperatorGuard)
export class OperatorMoneyController {
  constructor(@UsesServices("deposits", "ledger", "paymentMethods", "pricing", "usage", "vouchers") private readonly platform: Services<"deposits" | "ledger" | "paymentMethods" | "pricing" | "usage" | "vouchers">) {}

  @Get("pricing/catalogue")
  @ApiOperation({ summary: "The price catalogue in force (version 0: the built-in default)" })
  @Returns(CatalogueVersionSchema)
  catalogue() {
    return this.platform.pricing.current();
  }

  @Get("pricing/catalogue/versions")
  @ApiOperation({ summary: "Stored catalogue versions, newest first" })
  @Returns(CatalogueVersionsSchema)
  async versions() {
    return { versions: await this.platform.pricing.history() };
  }

  @Post("pricing/catalogue")
  @Roles("admin")
  @ApiOperation({ summary: "Publish a new catalogue version (admin; audit-logged); submissions keep the version they were priced with" })
  @ApiBody({ schema: jsonSchemaOf(PriceCatalogueSchema) })
  @Returns(CatalogueVersionSchema)
  publish(@CurrentPrincipal() who: PrincipalOf<"operator">, @Body(new ZodPipe(PriceCatalogueSchema)) body: PriceCatalogue) {
    return this.platform.pricing.publish(body, `operator:${who.operatorId}`);
  }

  @Get("campaigns")
  @ApiOperation({ summary: "Campaigns, newest first, with their counters; cursor-paginated (limit ≤ 200, default 100; docs/decisions/0032)" })
  @Returns(CampaignListSchema)
  async campaigns(@Query(new ZodPipe(OperatorListPageQuery)) query: z.infer<typeof OperatorListPageQuery>) {
    const page = await this.platform.pricing.campaignPage(query);
    return { campaigns: page.items, nextCursor: page.nextCursor };
  }

  @Post("campaigns")
  @Roles("admin")
  @ApiOperation({ summary: "Create a time-boxed campaign (admin; audit-logged)" })
  @ApiBody({ schema: jsonSchemaOf(CampaignInputSchema) })
  @Returns(CampaignViewSchema, { errors: [409] })
  createCampaign(@CurrentPrincipal() who: PrincipalOf<"operator">, @Body(new ZodPipe(CampaignInputSchema)) body: CampaignInput) {
    return this.platform.pricing.createCampaign(body, `operator:${who.operatorId}`);
  }

  @Post("campaigns/:id/disable")
  @HttpCode(200)
  @Roles("admin")
  @ApiOperation({ summary: "End a campaign now (admin; audit-logged)" })
  @Returns(CampaignViewSchema, { errors: [409] })
  disableCampaign(@CurrentPrincipal() who: PrincipalOf<"operator">, @Param(new ZodPipe(IdParams)) params: { id: string }) {
    return this.platform.pricing.disableCampaign(params.id, `operator:${who.operatorId}`);
  }

  @Post("credits/grants")
  @HttpCode(200)
  @Roles("admin")
  @ApiOperation({ summary: "Grant prepaid credits to a developer (admin; audit-logged); the request key makes a retry post once" })
  @ApiBody({ schema: jsonSchemaOf(CreditGrantInputSchema) })
  @Returns(CreditGrantResultSchema, { errors: [404, 409] })
  grant(@CurrentPrincipal() who: PrincipalOf<"operator">, @Body(new ZodPipe(CreditGrantInputSchema)) body: CreditGrantInput) {
    return this.platform.ledger.grant(body, `operator:${who.operatorId}`);
  }

  @Get("developers/:id/credits")
  @ApiOperation({ summary: "A developer's credits (available, held)" })
  @Returns(CreditBalanceSchema)
  credits(@Param(new ZodPipe(IdParams)) params: { id: string }) {
    return this.platform.ledger.developerBalance(params.id);
  }

  @Get("vouchers")
  @ApiOperation({ summary: "Vouchers, newest first (prefix, amount, limits, uses; never the code); cursor-paginated (limit ≤ 200, default 100; docs/decisions/0032)" })
  @Returns(VoucherListSchema)
  async vouchers(@Query(new ZodPipe(OperatorListPageQuery)) query: z.infer<typeof OperatorListPageQuery>) {
    const page = await this.platform.vouchers.page(query);
    return { vouchers: page.items, nextCursor: page.nextCursor };
  }

  @Post("vouchers")
  @Roles("admin")
  @ApiOperation({ summary: "Create a voucher (admin; audit-logged): { voucher, code } — the code is shown this once, only its hash is stored" })
  @ApiBody({ schema: jsonSchemaOf(VoucherInputSchema) })
  @Returns(CreatedVoucherSchema)
  createVoucher(@CurrentPrincipal() who: PrincipalOf<"operator">, @Body(new ZodPipe(VoucherInputSchema)) body: VoucherInput) {
    return this.platform.vouchers.create(body, `operator:${who.operatorId}`);
  }

  @Post("vouchers/:id/revoke")
  @HttpCode(200)
  @Roles("admin")
  @ApiOperation({ summary: "Revoke a voucher (admin; audit-logged); redemptions already made stay" })
  @Returns(VoucherViewSchema, { errors: [409] })
  revokeVoucher(@CurrentPrincipal() who: PrincipalOf<"operator">, @Param(new ZodPipe(IdParams)) params: { id: string }) {
    return this.platform.vouchers.revoke(params.id, `operator:${who.operatorId}`);
  }

  @Get("payment-methods")
  @ApiOperation({ summary: "Which payment methods are switched on (prepaid grants, vouchers, on-chain deposits)" })
  @Returns(PaymentMethodsSchema)
  paymentMethods() {
    return this.platform.paymentMethods.get();
  }

  @Put("payment-methods")
  @Roles("admin")
  @ApiOperation({ summary: "Switch payment methods on or off (admin; audit-logged); credits already granted stay usable" })
  @ApiBody({ schema: jsonSchemaOf(PaymentMethodsChangeSchema) })
  @Returns(PaymentMethodsSchema)
  setPaymentMethods(@CurrentPrincipal() who: PrincipalOf<"operator">, @Body(new ZodPipe(PaymentMethodsChangeSchema)) body: PaymentMethodsChange) {
    return this.platform.paymentMethods.set(body, `operator:${who.operatorId}`);
  }

  @Get("usage")
  @ApiOperation({
    summary:
      "Metered usage per developer in [from, to) (decimal strings per kind), developers in id order; q: a developer's exact id or part of their e-mail; cursor-paginated (limit ≤ 200, default 200; docs/decisions/0032)",
  })
  @Returns(OperatorUsageSchema)
  async usage(@Query(new ZodPipe(OperatorUsageQuerySchema)) query: OperatorUsageQuery) {
    const page = await this.platform.usage.perDeveloperPage({ ...rangeOf(query), q: query.q, cursor: query.cursor, limit: query.limit });
    return { from: query.from ?? null, to: query.to ?? null, developers: page.items, nextCursor: page.nextCursor };
  }

  @Get("usage.csv")
  @Header("Content-Type", "text/csv; charset=utf-8")
  @ApiOperation({ summary: "The same as CSV: developer_id, then one column per usage kind" })
  @Returns(z.string(), { contentType: "text/csv" })
  usageCsv(@Query(new ZodPipe(UsageRangeQuerySchema)) query: UsageRangeQuery) {
    return this.platform.usage.perDeveloperCsv(rangeOf(query));
  }

  @Get("deposits")
  @ApiOperation({
    summary:
      "Recorded on-chain deposits, newest first; ?status=unassigned lists those whose reference named no developer or that were worth less than a credit (they credited nobody); q: a transaction hash, payer address or developer id (exact); cursor-paginated (limit ≤ 500, default 100; docs/decisions/0032)",
  })
  @Returns(OperatorDepositListSchema)
  async deposits(@Query(new ZodPipe(OperatorDepositQuerySchema)) query: OperatorDepositQuery) {
    const page = await this.platform.deposits.list(query);
    return { deposits: page.items, nextCursor: page.nextCursor };
  }
}

function rangeOf(query: Pick<UsageRangeQuery, "from" | "to">): { from?: Date; to?: Date } {
  return { ...(query.from ? { from: new Date(query.from) } : {}), ...(query.to ? { to: new Date(query.to) } : {}) };
}
