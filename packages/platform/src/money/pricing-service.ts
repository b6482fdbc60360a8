// Pricing (docs/money.md): the catalogue in force (latest stored version, or
// the built-in version 0), campaigns, and quotes. A quote reads the catalogue,
// the running campaigns and the platform's assembly settings, then calls the
// pure computeQuote; it writes nothing. Operator edits are audit-logged in the
// same transaction as the change.
import { decodeInstantCursor, encodeInstantCursor, pageOf, type Page } from "../services/page-cursor";
import { PriceCatalogueSchema, type CampaignInput, type CampaignView, type PriceCatalogue, type Quote } from "@assay/protocol";
import { ConflictError, NotFoundError, ValidationError, issuesFromZod } from "../errors";
import type { FlagService } from "../flags";
import type { StoredJson } from "../repositories";
import type { Repositories, Store } from "../repositories";
import { isUniqueViolation } from "../services/unique-violation";
import type { UnpackedSubmission } from "../services/submission-input";
import { DEFAULT_CATALOGUE } from "./default-catalogue";
import type { CampaignRow } from "./pricing-repository";
import { computeQuote, QuoteError, type CampaignState, type SubmissionFacts } from "./quote";

export type CatalogueVersion = { version: number; catalogue: PriceCatalogue; createdBy: string; createdAt: string | null };

export class PricingService {
  constructor(
    private readonly store: Store,
    private readonly flags: Pick<FlagService, "assemblyRequired" | "assemblyParams">,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async current(repos: Repositories = this.store.repos): Promise<CatalogueVersion> {
    const row = await repos.pricing.latestCatalogue();
    if (!row) return { version: 0, catalogue: DEFAULT_CATALOGUE, createdBy: "default", createdAt: null };
    return { version: row.version, catalogue: PriceCatalogueSchema.parse(row.document), createdBy: row.createdBy, createdAt: row.createdAt.toISOString() };
  }

  async history(limit = 50): Promise<CatalogueVersion[]> {
    const rows = await this.store.repos.pricing.listCatalogues(Math.min(Math.max(limit, 1), 200));
    return rows.map((r) => ({ version: r.version, catalogue: PriceCatalogueSchema.parse(r.document), createdBy: r.createdBy, createdAt: r.createdAt.toISOString() }));
  }

  /** Stores a new catalogue version (the previous ones stay, submissions keep theirs). */
  async publish(document: unknown, actor: string): Promise<CatalogueVersion> {
    const parsed = PriceCatalogueSchema.safeParse(document);
    if (!parsed.success) throw new ValidationError("catalogue_invalid", "the price catalogue is not valid", issuesFromZod(parsed.error.issues));
    try {
      return await this.store.transaction(async (repos) => {
        const before = await this.current(repos);
        const row = await repos.pricing.insertCatalogue({ version: before.version + 1, document: parsed.data as StoredJson, createdBy: actor });
        await repos.auditLog.record({ actor, action: "pricing.catalogue.publish", target: `catalogue:${row.version}`, before: { version: before.version }, after: parsed.data as StoredJson });
        return { version: row.version, catalogue: parsed.data, createdBy: actor, createdAt: row.createdAt.toISOString() };
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError("catalogue_changed", "another catalogue version was published concurrently; retry");
      throw err;
    }
  }

  async createCampaign(input: CampaignInput, actor: string): Promise<CampaignView> {
    try {
      return await this.store.transaction(async (repos) => {
        const row = await repos.pricing.createCampaign({
          name: input.name,
          discountKind: input.discount.kind,
          discountValue: BigInt(input.discount.kind === "percent" ? input.discount.bps : input.discount.credits),
          maxUses: input.maxUses,
          perDeveloperLimit: input.perDeveloperLimit,
          startsAt: new Date(input.startsAt),
          endsAt: new Date(input.endsAt),
          createdBy: actor,
        });
        const view = campaignView(row);
        await repos.auditLog.record({ actor, action: "pricing.campaign.create", target: `campaign:${row.id}`, after: view });
        return view;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError("campaign_exists", `a campaign named ${input.name} exists`);
      throw err;
    }
  }

  async listCampaigns(limit = 100): Promise<CampaignView[]> {
    return (await this.store.repos.pricing.listCampaigns(Math.min(Math.max(limit, 1), 500))).map(campaignView);
  }

  /** One page, newest first (decision 0032). */
  async campaignPage(page: { cursor?: string; limit?: number }): Promise<Page<CampaignView>> {
    const limit = page.limit ?? 100;
    const rows = await this.store.repos.pricing.listCampaigns(limit + 1, page.cursor ? decodeInstantCursor(page.cursor) : undefined);
    return pageOf(rows, limit, campaignView, (r) => encodeInstantCursor({ at: r.createdAt, id: r.id }));
  }

  /** Ends a campaign now (its counters and uses stay). */
  async disableCampaign(id: string, actor: string): Promise<CampaignView> {
    return this.store.transaction(async (repos) => {
      const before = await repos.pricing.findCampaign(id);
      if (!before) throw new NotFoundError("campaign_not_found", `no campaign ${id}`);
      await repos.pricing.disableCampaign(id, this.clock());
      const after = campaignView((await repos.pricing.findCampaign(id))!);
      await repos.auditLog.record({ actor, action: "pricing.campaign.disable", target: `campaign:${id}`, before: campaignView(before), after });
      return after;
    });
  }

  /** The facts a submission is priced on: its suite, size and claims, and the assembly the platform will convene. */
  async factsFor(unpacked: Pick<UnpackedSubmission, "manifest" | "sizeBytes">): Promise<SubmissionFacts> {
    const seats = (await this.flags.assemblyRequired()) ? (await this.flags.assemblyParams()).seatCount : 0;
    return { suite: unpacked.manifest.suite, bundleBytes: unpacked.sizeBytes, claims: unpacked.manifest.claims.length, assemblySeats: seats };
  }

  /** The quote for this developer now; `excluded` campaigns ("all": every one) are left out (ones that ran out while claiming). */
  async quoteIn(repos: Repositories, developerId: string, facts: SubmissionFacts, now: Date, excluded: ReadonlySet<string> | "all" = new Set()): Promise<Quote> {
    const { version, catalogue } = await this.current(repos);
    const running = excluded === "all" ? [] : await repos.pricing.runningCampaigns(developerId, now);
    const campaigns = running.filter((c) => excluded === "all" || !excluded.has(c.campaign.id)).map((c) => campaignState(c.campaign, c.usedByDeveloper));
    try {
      return computeQuote({ catalogue, catalogueVersion: version, campaigns, facts, now });
    } catch (err) {
      if (err instanceof QuoteError) throw new ValidationError(err.code, err.message, [{ path: "manifest.suite", message: err.message }]);
      throw err;
    }
  }

  quote(developerId: string, facts: SubmissionFacts): Promise<Quote> {
    return this.quoteIn(this.store.repos, developerId, facts, this.clock());
  }
}

export function campaignState(row: CampaignRow, usedByDeveloper: number): CampaignState {
  return {
    id: row.id,
    name: row.name,
    discount: row.discountKind === "percent" ? { kind: "percent", bps: Number(row.discountValue) } : { kind: "fixed", credits: Number(row.discountValue) },
    maxUses: row.maxUses,
    usedCount: row.usedCount,
    perDeveloperLimit: row.perDeveloperLimit,
    usedByDeveloper,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    disabledAt: row.disabledAt,
  };
}

export function campaignView(row: CampaignRow): CampaignView {
  const s = campaignState(row, 0);
  return {
    id: s.id,
    name: s.name,
    discount: s.discount,
    maxUses: s.maxUses,
    usedCount: s.usedCount,
    perDeveloperLimit: s.perDeveloperLimit,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    disabledAt: s.disabledAt?.toISOString() ?? null,
  };
}
