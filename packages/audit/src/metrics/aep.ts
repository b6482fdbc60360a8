// SRIP-10 AEP zones from TI and SDC (basis points).
import {
  SDC_CONVERGENT_MAX_BPS,
  SDC_DISPERSIVE_ABOVE_BPS,
  SDC_MONOTONY_MAX_BPS,
  TI_CONVERGENT_MIN_BPS,
  TI_DISPERSIVE_BELOW_BPS,
  TI_MONOTONY_MIN_BPS,
} from "./profile";

export type AepZone = "semantic_monotony" | "convergent" | "equilibrium" | "dispersive";

export function aepZone(ti: number | null, sdc: number | null): AepZone | null {
  if (ti === null || sdc === null) return null;
  if (ti >= TI_MONOTONY_MIN_BPS && sdc <= SDC_MONOTONY_MAX_BPS) return "semantic_monotony";
  if (ti >= TI_CONVERGENT_MIN_BPS && sdc <= SDC_CONVERGENT_MAX_BPS) return "convergent";
  if (ti < TI_DISPERSIVE_BELOW_BPS || sdc > SDC_DISPERSIVE_ABOVE_BPS) return "dispersive";
  return "equilibrium";
}

/** Convergent-side zones count towards crystallisation. */
export function isConvergent(zone: AepZone | null): boolean {
  return zone === "convergent" || zone === "semantic_monotony";
}
