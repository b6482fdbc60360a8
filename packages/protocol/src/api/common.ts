// Small building blocks of the API's response views.
import { z } from "zod";

/** An ISO 8601 timestamp as the API serialises Date (toISOString). */
export const IsoTime = z.iso.datetime();
/** bigint amounts (stake, credits, usage) travel as decimal strings. */
export const DecimalText = z.string().regex(/^-?\d+$/);
