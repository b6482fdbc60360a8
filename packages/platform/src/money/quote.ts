// The quote: a pure function of (catalogue version, campaigns, submission
// facts, time). Integer arithmetic only, so a quote is the same on every
// process and the captured amount is exactly the amount shown. Formulas are in
// docs/money.md; the catalogue's shape is PriceCatalogueSchema (@assay/protocol).
import type { PriceCatalogue, Quote, QuoteLine } from "@assay/protocol";

/** What the price depends on, read from the submission and the platform's settings. */
export type SubmissionFacts = {
  suite: string;
  /** The suite version in force; absent: the suite's last catalogue entry. */
  suiteVersion?: string;
  bundleBytes: number;
  claims: number;
  /** Round-1 seats of the assembly the submission will convene (0: audit-only). */
  assemblySeats: number;
};

/** A campaign with its counters as the database holds them now. */
export type CampaignState = {
  id: string;
  name: string;
  discount: { kind: "percent"; bps: number } | { kind: "fixed"; credits: number };
  maxUses: number | null;
  usedCount: number;
  perDeveloperLimit: number | null;
  /** Discounted submissions of the developer being quoted. */
  usedByDeveloper: number;
  startsAt: Date;
  endsAt: Date;
  disabledAt: Date | null;
};

export class QuoteError extends Error {
  constructor(readonly code: "suite_not_priced" | "suite_version_not_priced", message: string) {
    super(message);
  }
}

const ONE = 10_000n;

/** ceil(max(0, value − included) / step) steps of stepBps each. */
export function stepBps(value: number, rule: { included: number; step: number; stepBps: number }): bigint {
  const over = BigInt(Math.max(0, value - rule.included));
  const steps = (over + BigInt(rule.step) - 1n) / BigInt(rule.step);
  return steps * BigInt(rule.stepBps);
}

export function complexityMultiplierBps(catalogue: PriceCatalogue, facts: { turnBudget: number; bundleBytes: number; claims: number }): bigint {
  const c = catalogue.complexity;
  const raw = ONE + stepBps(facts.turnBudget, c.turns) + stepBps(facts.bundleBytes, c.bundleBytes) + stepBps(facts.claims, c.claims);
  return raw > BigInt(c.maxBps) ? BigInt(c.maxBps) : raw;
}

export function assemblyPrice(catalogue: PriceCatalogue, seats: number): bigint {
  if (seats <= 0) return 0n;
  const listed = catalogue.assembly.sizes.find((s) => s.seats === seats);
  return listed ? BigInt(listed.price) : BigInt(catalogue.assembly.perSeat) * BigInt(seats);
}

/** A campaign's discount on a subtotal (never more than the subtotal). */
export function discountOf(campaign: Pick<CampaignState, "discount">, subtotal: bigint): bigint {
  const d = campaign.discount.kind === "percent" ? (subtotal * BigInt(campaign.discount.bps)) / ONE : BigInt(campaign.discount.credits);
  return d > subtotal ? subtotal : d;
}

/** Whether a campaign can discount this developer's submission at `now`. */
export function campaignApplies(c: CampaignState, now: Date): boolean {
  return (
    c.disabledAt === null &&
    c.startsAt.getTime() <= now.getTime() &&
    now.getTime() < c.endsAt.getTime() &&
    (c.maxUses === null || c.usedCount < c.maxUses) &&
    (c.perDeveloperLimit === null || c.usedByDeveloper < c.perDeveloperLimit)
  );
}

/** The applicable campaign with the largest discount (ties: earliest start, then id). */
export function bestCampaign(campaigns: readonly CampaignState[], subtotal: bigint, now: Date): CampaignState | null {
  let best: { c: CampaignState; d: bigint } | null = null;
  for (const c of campaigns) {
    if (!campaignApplies(c, now)) continue;
    const d = discountOf(c, subtotal);
    if (d <= 0n) continue;
    if (!best || d > best.d || (d === best.d && (c.startsAt < best.c.startsAt || (c.startsAt.getTime() === best.c.startsAt.getTime() && c.id < best.c.id)))) best = { c, d };
  }
  return best?.c ?? null;
}

export function computeQuote(input: { catalogue: PriceCatalogue; catalogueVersion: number; campaigns: readonly CampaignState[]; facts: SubmissionFacts; now: Date }): Quote {
  const { catalogue, facts } = input;
  const entries = catalogue.suites.filter((s) => s.suite === facts.suite);
  if (entries.length === 0) throw new QuoteError("suite_not_priced", `the price catalogue has no price for suite "${facts.suite}"`);
  const entry = facts.suiteVersion === undefined ? entries[entries.length - 1]! : entries.find((s) => s.version === facts.suiteVersion);
  if (!entry) throw new QuoteError("suite_version_not_priced", `the price catalogue has no price for suite ${facts.suite} version ${facts.suiteVersion}`);

  const lines: QuoteLine[] = [{ kind: "suite", amount: entry.price, detail: `suite ${entry.suite} v${entry.version}` }];
  const multiplier = complexityMultiplierBps(catalogue, { turnBudget: entry.turnBudget, bundleBytes: facts.bundleBytes, claims: facts.claims });
  const surcharge = (BigInt(entry.price) * (multiplier - ONE) + ONE - 1n) / ONE;
  if (surcharge > 0n) {
    lines.push({
      kind: "complexity",
      amount: Number(surcharge),
      detail: `×${formatBps(multiplier)} (turn budget ${entry.turnBudget}, bundle ${facts.bundleBytes} bytes, ${facts.claims} claims)`,
    });
  }
  const assembly = assemblyPrice(catalogue, facts.assemblySeats);
  if (assembly > 0n) lines.push({ kind: "assembly", amount: Number(assembly), detail: `validator assembly of ${facts.assemblySeats} seats` });
  const subtotal = lines.reduce((s, l) => s + BigInt(l.amount), 0n);
  const campaign = bestCampaign(input.campaigns, subtotal, input.now);
  if (campaign) {
    const d = discountOf(campaign, subtotal);
    const how = campaign.discount.kind === "percent" ? `${formatBps(BigInt(campaign.discount.bps) * 100n)} %` : `${campaign.discount.credits} credits`;
    lines.push({ kind: "discount", amount: -Number(d), detail: `campaign ${campaign.name} (${how})` });
  }
  const total = lines.reduce((s, l) => s + BigInt(l.amount), 0n);
  return {
    total: Number(total),
    currency: "credits",
    lines,
    catalogueVersion: input.catalogueVersion,
    campaign: campaign ? { id: campaign.id, name: campaign.name } : null,
    expiresAt: new Date(input.now.getTime() + catalogue.quoteTtlSeconds * 1000).toISOString(),
  };
}

/**
 * What an outcome captures of a charge (docs/money.md):
 * - certified, or rejected after an assembly convened: the whole total;
 * - rejected by the audit (no assembly convened): the total without the
 *   assembly's share (the assembly line, discounted in proportion);
 * - failed (an engine or infrastructure error, the platform's own making): nothing.
 * `rewardsShare` is the part that goes to the validator rewards pool.
 */
export function captureFor(quote: Pick<Quote, "total" | "lines">, outcome: { status: "certified" | "rejected" | "failed"; assemblyConvened: boolean }): { captured: bigint; rewardsShare: bigint } {
  const total = BigInt(quote.total);
  if (outcome.status === "failed" || total === 0n) return { captured: 0n, rewardsShare: 0n };
  const subtotal = quote.lines.filter((l) => l.kind !== "discount").reduce((s, l) => s + BigInt(l.amount), 0n);
  const assemblyLine = quote.lines.filter((l) => l.kind === "assembly").reduce((s, l) => s + BigInt(l.amount), 0n);
  const assemblyShare = subtotal === 0n ? 0n : (assemblyLine * total) / subtotal;
  if (outcome.status === "rejected" && !outcome.assemblyConvened) return { captured: total - assemblyShare, rewardsShare: 0n };
  return { captured: total, rewardsShare: assemblyShare };
}

function formatBps(value: bigint): string {
  const whole = value / ONE;
  const frac = (value % ONE).toString().padStart(4, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : `${whole}`;
}
