// DI bands (SPEC §4, SRIP-03 / SRIP-05), judged on integer basis points.
import {
  DI_COLLAPSE_BPS,
  DI_CRITICAL_BPS,
  DI_RECENTER_BPS,
  DI_REFLECTIVE_BPS,
  DI_SYNC_BLOCKED_BPS,
} from "./profile";

export const BANDS = ["stable", "reflective", "sync_blocked", "recenter", "critical", "collapse"] as const;
export type Band = (typeof BANDS)[number];

/** Band index: 0 stable, 1 reflective, 2 sync blocked, 3 recenter, 4 critical, 5 collapse. */
export function bandIndex(diBps: number): number {
  if (diBps > DI_COLLAPSE_BPS) return 5;
  if (diBps > DI_CRITICAL_BPS) return 4;
  if (diBps >= DI_RECENTER_BPS) return 3;
  if (diBps >= DI_SYNC_BLOCKED_BPS) return 2;
  if (diBps >= DI_REFLECTIVE_BPS) return 1;
  return 0;
}

export function bandOf(diBps: number): Band {
  return BANDS[bandIndex(diBps)]!;
}
