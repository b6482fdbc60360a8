// The catalogue in force until an operator stores one (version 0). Numbers are
// a starting point, not a policy: operators version their own (docs/money.md).
import type { PriceCatalogue } from "@assay/protocol";

export const DEFAULT_CATALOGUE: PriceCatalogue = {
  currency: "credits",
  suites: [{ suite: "core", version: "1", price: 100, turnBudget: 64 }],
  assembly: { sizes: [{ seats: 5, price: 50 }], perSeat: 10 },
  complexity: {
    // +5 % per 32 turns over 64, +2 % per started 64 KiB over 256 KiB, +5 % per claim over the first.
    turns: { included: 64, step: 32, stepBps: 500 },
    bundleBytes: { included: 256 * 1024, step: 64 * 1024, stepBps: 200 },
    claims: { included: 1, step: 1, stepBps: 500 },
    maxBps: 30_000,
  },
  quoteTtlSeconds: 900,
};
