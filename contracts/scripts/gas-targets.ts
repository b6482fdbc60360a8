// The gas budgets the registry is held to (docs/decisions/0003-contracts.md).
import type { GasFigures } from "./gas-figures.ts";

export const GAS_TARGETS = {
  anchorSingle: 60_000,
  anchorBatch256PerCert: 5_000,
} as const satisfies Partial<Record<keyof GasFigures, number>>;

/** Names of the figures that exceed their target (empty when all are within budget). */
export function exceededTargets(figures: GasFigures): string[] {
  return Object.entries(GAS_TARGETS)
    .filter(([name, limit]) => figures[name as keyof typeof GAS_TARGETS] > limit)
    .map(([name, limit]) => `${name} ${figures[name as keyof typeof GAS_TARGETS]} > ${limit}`);
}
