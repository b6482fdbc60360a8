// Charges (docs/money.md): intake prices a submission, claims its campaign use
// and holds the price, all inside the intake transaction (a 402 rolls back
// every row); a final status settles the hold once, inside the transition's
// transaction: capture by outcome (captureFor), release when the platform
// failed. With billing off (ASSAY_BILLING_ENFORCED=false) submissions are not
// priced and no charge is written.
import type { StoredJson } from "../repositories";
import { PaymentRequiredError } from "../errors";
import type { Quote } from "@assay/protocol";
import { QuoteSchema } from "@assay/protocol";
import type { Repositories } from "../repositories";
import { developerAccount } from "./accounts";
import { captureEntry, holdEntry, releaseEntry } from "./ledger";
import type { LedgerService } from "./ledger-service";
import type { PricingService } from "./pricing-service";
import { postAssemblyRewardsIn } from "./reward-service";
import { captureFor, type SubmissionFacts } from "./quote";

/** Attempts before intake gives up on campaigns that keep running out under it. */
const CAMPAIGN_CLAIM_ATTEMPTS = 5;

export type FinalOutcome = { status: "certified" | "rejected" | "failed"; reason: string };

export class ChargeService {
  constructor(
    private readonly pricing: PricingService,
    private readonly ledger: LedgerService,
    readonly enforced: boolean,
  ) {}

  /** Cheap check before any write: refuses a submission the developer's balance cannot pay for now. */
  async preflight(repos: Repositories, developerId: string, facts: SubmissionFacts, now: Date): Promise<Quote | null> {
    if (!this.enforced) return null;
    const quote = await this.pricing.quoteIn(repos, developerId, facts, now);
    const account = developerAccount(developerId);
    const available = (await repos.ledger.balances([account])).get(account) ?? 0n;
    if (BigInt(quote.total) > available) throw insufficient(BigInt(quote.total), available);
    return quote;
  }

  /** Prices the submission, takes the campaign use and holds the total; inside the intake transaction. */
  async chargeIn(repos: Repositories, input: { developerId: string; submissionId: string; facts: SubmissionFacts; now: Date }): Promise<Quote | null> {
    if (!this.enforced) return null;
    // One intake per developer at a time: per-developer campaign limits and the balance are read under this lock.
    await repos.ledger.lockAccounts([developerAccount(input.developerId)]);
    const excluded = new Set<string>();
    let quote = await this.pricing.quoteIn(repos, input.developerId, input.facts, input.now);
    // A campaign that ran out between quoting and claiming is left out and the price recomputed.
    for (let attempt = 1; quote.campaign && !(await repos.pricing.claimCampaignUse(quote.campaign.id)); attempt++) {
      excluded.add(quote.campaign.id);
      quote = await this.pricing.quoteIn(repos, input.developerId, input.facts, input.now, attempt >= CAMPAIGN_CLAIM_ATTEMPTS ? "all" : excluded);
    }
    if (quote.total > 0) {
      await this.ledger.postIn(repos, holdEntry({ submissionId: input.submissionId, developerId: input.developerId, amount: BigInt(quote.total) }));
    }
    await repos.pricing.createCharge({
      submissionId: input.submissionId,
      developerId: input.developerId,
      catalogueVersion: quote.catalogueVersion,
      campaignId: quote.campaign?.id ?? null,
      quote: quote as StoredJson,
      total: BigInt(quote.total),
    });
    if (quote.campaign) await repos.pricing.addCampaignUse({ campaignId: quote.campaign.id, developerId: input.developerId, submissionId: input.submissionId });
    return quote;
  }

  /** Settles a submission's hold once (no charge, or already settled: nothing to do). */
  async settleIn(repos: Repositories, submissionId: string, outcome: FinalOutcome, now: Date): Promise<void> {
    const charge = await repos.pricing.findCharge(submissionId);
    if (!charge || charge.status !== "held") return;
    const quote = QuoteSchema.parse(charge.quote);
    // Convened means an assembly row exists: audit-only certification passes through in_assembly too.
    const assemblyConvened = await repos.pricing.assemblyConvened(submissionId);
    const { captured, rewardsShare } = captureFor(quote, { status: outcome.status, assemblyConvened });
    const settledBy = outcome.status === "failed" ? `failed:${outcome.reason}` : outcome.status;
    const status = outcome.status === "failed" ? "released" : "captured";
    if (!(await repos.pricing.settleCharge({ submissionId, status, settledBy, at: now }))) return;
    if (charge.total === 0n) return;
    const draft =
      status === "released"
        ? releaseEntry({ submissionId, developerId: charge.developerId, held: charge.total, reason: outcome.reason })
        : captureEntry({ submissionId, developerId: charge.developerId, held: charge.total, captured, rewardsShare, outcome: outcome.status });
    await this.ledger.postIn(repos, draft);
    // The assembly share just reached the pool: settle it to the validators if the assembly is decided (else its decision will).
    if (status === "captured" && rewardsShare > 0n) await postAssemblyRewardsIn(this.ledger, repos, submissionId);
  }
}

function insufficient(needed: bigint, available: bigint): PaymentRequiredError {
  return new PaymentRequiredError("insufficient_credits", `not enough credits: ${needed} needed, ${available} available`, {
    needed: Number(needed),
    available: Number(available),
    currency: "credits",
  });
}
