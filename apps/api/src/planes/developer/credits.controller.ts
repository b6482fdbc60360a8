// Developer plane, money (docs/money.md): the quote of a packed runtime (same
// body and checks as a submission, nothing written), the credit balance,
// voucher redemption and on-chain deposits.
import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from "@nestjs/common";
import { ApiBearerAuth, ApiCookieAuth, ApiBody, ApiOperation, ApiTags } from "@nestjs/swagger";
import { SubmitRuntimeBodySchema, type SubmitRuntimeBody } from "@assay/platform";
import { DepositClaimBodySchema, DepositClaimSchema, DepositInfoSchema, RedeemVoucherBodySchema, type DepositClaimBody, type RedeemVoucherBody } from "@assay/protocol";
import { DeveloperGuard } from "../../auth/plane-guards";
import { DEVELOPER_SESSION_SCHEME } from "../../auth/developer-session";
import { CurrentPrincipal, type PrincipalOf } from "../../auth/principal";
import { UsesServices, type Services } from "../../http/platform-services";
import { jsonSchemaOf, ZodPipe } from "../../http/zod-pipe";
import { QuoteSchema, CreditBalanceSchema, CreditJournalQuery, CreditJournalSchema } from "@assay/protocol";
import type { z } from "zod";
import { RedeemedVoucherSchema } from "@assay/protocol";
import { Returns } from "../../http/contract";
import { submissionBodyPipe } from "./submission-body-pipe";

@ApiTags("developer")
@ApiBearerAuth()
@ApiCookieAuth(DEVELOPER_SESSION_SCHEME)
@Controller("v1/developer")
@UseGuards(DeveloperGuard)
export class CreditsController {
  constructor(@UsesServices("deposits", "ledger", "submissions", "vouchers") private readonly platform: Services<"deposits" | "ledger" | "submissions" | "vouchers">) {}

  @Post("quotes")
  @HttpCode(200)
  @ApiOperation({ summary: "Quote a packed runtime: { total, currency: \"credits\", lines, catalogueVersion, campaign, expiresAt } (QuoteSchema); writes nothing" })
  @ApiBody({ schema: jsonSchemaOf(SubmitRuntimeBodySchema) })
  @Returns(QuoteSchema, { errors: [402] })
  quote(@CurrentPrincipal() who: PrincipalOf<"developer">, @Body(submissionBodyPipe()) body: SubmitRuntimeBody) {
    return this.platform.submissions.quote(who.developerId, body);
  }

  @Get("credits")
  @ApiOperation({ summary: "Your credits: available and held by submissions in flight (CreditBalanceSchema)" })
  @Returns(CreditBalanceSchema)
  credits(@CurrentPrincipal() who: PrincipalOf<"developer">) {
    return this.platform.ledger.developerBalance(who.developerId);
  }

  @Get("credits/journal")
  @ApiOperation({ summary: "Your credit journal, newest first: each entry that moved your credits (voucher, grant, hold, capture, release, deposit) with the signed change of available and held credits (CreditJournalSchema)" })
  @Returns(CreditJournalSchema)
  async journal(@CurrentPrincipal() who: PrincipalOf<"developer">, @Query(new ZodPipe(CreditJournalQuery)) query: z.infer<typeof CreditJournalQuery>) {
    return { entries: await this.platform.ledger.developerJournal(who.developerId, query.limit ?? 100) };
  }

  @Post("credits/redeem")
  @HttpCode(200)
  @ApiOperation({ summary: "Redeem a voucher code (once per developer): { credited, balance }" })
  @ApiBody({ schema: jsonSchemaOf(RedeemVoucherBodySchema) })
  @Returns(RedeemedVoucherSchema, { errors: [403, 404, 409] })
  redeem(@CurrentPrincipal() who: PrincipalOf<"developer">, @Body(new ZodPipe(RedeemVoucherBodySchema)) body: RedeemVoucherBody) {
    return this.platform.vouchers.redeem(who.developerId, body.code);
  }

  @Get("deposits")
  @ApiOperation({
    summary:
      "How to deposit on chain: Treasury address, chain id, your bytes32 reference for Treasury.depositFee, wei per credit, confirmations required; and your recorded deposits (DepositInfoSchema)",
  })
  @Returns(DepositInfoSchema)
  depositInfo(@CurrentPrincipal() who: PrincipalOf<"developer">) {
    return this.platform.deposits.info(who.developerId);
  }

  @Post("deposits")
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Point at a Treasury.depositFee transaction: pending until it has the required confirmations, then its FeeDeposited logs are recorded and each credits (once) the developer its reference names (DepositClaimSchema)",
  })
  @ApiBody({ schema: jsonSchemaOf(DepositClaimBodySchema) })
  @Returns(DepositClaimSchema, { errors: [403, 404] })
  claimDeposit(@CurrentPrincipal() who: PrincipalOf<"developer">, @Body(new ZodPipe(DepositClaimBodySchema)) body: DepositClaimBody) {
    return this.platform.deposits.claim(who.developerId, body.txHash);
  }
}
