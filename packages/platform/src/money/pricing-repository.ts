// Every database call of pricing and charges: catalogue versions, campaigns
// and their counters, campaign uses, and the charge snapshotted onto each
// submission. The campaign counter is claimed by one conditional UPDATE (and a
// CHECK in the schema), so concurrent intakes never pass a campaign's limit.
import type { CampaignDiscountKind, ChargeStatus, Prisma } from "../generated/prisma";
import type { DbClient } from "../repositories/types";

export type CampaignRow = Prisma.CampaignGetPayload<object>;
export type ChargeRow = Prisma.SubmissionChargeGetPayload<object>;

export class PricingRepository {
  constructor(private readonly db: DbClient) {}

  latestCatalogue() {
    return this.db.priceCatalogue.findFirst({ orderBy: { version: "desc" } });
  }

  catalogue(version: number) {
    return this.db.priceCatalogue.findUnique({ where: { version } });
  }

  listCatalogues(limit: number) {
    return this.db.priceCatalogue.findMany({ orderBy: { version: "desc" }, take: limit });
  }

  /** Version is the primary key: two concurrent edits cannot both take the next number. */
  insertCatalogue(input: { version: number; document: Prisma.InputJsonValue; createdBy: string }) {
    return this.db.priceCatalogue.create({ data: input });
  }

  createCampaign(input: {
    name: string;
    discountKind: CampaignDiscountKind;
    discountValue: bigint;
    maxUses: number | null;
    perDeveloperLimit: number | null;
    startsAt: Date;
    endsAt: Date;
    createdBy: string;
  }) {
    return this.db.campaign.create({ data: input });
  }

  findCampaign(id: string) {
    return this.db.campaign.findUnique({ where: { id } });
  }

  /** Newest first; `before`: the keyset of the previous page's last row (decision 0032). */
  listCampaigns(limit: number, before?: { at: Date; id: string }) {
    return this.db.campaign.findMany({
      where: before ? { OR: [{ createdAt: { lt: before.at } }, { createdAt: before.at, id: { lt: before.id } }] } : {},
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit,
    });
  }

  disableCampaign(id: string, at: Date) {
    return this.db.campaign.updateMany({ where: { id, disabledAt: null }, data: { disabledAt: at } });
  }

  /** Campaigns running at `now` and how many discounted submissions this developer has had from each. */
  async runningCampaigns(developerId: string, now: Date): Promise<{ campaign: CampaignRow; usedByDeveloper: number }[]> {
    const campaigns = await this.db.campaign.findMany({ where: { disabledAt: null, startsAt: { lte: now }, endsAt: { gt: now } } });
    if (campaigns.length === 0) return [];
    const uses = await this.db.campaignUse.groupBy({ by: ["campaignId"], where: { developerId, campaignId: { in: campaigns.map((c) => c.id) } }, _count: { _all: true } });
    const byCampaign = new Map(uses.map((u) => [u.campaignId, u._count._all]));
    return campaigns.map((campaign) => ({ campaign, usedByDeveloper: byCampaign.get(campaign.id) ?? 0 }));
  }

  /** Takes one use of the campaign unless it is exhausted or disabled; true when taken. */
  async claimCampaignUse(id: string): Promise<boolean> {
    const taken = await this.db.$executeRaw`
      UPDATE campaigns SET used_count = used_count + 1
      WHERE id = ${id}::uuid AND disabled_at IS NULL AND (max_uses IS NULL OR used_count < max_uses)`;
    return taken === 1;
  }

  addCampaignUse(input: { campaignId: string; developerId: string; submissionId: string }) {
    return this.db.campaignUse.create({ data: input });
  }

  createCharge(input: { submissionId: string; developerId: string; catalogueVersion: number; campaignId: string | null; quote: Prisma.InputJsonValue; total: bigint }) {
    return this.db.submissionCharge.create({ data: input });
  }

  findCharge(submissionId: string) {
    return this.db.submissionCharge.findUnique({ where: { submissionId } });
  }

  /** Whether a validator assembly was opened for the submission (what the assembly line of its price pays for). */
  async assemblyConvened(submissionId: string): Promise<boolean> {
    return (await this.db.assembly.count({ where: { submissionId } })) > 0;
  }

  /** The submission's assembly and its decided record (null until the assembly is decided): what its rewards are split by. */
  async decidedAssemblyOf(submissionId: string): Promise<{ assemblyId: string; record: unknown } | null> {
    const row = await this.db.assembly.findUnique({ where: { submissionId }, select: { id: true, record: true } });
    return row && row.record !== null ? { assemblyId: row.id, record: row.record } : null;
  }

  /** held → captured/released, once: false when someone settled it first. */
  async settleCharge(input: { submissionId: string; status: Exclude<ChargeStatus, "held">; settledBy: string; at: Date }): Promise<boolean> {
    const updated = await this.db.submissionCharge.updateMany({
      where: { submissionId: input.submissionId, status: "held" },
      data: { status: input.status, settledBy: input.settledBy, settledAt: input.at },
    });
    return updated.count === 1;
  }
}
