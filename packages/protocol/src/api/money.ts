// Response views of the money routes (docs/money.md); the catalogue, quote,
// campaign and balance shapes themselves are in ../pricing.
import { z } from "zod";
import { CampaignViewSchema, CreditBalanceSchema, PriceCatalogueSchema, VoucherViewSchema } from "../pricing";
import { IsoTime } from "./common";

/** A stored catalogue version (version 0: the built-in default, createdAt null). */
export const CatalogueVersionSchema = z.strictObject({ version: z.number().int().nonnegative(), catalogue: PriceCatalogueSchema, createdBy: z.string(), createdAt: IsoTime.nullable() });
export const CatalogueVersionsSchema = z.strictObject({ versions: z.array(CatalogueVersionSchema) });
/** `nextCursor`: the next page (decision 0032); absent from older servers. */
export const CampaignListSchema = z.strictObject({ campaigns: z.array(CampaignViewSchema), nextCursor: z.string().nullable().optional() });
/** A grant: its ledger entry, whether this call posted it (false: the request key was seen), and the new balance. */
export const CreditGrantResultSchema = z.strictObject({ entryId: z.string(), posted: z.boolean(), balance: CreditBalanceSchema });
export const VoucherListSchema = z.strictObject({ vouchers: z.array(VoucherViewSchema), nextCursor: z.string().nullable().optional() });
